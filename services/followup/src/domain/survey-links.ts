import { signInvitation } from '@cxloop/link-tokens';
import type { SurveyInvitation } from './invitations';

/** How long an invitation link opens the survey after the invitation is sent. */
export const SURVEY_LINK_VALID_DAYS = 30;

/**
 * The link to the hosted survey page (served by the collection service at `/s/{surveyId}`) for one invitation,
 * made with the deployment's invitation key: it names the person (their user id and e-mail address, encrypted) so
 * that the answer is attributed to them, and it opens the page in their language. An SMS invitation's link names
 * the user id only: a phone number is not a respondent identity the survey page knows.
 */
export function surveyLink(input: {
  publicApiUrl: string;
  invitationKey: string;
  invitation: Pick<SurveyInvitation, 'surveyId' | 'respondentId' | 'channel' | 'to' | 'locale' | 'sendAt'>;
}): string {
  const { invitation } = input;
  const token = signInvitation(input.invitationKey, {
    surveyId: invitation.surveyId,
    ...(invitation.respondentId ? { respondentId: invitation.respondentId } : {}),
    ...(invitation.channel === 'email' ? { email: invitation.to } : {}),
    channel: invitation.channel,
    expiresAt: new Date(Date.parse(invitation.sendAt) + SURVEY_LINK_VALID_DAYS * 86_400_000),
  });
  const url = new URL(`${input.publicApiUrl.replace(/\/+$/, '')}/s/${encodeURIComponent(invitation.surveyId)}`);
  url.searchParams.set('t', token);
  url.searchParams.set('lang', invitation.locale);
  return url.toString();
}

/** Whether an invitation's link still opens the survey: sent, and within its validity. */
export const surveyLinkValid = (invitation: Pick<SurveyInvitation, 'status' | 'sendAt'>, now: Date) =>
  invitation.status === 'sent' && now.getTime() < Date.parse(invitation.sendAt) + SURVEY_LINK_VALID_DAYS * 86_400_000;
