import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonErasureRequested } from '@cxloop/events';
import type { PublishEvents, ReceivedEvent } from '@cxloop/lambda-kit';
import { type EraseItem, erasePersonalItems, reportErasure } from '@cxloop/privacy';
import type { PersonalItemKind } from '../domain/erasure';
import type { ExternalFeedbackStore } from '../store/external-feedback';
import type { RespondentStore } from '../store/respondents';
import type { ResponseStore } from '../store/responses';

export interface ErasePersonDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  responses: Pick<ResponseStore, 'erase'>;
  respondents: Pick<RespondentStore, 'erase'>;
  feedback: Pick<ExternalFeedbackStore, 'erase'>;
  publish: PublishEvents;
}

/**
 * Erases what collection holds on a person, found through the person index by the request's hashed identifiers:
 * responses and provider feedback are anonymised (scores and ids stay), throttle state is deleted. Then reports
 * PersonErased with the counts, also when nothing was found; a redelivery erases nothing more and reports the same.
 */
export async function erasePerson(
  deps: ErasePersonDeps,
  event: ReceivedEvent<typeof PersonErasureRequested>,
  now: Date,
): Promise<Record<string, number>> {
  const { erasureId, identifiers } = event.data;
  const erasers: Record<PersonalItemKind, EraseItem> = {
    responses: (key) => deps.responses.erase(key, now),
    respondents: (key) => deps.respondents.erase(key),
    externalFeedback: (key) => deps.feedback.erase(key, now),
  };
  const items = await erasePersonalItems(deps.db, deps.tableName, erasureId, identifiers, erasers, now);
  await reportErasure(deps.publish, 'collection', event, items, now);
  return items;
}
