import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalRuntime } from '../src/index';
import { localCredentials } from '../src/local-credentials';
import { type Fixture, prepareFixture } from './support/fixture-runtime';

/** AWS's minutes become 0.6 s. */
const timeScale = 0.01;
let fixture: Fixture;
let runtime: LocalRuntime;
let scheduler: SchedulerClient;
let ses: SESv2Client;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  fixture = prepareFixture('FixtureScheduler');
  runtime = await fixture.start({ dynamoEndpoint: inject('dynamoEndpoint'), timeScale });
  const client = { region: 'us-east-1', credentials: localCredentials };
  scheduler = new SchedulerClient({ ...client, endpoint: `${runtime.awsEndpoint}/scheduler` });
  ses = new SESv2Client({ ...client, endpoint: `${runtime.awsEndpoint}/sesv2` });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: runtime.dynamoEndpoint }));
});
afterAll(async () => {
  scheduler?.destroy();
  ses?.destroy();
  documents?.destroy();
  await fixture?.dispose();
});

const read = async (pk: string) =>
  (await documents.send(new GetCommand({ TableName: runtime.outputs.TableName, Key: { pk } }))).Item;
const arnOf = (functionPrefix: string) => {
  const [, name] = Object.entries(runtime.resources.functions).find(([id]) => id.startsWith(functionPrefix)) ?? [];
  return `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
};
/** `at()` wants local date-time without zone or milliseconds. */
const atExpression = (ms: number) => `at(${new Date(ms).toISOString().slice(0, 19)})`;
const schedule = (name: string, target: Partial<CreateScheduleCommandInput['Target']>): CreateScheduleCommandInput => ({
  Name: name,
  // A minute of AWS time ahead: at most 0.6 s here.
  ScheduleExpression: atExpression(Date.now() + 60_000),
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: { Arn: arnOf('Projector'), RoleArn: 'arn:aws:iam::000000000000:role/scheduler', ...target },
});
const waitUntilGone = async (name: string) => {
  const deadline = Date.now() + 10_000;
  while (runtime.schedules().some((candidate) => candidate.name === name)) {
    if (Date.now() > deadline) throw new Error(`schedule ${name} never completed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('EventBridge Scheduler', () => {
  it('runs the template schedules, and idle() does not wait for future ones', async () => {
    expect(runtime.schedules()).toEqual([
      expect.objectContaining({
        name: `${runtime.stackName}-Nightly`,
        groupName: 'fixture-reminders',
        state: 'ENABLED',
        nextInvocation: '2099-01-01T08:00:00.000Z',
      }),
    ]);
    // The fixture's Ticker rule keeps functions busy now and then; the 2099 schedule must never count.
    await runtime.idle(15_000);
    expect(await read('projection#nightly')).toBeUndefined();
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: 'fixture-reminders' }));
    expect(listed.Schedules?.map((summary) => summary.Name)).toEqual([`${runtime.stackName}-Nightly`]);
  });

  it('invokes a Lambda target asynchronously when a one-time schedule is due, then deletes the schedule', async () => {
    const created = await scheduler.send(
      new CreateScheduleCommand(schedule('remind-1', { Input: JSON.stringify({ detail: { id: 'scheduled-1' } }) })),
    );
    expect(created.ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/remind-1');
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'remind-1' }));
    expect(got).toMatchObject({ Name: 'remind-1', GroupName: 'default', State: 'ENABLED' });
    expect(got.CreationDate).toBeInstanceOf(Date);
    await expect(scheduler.send(new CreateScheduleCommand(schedule('remind-1', {})))).rejects.toBeInstanceOf(
      ConflictException,
    );

    await waitUntilGone('remind-1');
    await runtime.idle(15_000);
    expect(await read('projection#scheduled-1')).toMatchObject({ deliveries: 1 });
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'remind-1' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('gives a failing Lambda target the async retries and on-failure destination', async () => {
    await scheduler.send(
      new CreateScheduleCommand(
        schedule('remind-2', { Input: JSON.stringify({ detail: { id: 'scheduled-2', failAsync: true } }) }),
      ),
    );
    await waitUntilGone('remind-2');
    await runtime.idle(15_000);
    const records = runtime
      .queueMessages('AsyncFailures')
      .map((message) => JSON.parse(message.body))
      .filter((body) => body.requestPayload.detail.id === 'scheduled-2');
    expect(records).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 3 }),
      }),
    ]);
  });

  it('sends the input of a schedule with an SQS target as a message', async () => {
    const [, queueUrl] = Object.entries(runtime.resources.queues).find(([id]) => id.startsWith('WorkDlq')) ?? [];
    const queueArn = `arn:aws:sqs:us-east-1:000000000000:${queueUrl?.split('/').pop()}`;
    await scheduler.send(new CreateScheduleCommand(schedule('to-queue', { Arn: queueArn, Input: 'hello queue' })));
    await waitUntilGone('to-queue');
    expect(runtime.queueMessages('WorkDlq').map((message) => message.body)).toContain('hello queue');
  });
});

describe('SESv2', () => {
  const email = () =>
    new SendEmailCommand({
      FromEmailAddress: 'surveys@cxloop.example',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: { Simple: { Subject: { Data: 'How did we do?' }, Body: { Text: { Data: 'Tell us' } } } },
      ConfigurationSetName: 'feedback',
    });

  it('puts sent emails in the outbox', async () => {
    const { MessageId } = await ses.send(email());
    expect(runtime.outbox().at(-1)).toMatchObject({
      messageId: MessageId,
      from: 'surveys@cxloop.example',
      to: ['ada@example.com'],
      subject: 'How did we do?',
      text: 'Tell us',
      configurationSetName: 'feedback',
    });
  });

  it('throttles the next sends when asked, which the SDK retries', async () => {
    const before = runtime.outbox().length;
    runtime.ses.failNext(2);
    const sent = await ses.send(email());
    expect(sent.$metadata.attempts).toBe(3);
    runtime.ses.failNext(3);
    await expect(ses.send(email())).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(runtime.outbox()).toHaveLength(before + 1);
  });
});
