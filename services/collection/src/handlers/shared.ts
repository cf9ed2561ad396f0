import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RetentionPolicy } from '@cxloop/events';
import { cached, eventPublisher, lazy, secretText } from '@cxloop/lambda-kit';
import { type SecretBox, secretBox } from '../domain/secret-box';
import type { Survey } from '../domain/surveys';
import { responseStore } from '../store/responses';
import { retentionPolicyStore } from '../store/retention-policy';
import { surveyStore } from '../store/surveys';

const RETENTION_POLICY_TTL_MS = 60_000;

/**
 * The retention policy in force, read at most once a minute per instance (it is needed on every response): a change
 * stamps new feedback everywhere within a minute.
 */
export function retentionPolicyIn(db: DynamoDBDocumentClient, tableName: string): () => Promise<RetentionPolicy> {
  const store = retentionPolicyStore(db, tableName);
  return cached(async () => (await store.get()).policy, RETENTION_POLICY_TTL_MS);
}

/** The deployment's secret box, built on first use from the secrets key in Secrets Manager and kept while warm. */
export function secretBoxFrom(secretId: string): () => Promise<SecretBox> {
  const key = secretText(secretId);
  return lazy(async () => secretBox(await key()));
}

/**
 * Surveys read once per invocation: the CORS check and the route both need the survey, and a Lambda instance
 * handles one request at a time, so `reset` at the start of each invocation is enough to never serve a stale one.
 */
export function surveysPerInvocation(store: { get(surveyId: string): Promise<Survey | undefined> }) {
  let memo = new Map<string, Promise<Survey | undefined>>();
  return {
    get(surveyId: string): Promise<Survey | undefined> {
      let survey = memo.get(surveyId);
      if (!survey) {
        survey = store.get(surveyId);
        memo.set(surveyId, survey);
      }
      return survey;
    },
    reset(): void {
      memo = new Map();
    },
  };
}

/** How many of the recorded items are new feedback (ResponsesReceived): not updates, nor redelivered ones. */
export const createdCount = (items: readonly { outcome: string }[]): number =>
  items.filter((item) => item.outcome === 'created').length;

/** What every function that stores responses and publishes them needs (Delighted API, imports). */
export function responseWriting(db: DynamoDBDocumentClient, env: { TABLE_NAME: string; EVENT_BUS_NAME: string }) {
  return {
    surveys: surveyStore(db, env.TABLE_NAME),
    responses: responseStore(db, env.TABLE_NAME),
    publish: eventPublisher(env.EVENT_BUS_NAME),
    retentionPolicy: retentionPolicyIn(db, env.TABLE_NAME),
  };
}
