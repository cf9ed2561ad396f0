import { type Causation, FeedbackReceived } from '@cxloop/events';
import { BadRequestError, NotFoundError, type PublishEvents } from '@cxloop/lambda-kit';
import { ulid } from 'ulid';
import { feedbackFromResponse, type ResponseInput, responseContent, ScoreOutOfScaleError } from '../domain/responses';
import type { RecordedResponse, ResponseStore } from '../store/responses';
import type { SurveyStore } from '../store/surveys';

export interface SubmitResponseDeps {
  surveys: SurveyStore;
  responses: ResponseStore;
  publish: PublishEvents;
}

/**
 * Stores a widget/hosted-page response and publishes FeedbackReceived for every revision not yet published.
 * A crash between the write and the publish leaves `publishedRevision` behind, so the client's retry (same
 * responseId) publishes it then; consumers apply each (feedbackId, revision) once, so a second publish is harmless.
 */
export async function submitResponse(
  deps: SubmitResponseDeps,
  surveyId: string,
  input: ResponseInput,
  causation: Causation,
  now: Date,
): Promise<RecordedResponse> {
  const survey = await deps.surveys.get(surveyId);
  if (!survey) throw new NotFoundError(`Survey ${surveyId} does not exist`);
  if (survey.status !== 'active') throw new BadRequestError(`Survey ${surveyId} is paused`, undefined, 'survey_paused');

  let content: ReturnType<typeof responseContent>;
  try {
    content = responseContent(survey, input);
  } catch (error) {
    if (error instanceof ScoreOutOfScaleError) {
      throw new BadRequestError(
        `body.score: ${error.message}`,
        { issues: [{ field: 'body.score', message: error.message }] },
        'validation_failed',
      );
    }
    throw error;
  }

  const responseId = input.responseId ?? ulid();
  const recorded = await deps.responses.record(surveyId, responseId, content, () => `fb_${ulid()}`, now);
  if (recorded.publishedRevision < recorded.response.revision) {
    await deps.publish([
      { contract: FeedbackReceived, data: feedbackFromResponse(survey, recorded.response, now), causation },
    ]);
    await deps.responses.markPublished(surveyId, responseId, recorded.response.revision);
  }
  return recorded;
}
