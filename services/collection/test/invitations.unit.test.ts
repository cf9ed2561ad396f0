import { createHmac } from 'node:crypto';
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

describe('invitation links signed by the follow-up service with the deployment invitation key', () => {
  it('open on the hosted page, which accepts either the survey identity secret or the invitation key', () => {
    const byFollowUp = signInvitation(invitationKey, invitation);
    const byHost = signInvitation(identitySecret, invitation);
    expect(openInvitation([identitySecret, invitationKey], 'srv_1', byFollowUp, now)).toEqual(invitation);
    expect(openInvitation([identitySecret, invitationKey], 'srv_1', byHost, now)).toEqual(invitation);
    // A survey without an identity secret still accepts the deployment's links.
    expect(openInvitation(['', invitationKey], 'srv_1', byFollowUp, now)).toEqual(invitation);
    // The identity secret alone does not accept a link signed with the invitation key.
    expect(reasonOf(() => openInvitation(identitySecret, 'srv_1', byFollowUp, now))).toBe('bad_signature');
  });

  it('reject a forged token: another key, or a payload changed under a genuine signature', () => {
    const keys = [identitySecret, invitationKey];
    const forged = signInvitation('a-key-the-attacker-made-up', { ...invitation, email: 'mallory@example.com' });
    expect(reasonOf(() => openInvitation(keys, 'srv_1', forged, now))).toBe('bad_signature');

    const [, genuineSignature] = signInvitation(invitationKey, invitation).split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ s: 'srv_1', e: 'mallory@example.com', c: 'email', x: 1_900_000_000 }),
    ).toString('base64url');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', `${otherPayload}.${genuineSignature}`, now))).toBe(
      'bad_signature',
    );
    expect(reasonOf(() => openInvitation([], 'srv_1', signInvitation(invitationKey, invitation), now))).toBe(
      'bad_signature',
    );
  });

  it('keep the other failure reasons for links signed with the invitation key', () => {
    const keys = [identitySecret, invitationKey];
    const token = signInvitation(invitationKey, invitation);
    expect(reasonOf(() => openInvitation(keys, 'srv_2', token, now))).toBe('other_survey');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', token, new Date('2025-03-31T00:00:00Z')))).toBe('expired');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', `${token}.extra`, now))).toBe('malformed');
    // Correctly signed, but not an invitation: the signature is checked first, then the payload.
    const notJson = Buffer.from('not json').toString('base64url');
    const mac = createHmac('sha256', invitationKey).update(`cxloop-invitation.${notJson}`).digest('base64url');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', `${notJson}.${mac}`, now))).toBe('malformed');
  });
});
