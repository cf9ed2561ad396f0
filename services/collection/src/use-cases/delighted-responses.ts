import type { Causation, RetentionPolicy } from '@cxloop/events';
import { InvalidInputError, type PublishEvents } from '@cxloop/lambda-kit';
import { ulid } from 'ulid';
import {
  type DelightedResponseRequest,
  type DelightedResponseSelection,
  delightedResponseContent,
} from '../domain/delighted';
import { UnknownResourceError } from '../domain/errors';
import type { StoredResponse } from '../domain/responses';
import { feedbackEndOfLife } from '../domain/retention';
import type { Survey } from '../domain/surveys';
import type { ResponseStore } from '../store/responses';
import type { SurveyStore } from '../store/surveys';
import { publishResponses } from './publish-response';

export interface DelightedResponsesDeps {
  surveys: Pick<SurveyStore, 'get'>;
  responses: ResponseStore;
  publish: PublishEvents;
  retentionPolicy: () => Promise<RetentionPolicy>;
}

async function npsSurvey(surveys: DelightedResponsesDeps['surveys'], surveyId: string): Promise<Survey> {
  const survey = await surveys.get(surveyId);
  if (!survey) throw new UnknownResourceError(`Survey ${surveyId} (the key's) does not exist`);
  if (survey.type !== 'nps') {
    throw new InvalidInputError([{ field: 'score', message: `the key's survey asks for ${survey.type}, not NPS` }]);
  }
  return survey;
}

/**
 * Records a response a Delighted client posts to the key's survey, as a live answer (person index, end of life,
 * FeedbackReceived, so it is categorised, counted and followed up), at its `created_at` when given. Each post is a
 * new response, as in Delighted.
 */
export async function createDelightedResponse(
  deps: DelightedResponsesDeps,
  request: { surveyId: string; body: DelightedResponseRequest; causation: Causation; now: Date },
): Promise<StoredResponse> {
  const { body, causation, now } = request;
  const survey = await npsSurvey(deps.surveys, request.surveyId);
  const endOfLife = feedbackEndOfLife(await deps.retentionPolicy(), now);
  const content = delightedResponseContent(body);
  const recorded = await deps.responses.record(
    survey.id,
    ulid(),
    () => content,
    () => `fb_${ulid()}`,
    now,
    endOfLife.expiresAt,
    {
      ...(body.created_at ? { occurredAt: body.created_at.toISOString() } : {}),
      ...('id' in body.person ? { personId: body.person.id } : {}),
    },
  );
  await publishResponses(
    deps,
    survey,
    [{ response: recorded.response, retainUntil: endOfLife.retainUntil }],
    causation,
    now,
  );
  return recorded.response;
}

/** A page of the key's survey's responses, as Delighted lists them. */
export async function listDelightedResponses(
  deps: Pick<DelightedResponsesDeps, 'surveys' | 'responses'>,
  selection: DelightedResponseSelection,
): Promise<{ responses: StoredResponse[]; hasMore: boolean }> {
  await npsSurvey(deps.surveys, selection.surveyId);
  return deps.responses.listForDelighted(selection);
}
