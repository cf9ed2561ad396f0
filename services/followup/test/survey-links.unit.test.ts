import { InvalidInvitationError, openInvitation } from '@cxloop/link-tokens';
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../src/domain/messages';
import { SURVEY_LINK_VALID_DAYS, surveyLink, surveyLinkValid } from '../src/domain/survey-links';

const invitationKey = 'deployment-invitation-key';
const invitation = {
  surveyId: 'srv 1/ü',
  respondentId: 'customer-7',
  channel: 'email' as const,
  to: 'anna@example.com',
  locale: 'ru' as const,
  sendAt: '2026-11-20T12:00:00.000Z',
};

describe('survey links of invitations', () => {
  const link = new URL(surveyLink({ publicApiUrl: 'https://api.example.com/', invitationKey, invitation }));

  it("point at collection's hosted page for the survey, in the person's language", () => {
    expect(link.origin).toBe('https://api.example.com');
    expect(link.pathname).toBe('/s/srv%201%2F%C3%BC');
    expect(decodeURIComponent(link.pathname.slice(3))).toBe(invitation.surveyId);
    expect(link.searchParams.get('lang')).toBe('ru');
  });

  it('carry a token the hosted page opens with the invitation key: who, by which channel, for 30 days', () => {
    const token = link.searchParams.get('t') as string;
    const sentAt = Date.parse(invitation.sendAt);
    expect(
      openInvitation(['survey-identity-secret', invitationKey], invitation.surveyId, token, new Date(sentAt)),
    ).toEqual({
      surveyId: invitation.surveyId,
      respondentId: 'customer-7',
      email: 'anna@example.com',
      channel: 'email',
      expiresAt: new Date(sentAt + SURVEY_LINK_VALID_DAYS * 86_400_000),
    });
    expect(() => openInvitation('another-key', invitation.surveyId, token, new Date(sentAt))).toThrow(
      InvalidInvitationError,
    );
  });

  it('show neither the e-mail address nor the user id to whoever sees the URL', () => {
    const token = link.searchParams.get('t') as string;
    for (const text of [link.toString(), Buffer.from(token, 'base64url').toString('latin1')]) {
      expect(text).not.toContain('anna');
      expect(text).not.toContain('customer-7');
    }
  });

  it('of an SMS invitation carry the user id and the channel, never the phone number', () => {
    const sms = { ...invitation, channel: 'sms' as const, to: '+79991234567' };
    const url = new URL(surveyLink({ publicApiUrl: 'https://api.example.com', invitationKey, invitation: sms }));
    const opened = openInvitation(
      invitationKey,
      sms.surveyId,
      url.searchParams.get('t') as string,
      new Date(sms.sendAt),
    );
    expect(opened).toEqual({
      surveyId: sms.surveyId,
      respondentId: 'customer-7',
      channel: 'sms',
      expiresAt: new Date(Date.parse(sms.sendAt) + SURVEY_LINK_VALID_DAYS * 86_400_000),
    });
  });

  it('stop opening the survey 30 days after sending, and never for an invitation not sent', () => {
    const sentAt = Date.parse(invitation.sendAt);
    expect(surveyLinkValid({ status: 'sent', sendAt: invitation.sendAt }, new Date(sentAt + 86_400_000))).toBe(true);
    const expiry = new Date(sentAt + SURVEY_LINK_VALID_DAYS * 86_400_000);
    expect(surveyLinkValid({ status: 'sent', sendAt: invitation.sendAt }, expiry)).toBe(false);
    expect(surveyLinkValid({ status: 'cancelled', sendAt: invitation.sendAt }, new Date(sentAt))).toBe(false);
  });

  it('survive HTML escaping in the invitation e-mail and stay intact in its text part', () => {
    const url = link.toString();
    const email = renderEmail({
      template: 'survey_invitation',
      locale: 'ru',
      unsubscribeUrl: 'https://api.example.com/u/token',
      variables: { surveyUrl: url },
    });
    expect(email.text).toContain(url);
    expect(email.html).toContain(`href="${url.replaceAll('&', '&amp;')}"`);
    expect(email.html).not.toContain(`href="${url}"`);
    expect(email.subject).toBe('Как у нас дела? Всего один вопрос');
    expect(
      renderEmail({
        template: 'survey_invitation',
        locale: 'en',
        unsubscribeUrl: 'https://x/u/t',
        variables: { surveyUrl: url },
      }).subject,
    ).toBe('How are we doing? One quick question');
  });
});
