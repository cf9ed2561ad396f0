import type { Causation, Feedback, RetentionPolicy } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import pLimit from 'p-limit';
import { ulid } from 'ulid';
import { ResponseErasedError } from '../domain/erasure';
import { UnknownResourceError } from '../domain/errors';
import {
  type ImportBatch,
  type ImportRow,
  type ImportRowResult,
  importedContent,
  importedResponseId,
  parseImportRow,
} from '../domain/imports';
import type { StoredResponse } from '../domain/responses';
import type { Survey } from '../domain/surveys';
import type { ResponseStore } from '../store/responses';
import type { SurveyStore } from '../store/surveys';
import { publishResponses } from './publish-response';

export interface ImportResponsesDeps {
  surveys: Pick<SurveyStore, 'get'>;
  responses: ResponseStore;
  publish: PublishEvents;
  retentionPolicy: () => Promise<RetentionPolicy>;
}

export interface ImportResponsesRequest {
  surveyId: string;
  batch: ImportBatch;
  causation: Causation;
  now: Date;
}

/** Rows of one batch stored at once: enough to hide DynamoDB's latency, few enough to leave the table's capacity to live traffic. */
const ROWS_IN_FLIGHT = 10;

/**
 * Imports a batch of answers from another system's history into a survey, each as a response stored the way a live
 * one is (person index, end of life, FeedbackReceived) but marked historical, with the time it was answered. The
 * public quotas do not apply (an admin key imports); the route's throttle and the function's reserved concurrency
 * bound what an import takes. Idempotent by (survey, source, sourceId): a row already imported is a `duplicate`, one
 * stored by an attempt that crashed before publishing is published now and counts as `imported`.
 */
export async function importResponses(
  deps: ImportResponsesDeps,
  { surveyId, batch, causation, now }: ImportResponsesRequest,
): Promise<ImportRowResult[]> {
  const survey = await deps.surveys.get(surveyId);
  if (!survey) throw new UnknownResourceError(`Survey ${surveyId} does not exist`);
  const policy = await deps.retentionPolicy();
  const seen = new Set<string>();
  const limit = pLimit(ROWS_IN_FLIGHT);
  const stored = await Promise.all(
    batch.rows.map((input, index): StoredRow | Promise<StoredRow> => {
      const parsed = parseImportRow(input);
      if ('rejection' in parsed) return { result: { index, status: 'rejected', ...parsed.rejection } };
      const { row } = parsed;
      if (seen.has(row.sourceId)) return { result: { index, sourceId: row.sourceId, status: 'duplicate' } };
      seen.add(row.sourceId);
      return limit(() => storeRow(deps, { survey, source: batch.source, policy, now }, row, index));
    }),
  );
  // One PutEvents per ten rows rather than one per row: the bus call is most of what a row costs.
  await publishResponses(
    deps,
    survey,
    stored.flatMap(({ unpublished }) => (unpublished ? [unpublished] : [])),
    causation,
    now,
  );
  return stored.map(({ result }) => result);
}

interface BatchContext {
  survey: Survey;
  source: string;
  policy: RetentionPolicy;
  now: Date;
}

/** A row's outcome, and the revision it stored that still waits to be published (then the row counts as imported). */
interface StoredRow {
  result: ImportRowResult;
  unpublished?: { response: StoredResponse; retainUntil: Feedback['retainUntil'] };
}

async function storeRow(
  deps: ImportResponsesDeps,
  { survey, source, policy, now }: BatchContext,
  row: ImportRow,
  index: number,
): Promise<StoredRow> {
  const { sourceId } = row;
  const checked = importedContent(survey, row, policy, now);
  if ('rejection' in checked) return { result: { index, sourceId, status: 'rejected', ...checked.rejection } };
  const origin = { source, sourceId };
  try {
    const recorded = await deps.responses.record(
      survey.id,
      importedResponseId(survey.id, origin),
      (previous) => previous ?? checked.content,
      () => `fb_${ulid()}`,
      now,
      checked.endOfLife.expiresAt,
      { imported: origin, occurredAt: new Date(row.answeredAt).toISOString() },
    );
    if (recorded.publishedRevision >= recorded.response.revision) {
      return { result: { index, sourceId, status: 'duplicate' } };
    }
    return {
      result: { index, sourceId, status: 'imported' },
      unpublished: { response: recorded.response, retainUntil: checked.endOfLife.retainUntil },
    };
  } catch (error) {
    if (!(error instanceof ResponseErasedError)) throw error;
    return {
      result: {
        index,
        sourceId,
        status: 'rejected',
        reason: 'erased',
        field: 'sourceId',
        message: 'this answer was imported before and its respondent erased since: it is not imported again',
      },
    };
  }
}
