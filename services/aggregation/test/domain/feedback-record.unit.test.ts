import { FeedbackCategorised } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { feedbackRecordOf, isNewerVersion, labelWithEvidenceText } from '../../src/domain/feedback-record';

describe('feedbackRecordOf', () => {
  it('keeps what the explorer and a rebuild need, evidence as spans', () => {
    const { feedback, categorisation } = FeedbackCategorised.dataSchema.parse(FeedbackCategorised.example);
    const record = feedbackRecordOf(feedback, categorisation, '2026-11-20T09:15:01+00:00');
    expect(record).toMatchObject({
      feedbackId: feedback.feedbackId,
      categorisedAt: '2026-11-20T09:15:01.000Z',
      score: 3,
      language: 'ru',
      sentiment: { label: 'negative' },
      topics: [{ id: 'delivery', score: 0.9, evidence: [[0, 8]] }],
      attributes: { plan: 'pro', region: 'eu' },
    });
    expect(labelWithEvidenceText(record.topics[0]!, record.text).evidence).toEqual([
      { start: 0, end: 8, text: 'Доставка' },
    ]);
  });
});

describe('isNewerVersion', () => {
  const at = (revision: number, categorisedAt: string) => ({ revision, categorisedAt });

  it('orders by revision, then by when the revision was categorised', () => {
    expect(isNewerVersion(at(2, '2026-01-01T00:00:00Z'), at(1, '2026-06-01T00:00:00Z'))).toBe(true);
    expect(isNewerVersion(at(1, '2026-06-01T00:00:00Z'), at(2, '2026-01-01T00:00:00Z'))).toBe(false);
    expect(isNewerVersion(at(1, '2026-06-02T00:00:00Z'), at(1, '2026-06-01T00:00:00Z'))).toBe(true);
    expect(isNewerVersion(at(1, '2026-06-01T00:00:00Z'), at(1, '2026-06-01T00:00:00.000Z'))).toBe(false);
    expect(isNewerVersion(at(1, '2026-06-01T00:00:00Z'), undefined)).toBe(true);
  });
});
