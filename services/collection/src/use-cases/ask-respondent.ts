import type { RetentionPolicy } from '@cxloop/events';
import { InvalidInputError } from '@cxloop/lambda-kit';
import { respondentIdentifiers } from '@cxloop/privacy';
import { UnknownResourceError } from '../domain/errors';
import { rateLimits } from '../domain/rate-limits';
import { type AskDecision, askDecision, type RespondentInput, respondentKey } from '../domain/respondents';
import { respondentStateExpiresAt } from '../domain/retention';
import type { RateLimiter } from '../store/rate-limits';
import type { RespondentStore } from '../store/respondents';
import type { SurveyStore } from '../store/surveys';
import { identify } from './submit-response';

export interface AskRespondentDeps {
  surveys: Pick<SurveyStore, 'get'>;
  identitySecret: (surveyId: string) => Promise<string | undefined>;
  respondents: RespondentStore;
  rateLimiter: RateLimiter;
  /** Uniform in [0, 1): the sampling draw. */
  random: () => number;
  /** The retention policy in force: how long the record of an ask is kept. */
  retentionPolicy: () => Promise<RetentionPolicy>;
}

export interface AskRespondentRequest {
  surveyId: string;
  respondent: RespondentInput;
  clientIp: string;
  now: Date;
}

/**
 * "May this respondent be asked now?" A yes is recorded as the respondent's last ask in the same step, conditionally,
 * so that two pages opened at once do not both show the survey; so is a draw out of the sample, so that reloading
 * the page does not draw again.
 */
export async function askRespondent(deps: AskRespondentDeps, request: AskRespondentRequest): Promise<AskDecision> {
  const { surveyId, now } = request;
  const survey = await deps.surveys.get(surveyId);
  if (!survey) throw new UnknownResourceError(`Survey ${surveyId} does not exist`);
  await deps.rateLimiter.hitClientAndSurvey(rateLimits.asksPerIp, rateLimits.asksPerSurvey, request);
  const respondent = await identify(deps.identitySecret, surveyId, request.respondent);
  const key = respondentKey(respondent);
  if (!key) {
    throw new InvalidInputError([
      { field: 'body.respondent', message: 'expected an anonymousId, or an id with its signature' },
    ]);
  }
  const state = await deps.respondents.get(surveyId, key);
  const decision = askDecision(survey, state, now, deps.random());
  if (decision.ask || decision.reason === 'not_sampled') {
    const recorded = await deps.respondents.recordAsk(surveyId, key, state, now, {
      identifiers: respondentIdentifiers(respondent),
      expiresAt: respondentStateExpiresAt(await deps.retentionPolicy(), now),
    });
    if (!recorded) return askDecision(survey, await deps.respondents.get(surveyId, key), now, 0);
  }
  return decision;
}
