import { describe, expect, it } from 'vitest';
import {
  InvalidInvitationError,
  type InvalidInvitationReason,
  type Invitation,
  openInvitation,
  signInvitation,
} from '../src/invitation-tokens';
import { sealToken } from '../src/sealed-token';

const now = new Date('2025-03-01T12:00:00Z');
const identitySecret = 'cxs_survey-identity-secret';
const invitationKey = 'deployment-invitation-key-0123456789';
const invitation: Invitation = {
  surveyId: 'srv_1',
  email: 'anna.ivanova@example.com',
  channel: 'email',
  expiresAt: new Date('2025-03-31T00:00:00Z'),
};

const reasonOf = (run: () => unknown): InvalidInvitationReason | 'accepted' => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInvitationError) return error.reason;
    throw error;
  }
  return 'accepted';
};

/** Every reading of the token's text a log reader might try: as it is, and decoded as base64url or base64. */
const readings = (token: string) => [
  token,
  Buffer.from(token, 'base64url').toString('latin1'),
  Buffer.from(token, 'base64').toString('latin1'),
  ...token
    .split(/[^A-Za-z0-9_-]/)
    .flatMap((segment) => [
      Buffer.from(segment, 'base64url').toString('utf8'),
      Buffer.from(segment, 'base64').toString('utf8'),
    ]),
];

describe('invitation tokens', () => {
  it('open to what was made, with either the survey identity secret or the deployment invitation key', () => {
    const full = { ...invitation, respondentId: 'клиент-7', channel: 'sms' as const };
    const byFollowUp = signInvitation(invitationKey, full);
    const byHost = signInvitation(identitySecret, invitation);
    expect(openInvitation([identitySecret, invitationKey], 'srv_1', byFollowUp, now)).toEqual(full);
    expect(openInvitation([identitySecret, invitationKey], 'srv_1', byHost, now)).toEqual(invitation);
    // A survey without an identity secret still accepts the deployment's links.
    expect(openInvitation(['', invitationKey], 'srv_1', byFollowUp, now)).toEqual(full);
    expect(reasonOf(() => openInvitation(identitySecret, 'srv_1', byFollowUp, now))).toBe('not_authentic');
    const bare = { surveyId: 'srv_1', expiresAt: invitation.expiresAt };
    expect(openInvitation(identitySecret, 'srv_1', signInvitation(identitySecret, bare), now)).toEqual(bare);
  });

  it('carry nothing readable: no e-mail address, respondent id or survey in any decoding of the text', () => {
    const token = signInvitation(invitationKey, { ...invitation, respondentId: 'customer-7' });
    for (const text of readings(token)) {
      expect(text).not.toContain('anna.ivanova@example.com');
      expect(text).not.toContain('anna.ivanova');
      expect(text).not.toContain('customer-7');
      expect(text).not.toContain('srv_1');
    }
  });

  it('stay short enough for an SMS link', () => {
    // 12-byte IV + 16-byte tag + 7-byte header + the address, in base64url.
    expect(signInvitation(invitationKey, invitation)).toHaveLength(Math.ceil(((28 + 7 + 24) * 4) / 3));
    expect(signInvitation(invitationKey, invitation).length).toBeLessThanOrEqual(80);
  });

  it('are refused for another survey, with another key, with no usable key, or when altered', () => {
    const keys = [identitySecret, invitationKey];
    const token = signInvitation(invitationKey, invitation);
    expect(reasonOf(() => openInvitation(keys, 'srv_2', token, now))).toBe('not_authentic');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', signInvitation('made-up', invitation), now))).toBe(
      'not_authentic',
    );
    // The empty key is never a key: a survey without an identity secret does not accept tokens made with ''.
    expect(reasonOf(() => openInvitation(['', invitationKey], 'srv_1', signInvitation('', invitation), now))).toBe(
      'not_authentic',
    );
    expect(reasonOf(() => openInvitation([], 'srv_1', token, now))).toBe('not_authentic');
    const bytes = Buffer.from(token, 'base64url');
    for (const index of [0, 12, 20, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index] = altered[index]! ^ 0x80;
      expect(reasonOf(() => openInvitation(keys, 'srv_1', altered.toString('base64url'), now))).toBe('not_authentic');
    }
    expect(reasonOf(() => openInvitation(keys, 'srv_1', `${token}.extra`, now))).toBe('not_authentic');
    expect(reasonOf(() => openInvitation(keys, 'srv_1', 'no-token', now))).toBe('not_authentic');
  });

  it('are refused once expired', () => {
    const token = signInvitation(invitationKey, invitation);
    expect(reasonOf(() => openInvitation(invitationKey, 'srv_1', token, new Date('2025-03-30T23:59:59Z')))).toBe(
      'accepted',
    );
    expect(reasonOf(() => openInvitation(invitationKey, 'srv_1', token, invitation.expiresAt))).toBe('expired');
  });

  it('are refused as malformed when authentic but not an invitation', () => {
    const sealed = (payload: Buffer) => sealToken(invitationKey, 'invitation', payload, 'srv_1');
    expect(reasonOf(() => openInvitation(invitationKey, 'srv_1', sealed(Buffer.from('short')), now))).toBe('malformed');
    const header = Buffer.from([0x7f, 0, 0, 0, 1, 0, 0]);
    expect(
      reasonOf(() => openInvitation(invitationKey, 'srv_1', sealed(Buffer.concat([header, Buffer.from('x')])), now)),
    ).toBe('malformed');
    const longRespondentId = Buffer.from([0x7f, 0, 0, 0, 1, 0, 9]);
    expect(reasonOf(() => openInvitation(invitationKey, 'srv_1', sealed(longRespondentId), now))).toBe('malformed');
    const unknownChannel = Buffer.from([0x7f, 0, 0, 0, 9, 0, 0]);
    expect(reasonOf(() => openInvitation(invitationKey, 'srv_1', sealed(unknownChannel), now))).toBe('malformed');
    // A token sealed for another purpose with the same secret (say, an unsubscribe link) is no invitation.
    const otherPurpose = sealToken(invitationKey, 'unsubscribe', Buffer.from([0x7f, 0, 0, 0, 1, 0, 0]), 'srv_1');
    expect(reasonOf(() => openInvitation(invitationKey, 'srv_1', otherPurpose, now))).toBe('not_authentic');
  });
});
