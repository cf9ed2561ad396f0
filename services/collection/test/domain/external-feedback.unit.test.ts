import { describe, expect, it } from 'vitest';
import { contentDigest, externalChange, feedbackFromExternal } from '../../src/domain/external-feedback';
import type { NormalisedFeedback } from '../../src/domain/webhooks';

const item: NormalisedFeedback = {
  externalKey: 'intercom:conversation:1',
  source: 'intercom',
  channel: 'helpdesk',
  integrationId: 'int_1',
  kind: 'csat',
  score: { value: 4, min: 1, max: 5, normalised: 0.75 },
  text: 'Quick',
  occurredAt: '2026-11-20T09:00:00.000Z',
};

describe('contentDigest', () => {
  it('ignores when it happened and the order of keys, not what was said', () => {
    const reordered = Object.fromEntries(Object.entries(item).reverse()) as NormalisedFeedback;
    expect(contentDigest({ ...reordered, occurredAt: '2026-11-21T00:00:00.000Z' })).toBe(contentDigest(item));
    expect(contentDigest({ ...item, text: 'Slow' })).not.toBe(contentDigest(item));
  });
});

describe('externalChange', () => {
  const stored = { digest: contentDigest(item), occurredAt: item.occurredAt };

  it.each([
    ['a first delivery', undefined, item, 'create'],
    ['the same content again', stored, { ...item, occurredAt: '2026-11-22T00:00:00.000Z' }, 'unchanged'],
    ['newer content', stored, { ...item, text: 'Slow', occurredAt: '2026-11-20T10:00:00.000Z' }, 'update'],
    [
      'older content arriving late',
      stored,
      { ...item, text: 'Older', occurredAt: '2026-11-20T08:00:00.000Z' },
      'stale',
    ],
  ])('%s is %s', (_, existing, next, kind) => {
    expect(externalChange(existing, next, contentDigest(next))).toEqual({ kind });
  });
});

describe('feedbackFromExternal', () => {
  it('is the contract data at the revision with its end of life, without the external key', () => {
    const retainUntil = { text: '2029-11-19T09:00:01.000Z', contact: '2028-11-19T09:00:01.000Z' };
    const feedback = feedbackFromExternal(item, 'fb_1', 2, new Date('2026-11-20T09:00:01Z'), retainUntil);
    expect(feedback).toMatchObject({
      feedbackId: 'fb_1',
      revision: 2,
      receivedAt: '2026-11-20T09:00:01.000Z',
      answers: [],
      retainUntil,
    });
    expect(feedback).not.toHaveProperty('externalKey');
  });
});
