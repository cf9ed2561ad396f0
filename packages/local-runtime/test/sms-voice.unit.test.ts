import { describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-api/aws-error';
import { SmsVoiceV2 } from '../src/sms/sms-voice-v2';
import type { QueueRegistry } from '../src/sqs/queue-registry';
import type { TopicDefinition } from '../src/template/resources/topics';

const clock = { now: () => Date.parse('2026-11-20T09:15:00Z'), schedule: () => () => {} };
const topic = (arn: string, smsTwoWayChannel: boolean, raw: boolean): TopicDefinition => ({
  logicalId: arn.split(':').pop() as string,
  arn,
  name: arn.split(':').pop() as string,
  subscriptions: [{ queueArn: `${arn}-queue`, raw }],
  smsTwoWayChannel,
});

function service(topics: TopicDefinition[]) {
  const delivered: Array<{ queue: string; body: string }> = [];
  const queues = {
    get: (queue: string) => ({ send: ({ body }: { body: string }) => delivered.push({ queue, body }) }),
  } as unknown as QueueRegistry;
  return { sms: new SmsVoiceV2(topics, queues, clock), delivered };
}

describe('local End User Messaging SMS', () => {
  it('records accepted texts in the outbox, refuses malformed ones and throttles on request', () => {
    const { sms } = service([]);
    const request = { DestinationPhoneNumber: '+79991234567', OriginationIdentity: 'pool-1', MessageBody: 'Привет' };
    expect(sms.handle('SendTextMessage', request)).toEqual({ MessageId: expect.any(String) });
    expect(sms.outbox()).toEqual([
      expect.objectContaining({
        to: '+79991234567',
        originationIdentity: 'pool-1',
        body: 'Привет',
        sentAt: '2026-11-20T09:15:00.000Z',
      }),
    ]);
    expect(() => sms.handle('SendTextMessage', { ...request, DestinationPhoneNumber: '89991234567' })).toThrow(
      AwsError,
    );
    sms.failNext(1);
    expect(() => sms.handle('SendTextMessage', request)).toThrow(/Rate exceeded/);
    sms.handle('SendTextMessage', request);
    expect(sms.outbox()).toHaveLength(2);
    expect(() => sms.handle('SendVoiceMessage', {})).toThrow(/does not implement/);
  });

  it('delivers a reply to the two-way channel topics only, raw or in the SNS envelope', () => {
    const { sms, delivered } = service([
      topic('arn:aws:sns:us-east-1:000000000000:replies', true, true),
      topic('arn:aws:sns:us-east-1:000000000000:enveloped', true, false),
      topic('arn:aws:sns:us-east-1:000000000000:alarms', false, true),
    ]);
    const id = sms.receive({ from: '+79991234567', body: 'STOP' });
    expect(delivered.map((d) => d.queue)).toEqual([
      'arn:aws:sns:us-east-1:000000000000:replies-queue',
      'arn:aws:sns:us-east-1:000000000000:enveloped-queue',
    ]);
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({
      originationNumber: '+79991234567',
      messageBody: 'STOP',
      inboundMessageId: id,
    });
    const envelope = JSON.parse(delivered[1]!.body);
    expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:000000000000:enveloped' });
    expect(JSON.parse(envelope.Message)).toMatchObject({ messageBody: 'STOP' });
    expect(() => service([]).sms.receive({ from: '+79991234567', body: 'STOP' })).toThrow(/no two-way SMS topic/);
    // Over HTTP, for `npm start` users.
    expect(sms.handleLocal('POST', '/replies', { from: '+79991234567', body: 'СТОП' })).toEqual({
      inboundMessageId: expect.any(String),
    });
    expect(delivered).toHaveLength(4);
    expect(sms.handleLocal('GET', '/outbox', {})).toEqual({ messages: [] });
    expect(() => sms.handleLocal('POST', '/replies', { from: '+79991234567' })).toThrow(/Give "from"/);
  });
});
