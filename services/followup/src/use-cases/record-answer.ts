import type { Feedback } from '@cxloop/events';
import { personKeyOf } from '../domain/person';
import type { PeopleStore } from '../store/people';

const surveyKinds: ReadonlySet<Feedback['kind']> = new Set(['nps', 'csat', 'ces']);

/**
 * Keeps the person's latest survey answer for the fatigue limits: someone who just answered a survey (through any
 * channel: widget, hosted page, e-mail link) is not invited to another one within the minimum interval.
 */
export async function recordAnswer(people: Pick<PeopleStore, 'recordAnswered'>, feedback: Feedback): Promise<boolean> {
  const personKey = personKeyOf(feedback.respondent);
  if (!personKey || !feedback.surveyId || !surveyKinds.has(feedback.kind)) return false;
  await people.recordAnswered(personKey, feedback.occurredAt);
  return true;
}
