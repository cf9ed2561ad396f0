import type { Feedback } from '@cxloop/events';

/**
 * The key that identifies a person across their feedback, for fatigue limits, unsubscribes and reopening their case:
 * the host's user id, else the e-mail address, else the widget's anonymous id. Undefined when the feedback is
 * anonymous, in which case nothing is tracked per person.
 */
export function personKeyOf(respondent: Feedback['respondent']): string | undefined {
  if (respondent.id) return `id:${respondent.id}`;
  if (respondent.email) return `email:${respondent.email.trim().toLowerCase()}`;
  if (respondent.anonymousId) return `anon:${respondent.anonymousId}`;
  return undefined;
}
