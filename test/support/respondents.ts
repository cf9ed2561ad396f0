import { signRespondentEmail, signRespondentId } from '../../services/collection/src/domain/respondents';

/**
 * A respondent as the host site's server would post it through a widget: its user id and e-mail address signed
 * with the survey's identity secret, so that follow-up may act on them.
 */
export function provenRespondent(identitySecret: string, respondent: { id?: string; email?: string; locale?: string }) {
  return {
    ...respondent,
    ...(respondent.id ? { signature: signRespondentId(identitySecret, respondent.id) } : {}),
    ...(respondent.email ? { emailSignature: signRespondentEmail(identitySecret, respondent.email) } : {}),
  };
}
