import { describe, expect, it } from 'vitest';
import { InvalidInvitationError, openInvitation, signInvitation } from '../src/domain/invitations';

const now = new Date('2025-03-01T12:00:00Z');
const identitySecret = 'cxs_survey-identity-secret';
const invitationKey = 'deployment-invitation-key-0123456789';
const invitation = {
  surveyId: 'srv_1',
  email: 'anna@example.com',
  channel: 'email' as const,
  expiresAt: new Date('2025-03-31T00:00:00Z'),
};

const reasonOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInvitationError) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('invitation links made by the follow-up service with the deployment invitation key', () => {
  it('open on the hosted page, which accepts either the survey identity secret or the invitation key', () => {
    const byFollowUp = signInvitation(invitationKey, invitation);
    const byHost = signInvitation(identitySecret, invitation);
    expect(openInvitation([identitySecret, invitationKey], 'srv_1', byFollowUp, now)).toEqual(invitation);
    expect(openInvitation([identitySecret, invitationKey], 'srv_1', byHost, now)).toEqual(invitation);
    // A survey without an identity secret still accepts the deployment's links.
    expect(openInvitation(['', invitationKey], 'srv_1', byFollowUp, now)).toEqual(invitation);
    // The identity secret alone does not accept a link made with the invitation key.
    expect(reasonOf(() => openInvitation(identitySecret, 'srv_1', byFollowUp, now))).toBe('not_authentic');
  });

  it('reject a token made with another key, for another survey, or expired', () => {
    const keys = [identitySecret, invitationKey];
    const forged = signInvitation('a-key-the-attacker-made-up', { ...invitation, email: 'mallory@example.com' });
    expect(reasonOf(() => openInvitation(keys, 'srv_1', forged, now))).toBe('not_authentic');
    const token = signInvitation(invitationKey, invitation);
    expect(reasonOf(() => openInvitation(keys, 'srv_2', token, now))).toBe('not_authentic');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', token, new Date('2025-03-31T00:00:00Z')))).toBe('expired');
  });
});
