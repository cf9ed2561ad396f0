import { describe, expect, it } from 'vitest';
import {
  defaultFieldMappings,
  fieldMappingSchema,
  normalisedFeedbackSchema,
  providerSchema,
  webhookProviders,
} from '../../src/domain/webhooks';

describe('fieldMappingSchema', () => {
  it('accepts the documented default mappings', () => {
    for (const mapping of Object.values(defaultFieldMappings)) {
      expect(fieldMappingSchema.safeParse(mapping).success).toBe(true);
    }
  });

  it.each([
    ['a path that is not a JSON pointer', { ticketId: 'ticket.id' }],
    ['a score without a scale', { ticketId: '/id', score: '/score' }],
    ['a Typeform score question without a scale', { scoreFieldId: 'abc' }],
    ['a scale whose min is not below max', { score: '/s', scale: { kind: 'csat', min: 5, max: 1 } }],
    ['a label outside the scale', { score: '/s', scale: { kind: 'csat', min: 1, max: 2, labels: { good: 5 } } }],
  ])('rejects %s', (_, mapping) => {
    expect(fieldMappingSchema.safeParse(mapping).success).toBe(false);
  });
});

describe('providerSchema', () => {
  it('accepts every webhook provider and nothing else', () => {
    for (const provider of webhookProviders) expect(providerSchema.parse(provider)).toBe(provider);
    expect(providerSchema.safeParse('google_play').success).toBe(false);
  });
});

describe('normalisedFeedbackSchema', () => {
  it('is the FeedbackReceived data without the ids collection assigns, plus the external key', () => {
    const keys = Object.keys(normalisedFeedbackSchema.shape);
    expect(keys).toContain('externalKey');
    expect(keys).not.toContain('feedbackId');
    expect(keys).not.toContain('revision');
    expect(keys).not.toContain('receivedAt');
  });
});
