import { beforeEach, describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-api/aws-error';
import { SesV2 } from '../src/ses/sesv2';
import { FakeClock } from './support/fake-clock';

let ses: SesV2;
const send = (input: Record<string, unknown>) => ses.handle('POST', '/v2/email/outbound-emails', input);
const simple = {
  FromEmailAddress: 'surveys@cxloop.example',
  Destination: { ToAddresses: ['ada@example.com'], BccAddresses: ['audit@cxloop.example'] },
  Content: {
    Simple: {
      Subject: { Data: 'How did we do?' },
      Body: { Text: { Data: 'Tell us' }, Html: { Data: '<p>Tell us</p>' } },
      Headers: [{ Name: 'List-Unsubscribe', Value: '<https://cxloop.example/u>' }],
    },
  },
  ConfigurationSetName: 'feedback',
  ListManagementOptions: { ContactListName: 'customers', TopicName: 'surveys' },
};
const failure = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    if (error instanceof AwsError) return { code: error.code, status: error.statusCode };
  }
  throw new Error('expected an AwsError');
};

beforeEach(() => {
  ses = new SesV2(new FakeClock());
});

describe('SesV2', () => {
  it('records every sent email in the outbox and answers its MessageId', () => {
    const { MessageId } = send(simple) as { MessageId: string };
    expect(ses.outbox()).toEqual([
      {
        messageId: MessageId,
        sentAt: '2030-01-01T00:00:00.000Z',
        from: 'surveys@cxloop.example',
        to: ['ada@example.com'],
        cc: [],
        bcc: ['audit@cxloop.example'],
        replyTo: [],
        subject: 'How did we do?',
        text: 'Tell us',
        html: '<p>Tell us</p>',
        headers: [{ Name: 'List-Unsubscribe', Value: '<https://cxloop.example/u>' }],
        configurationSetName: 'feedback',
        listManagementOptions: { ContactListName: 'customers', TopicName: 'surveys' },
        emailTags: [],
        request: simple,
      },
    ]);
  });

  it('decodes raw messages', () => {
    const mime = 'From: a@cxloop.example\r\nTo: b@example.com\r\nSubject: Hi\r\n\r\nHello';
    send({ Content: { Raw: { Data: Buffer.from(mime).toString('base64') } } });
    expect(ses.outbox()[0]).toMatchObject({ raw: mime, to: [] });
  });

  it('throttles the next n sends, then sends again', () => {
    ses.failNext(2);
    expect(failure(() => send(simple))).toEqual({ code: 'TooManyRequestsException', status: 429 });
    expect(failure(() => send(simple))).toEqual({ code: 'TooManyRequestsException', status: 429 });
    expect(ses.outbox()).toEqual([]);
    send(simple);
    expect(ses.outbox()).toHaveLength(1);
    expect(() => ses.failNext(-1)).toThrow();
  });

  it('rejects what SES rejects', () => {
    expect(failure(() => send({ ...simple, Content: {} }))).toEqual({ code: 'BadRequestException', status: 400 });
    expect(failure(() => send({ ...simple, Destination: {} }))).toMatchObject({ code: 'BadRequestException' });
    expect(failure(() => send({ ...simple, FromEmailAddress: undefined }))).toMatchObject({
      code: 'BadRequestException',
    });
    expect(ses.outbox()).toEqual([]);
  });
});
