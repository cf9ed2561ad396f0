import { ulid } from 'ulid';
import { UnknownResourceError } from '../domain/errors';
import type { SecretBox } from '../domain/secret-box';
import {
  type CreateSurveyInput,
  generateIdentitySecret,
  newSurvey,
  type Survey,
  type UpdateSurveyInput,
  updatedSurvey,
} from '../domain/surveys';
import type { SurveyStore } from '../store/surveys';

export interface ManageSurveysDeps {
  surveys: SurveyStore;
  secretBox: () => Promise<SecretBox>;
}

export function identitySecretContext(surveyId: string): string {
  return `survey:${surveyId}:identity`;
}

/** The survey and its identity secret, which is shown this once (rotate to get a new one). */
export async function createSurvey(
  deps: ManageSurveysDeps,
  input: CreateSurveyInput,
  now: Date,
): Promise<{ survey: Survey; identitySecret: string }> {
  const survey = newSurvey(input, `srv_${ulid()}`, now);
  const identitySecret = generateIdentitySecret();
  const box = await deps.secretBox();
  await deps.surveys.create(survey, box.seal(identitySecret, identitySecretContext(survey.id)));
  return { survey, identitySecret };
}

export async function updateSurvey(
  deps: Pick<ManageSurveysDeps, 'surveys'>,
  surveyId: string,
  update: UpdateSurveyInput,
  now: Date,
): Promise<Survey> {
  const survey = await deps.surveys.get(surveyId);
  if (!survey) throw new UnknownResourceError(`Survey ${surveyId} does not exist`);
  const next = updatedSurvey(survey, update, now);
  await deps.surveys.replace(survey, next);
  return next;
}

/** A new identity secret, shown this once; user ids signed with the old one are refused from now on. */
export async function rotateIdentitySecret(deps: ManageSurveysDeps, surveyId: string): Promise<string> {
  if (!(await deps.surveys.get(surveyId))) throw new UnknownResourceError(`Survey ${surveyId} does not exist`);
  const identitySecret = generateIdentitySecret();
  const box = await deps.secretBox();
  await deps.surveys.putSealedIdentitySecret(surveyId, box.seal(identitySecret, identitySecretContext(surveyId)));
  return identitySecret;
}

/** The opened identity secret of a survey, for checking signed user ids. */
export async function openIdentitySecret(deps: ManageSurveysDeps, surveyId: string): Promise<string | undefined> {
  const sealed = await deps.surveys.getSealedIdentitySecret(surveyId);
  if (!sealed) return undefined;
  return (await deps.secretBox()).open(sealed, identitySecretContext(surveyId));
}
