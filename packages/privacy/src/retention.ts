import type { RetentionPolicy } from '@cxloop/events';

/**
 * What cxloop keeps when nobody changed the policy: three years of feedback text (long enough for year-on-year
 * comparisons of comments), two years of contact details after the last contact, 400 days of sent messages (a year
 * of delivery questions and a margin), three years of cases after their last change.
 */
export const defaultRetentionPolicy: RetentionPolicy = {
  feedbackTextDays: 1095,
  contactDetailsDays: 730,
  messagesDays: 400,
  casesDays: 1095,
};

const dayMs = 24 * 60 * 60 * 1000;

export const daysAfter = (from: Date | string, days: number): Date => new Date(new Date(from).getTime() + days * dayMs);

/** The end of life stamped on a piece of feedback when it is received (`Feedback.retainUntil`). */
export function feedbackRetainUntil(policy: RetentionPolicy, receivedAt: Date): { text: string; contact: string } {
  return {
    text: daysAfter(receivedAt, policy.feedbackTextDays).toISOString(),
    contact: daysAfter(receivedAt, policy.contactDetailsDays).toISOString(),
  };
}

/** DynamoDB TTL (epoch seconds) for an item that holds several kinds of personal data: the earliest end wins. */
export function ttlOf(...ends: (Date | string | undefined)[]): number | undefined {
  const times = ends.filter((end) => end !== undefined).map((end) => new Date(end).getTime());
  return times.length === 0 ? undefined : Math.floor(Math.min(...times) / 1000);
}

/**
 * The TTL of a copy of a piece of feedback (its text and its respondent): whichever of them ends first. Feedback
 * without a stamp (published before retention existed) ends under the default policy.
 */
export function feedbackTtl(feedback: { retainUntil?: { text: string; contact: string }; receivedAt: string }): number {
  const ends = feedback.retainUntil ?? feedbackRetainUntil(defaultRetentionPolicy, new Date(feedback.receivedAt));
  return ttlOf(ends.text, ends.contact) as number;
}
