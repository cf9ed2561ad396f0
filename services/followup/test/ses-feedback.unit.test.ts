import { describe, expect, it } from 'vitest';
import { sesFeedbackEventSchema, suppressionsOfSesEvent } from '../src/use-cases/ses-feedback';

const at = new Date('2026-11-20T12:00:00Z');
const mail = {
  timestamp: '2026-11-20T11:59:58.000Z',
  source: 'cx@example.com',
  messageId: '0102018f-example-000000',
  destination: ['anna@example.com'],
};

/** The shape SES publishes to the default bus (the email-sending event record as `detail`). */
const bounced = (bounceType: string, emailAddress = 'Anna@Example.com') => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'Email Bounced',
  source: 'aws.ses',
  account: '123456789012',
  time: '2026-11-20T12:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/cx'],
  detail: {
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1' }],
      timestamp: '2026-11-20T12:00:00.000Z',
      feedbackId: 'fb-bounce-1',
    },
    mail,
  },
});

const complained = (complaintFeedbackType?: string) => ({
  ...bounced('Permanent'),
  'detail-type': 'Email Complaint Received',
  detail: {
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: [{ emailAddress: 'anna@example.com' }],
      timestamp: '2026-11-20T12:00:00.000Z',
      feedbackId: 'fb-complaint-1',
      ...(complaintFeedbackType ? { complaintFeedbackType } : {}),
    },
    mail,
  },
});

const suppressions = (event: unknown) => suppressionsOfSesEvent(sesFeedbackEventSchema.parse(event), at);

describe('SES bounces and complaints', () => {
  it('suppress the address of a permanent bounce', () => {
    expect(suppressions(bounced('Permanent'))).toEqual([
      { personKey: 'email:anna@example.com', reason: 'bounced', at: at.toISOString(), source: 'ses:fb-bounce-1' },
    ]);
    expect(suppressions(bounced('Permanent', '"Anna" <Anna@Example.com>'))[0]?.personKey).toBe(
      'email:anna@example.com',
    );
  });

  it('leave transient and undetermined bounces alone', () => {
    expect(suppressions(bounced('Transient'))).toEqual([]);
    expect(suppressions(bounced('Undetermined'))).toEqual([]);
  });

  it('suppress complainers, unless the provider says it was not spam', () => {
    expect(suppressions(complained('abuse'))).toEqual([
      {
        personKey: 'email:anna@example.com',
        reason: 'complained',
        at: at.toISOString(),
        source: 'ses:fb-complaint-1',
      },
    ]);
    expect(suppressions(complained())).toHaveLength(1);
    expect(suppressions(complained('not-spam'))).toEqual([]);
  });

  it('refuse events of another shape', () => {
    expect(sesFeedbackEventSchema.safeParse({ ...bounced('Permanent'), source: 'cxloop.followup' }).success).toBe(
      false,
    );
    expect(
      sesFeedbackEventSchema.safeParse({ ...bounced('Permanent'), 'detail-type': 'Email Delivered' }).success,
    ).toBe(false);
    const noRecipients = bounced('Permanent');
    noRecipients.detail.bounce.bouncedRecipients = [];
    expect(sesFeedbackEventSchema.safeParse(noRecipients).success).toBe(false);
  });
});
