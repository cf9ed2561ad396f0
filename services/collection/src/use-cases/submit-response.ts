import type { Causation, RetentionPolicy } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import { respondentIdentifiers } from '@cxloop/privacy';
import { ulid } from 'ulid';
import { SurveyPausedError, UnknownResourceError } from '../domain/errors';
import { rateLimits } from '../domain/rate-limits';
import { identifyRespondent, type Respondent, respondentKey } from '../domain/respondents';
import { applyResponsePatch, type ResponseInput, responsePatch } from '../domain/responses';
import { feedbackEndOfLife, respondentStateExpiresAt } from '../domain/retention';
import type { Survey } from '../domain/surveys';
import type { RateLimiter } from '../store/rate-limits';
import type { RespondentStore } from '../store/respondents';
import type { RecordedResponse, ResponseStore } from '../store/responses';
import type { SurveyStore } from '../store/surveys';
import { publishResponses } from './publish-response';

export interface SubmitResponseDeps {
  surveys: Pick<SurveyStore, 'get'>;
  /** The survey's identity secret, opened; read only when a post carries a signed user id. */
  identitySecret: (surveyId: string) => Promise<string | undefined>;
  responses: ResponseStore;
  respondents: RespondentStore;
  rateLimiter: RateLimiter;
  publish: PublishEvents;
  /** The retention policy in force, which gives each new revision its end of life. */
  retentionPolicy: () => Promise<RetentionPolicy>;
}

export interface SubmitResponseRequest {
  surveyId: string;
  input: ResponseInput;
  /** Who a valid invitation link (hosted page) was made for: proven by the link itself, so taken as verified. */
  invited?: { respondentId?: string; email?: string };
  clientIp: string;
  causation: Causation;
  now: Date;
}

async function activeSurvey(surveys: Pick<SurveyStore, 'get'>, surveyId: string): Promise<Survey> {
  const survey = await surveys.get(surveyId);
  if (!survey) throw new UnknownResourceError(`Survey ${surveyId} does not exist`);
  if (survey.status !== 'active') throw new SurveyPausedError(surveyId);
  return survey;
}

/** Who answers: a signed id is checked against the survey's identity secret (RespondentSignatureError if wrong). */
export async function identify(
  identitySecret: SubmitResponseDeps['identitySecret'],
  surveyId: string,
  input: ResponseInput['respondent'],
): Promise<Respondent> {
  const signed = input?.signature !== undefined || input?.emailSignature !== undefined;
  const secret = signed ? await identitySecret(surveyId) : undefined;
  return identifyRespondent(input, secret);
}

/** The invitation's id and address replace whatever the post claimed: the link is the proof. */
function invitedRespondent(respondent: Respondent, invited: SubmitResponseRequest['invited']): Respondent {
  if (!invited) return respondent;
  return {
    ...respondent,
    ...(invited.respondentId ? { id: invited.respondentId, verified: true } : {}),
    ...(invited.email ? { email: invited.email, emailVerified: true } : {}),
  };
}

/**
 * Stores a widget/hosted-page response and publishes FeedbackReceived for every revision not yet published.
 * A crash between the write and the publish leaves `publishedRevision` behind, so the client's retry (same
 * responseId) publishes it then; consumers apply each (feedbackId, revision) once, so a second publish is harmless.
 */
export async function submitResponse(
  deps: SubmitResponseDeps,
  request: SubmitResponseRequest,
): Promise<RecordedResponse> {
  const { surveyId, input, causation, now } = request;
  const survey = await activeSurvey(deps.surveys, surveyId);
  await deps.rateLimiter.hitClientAndSurvey(rateLimits.responsesPerIp, rateLimits.responsesPerSurvey, request);
  const respondent = invitedRespondent(
    await identify(deps.identitySecret, surveyId, input.respondent),
    request.invited,
  );
  const key = respondentKey(respondent);
  if (key) await deps.rateLimiter.hit(rateLimits.responsesPerRespondent, key, now);

  const responseId = input.responseId ?? ulid();
  const policy = await deps.retentionPolicy();
  const endOfLife = feedbackEndOfLife(policy, now);
  const patch = responsePatch(survey, input, respondent);
  const recorded = await deps.responses.record(
    surveyId,
    responseId,
    (previous) => applyResponsePatch(previous, patch),
    () => `fb_${ulid()}`,
    now,
    endOfLife.expiresAt,
  );

  if (recorded.publishedRevision < recorded.response.revision) {
    if (key) {
      await deps.respondents.recordResponse(surveyId, key, recorded.response.occurredAt, {
        identifiers: respondentIdentifiers(recorded.response.content.respondent),
        expiresAt: respondentStateExpiresAt(policy, now),
      });
    }
    await publishResponses(
      deps,
      survey,
      [{ response: recorded.response, retainUntil: endOfLife.retainUntil }],
      causation,
      now,
    );
  }
  return recorded;
}
