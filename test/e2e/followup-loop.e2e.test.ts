import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { FeedbackCategorised } from '@cxloop/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Json = Record<string, unknown>;

/**
 * Issue 6, the promoter side of the loop, from a survey answer to the customer's inbox through every service:
 * collection → categorisation → follow-up rules → outbound queue → sender → SES (the runtime's outbox). A promoter is
 * thanked and invited to review exactly once, even when the categorised feedback reaches the follow-up service again;
 * a person who unsubscribed gets nothing.
 */
describe('closing the loop with promoters through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;
  let identitySecret: string;
  const categorised: Json[] = [];

  const emailsTo = (address: string) => system.runtime.outbox().filter((email) => email.to.includes(address));

  async function postAnswer(responseId: string, respondent: Json, score: number, comment: string) {
    const posted = await system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: {
        responseId,
        score,
        comment,
        respondent: provenRespondent(identitySecret, respondent),
        locale: 'en-GB',
        channel: 'web',
      },
    });
    expect(posted.status).toBe(201);
    return ((await posted.json()) as { feedbackId: string }).feedbackId;
  }

  beforeAll(async () => {
    system = await startTestRuntime();
    system.runtime.onEvent((_bus, event) => {
      if (event.source === FeedbackCategorised.source && event['detail-type'] === FeedbackCategorised.detailType) {
        categorised.push(event.detail as Json);
      }
    });
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Checkout NPS', type: 'nps', timeZone: 'Europe/London' },
    });
    ({ id: surveyId, identitySecret } = (await created.json()) as { id: string; identitySecret: string });
    const channels = await system.api('/v1/followup-channels', {
      method: 'PUT',
      admin: true,
      json: { email: { from: 'cx@example.com' } },
    });
    expect(channels.status).toBe(200);
    const config = await system.api('/v1/followup-config', {
      method: 'PUT',
      admin: true,
      json: { reviewUrl: 'https://reviews.example.com/acme' },
    });
    expect(config.status).toBe(200);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('thanks a promoter once and invites a review, with a one-click unsubscribe, even when the feedback arrives again', async () => {
    const feedbackId = await postAnswer(
      'loop-promoter-1',
      { id: 'customer-100', email: 'pat@example.com' },
      10,
      'Great service and fast delivery, thank you so much!',
    );
    await system.runtime.idle(60_000);

    const [thanks, ...more] = emailsTo('pat@example.com');
    expect(more).toEqual([]);
    expect(thanks).toMatchObject({ from: 'cx@example.com', subject: 'Thank you! Would you share that in a review?' });
    expect(thanks?.html).toContain('https://reviews.example.com/acme');
    const headers = Object.fromEntries((thanks?.headers ?? []).map((header) => [header.Name, header.Value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[\w-]+>$/);

    const detail = categorised.find((event) => (event.data as { feedback: Json }).feedback.feedbackId === feedbackId);
    expect(detail).toBeDefined();
    const events = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: `${system.runtime.awsEndpoint}/events`,
    });
    const entry = {
      EventBusName: system.runtime.outputs.EventBusName,
      Source: FeedbackCategorised.source,
      DetailType: FeedbackCategorised.detailType,
      Detail: JSON.stringify(detail),
    };
    for (let delivery = 0; delivery < 2; delivery += 1) {
      expect((await events.send(new PutEventsCommand({ Entries: [entry] }))).FailedEntryCount).toBe(0);
    }
    events.destroy();
    await system.runtime.idle(60_000);
    expect(emailsTo('pat@example.com')).toHaveLength(1);

    const log = await system.api(`/v1/messages?channel=email&status=sent`, { admin: true });
    const { items } = (await log.json()) as { items: { feedbackId?: string; purpose: string }[] };
    expect(items.filter((message) => message.feedbackId === feedbackId)).toHaveLength(1);
  });

  it('sends nothing to a promoter who unsubscribed, and records why', async () => {
    const unsubscribed = await system.api('/v1/unsubscribes', {
      method: 'POST',
      admin: true,
      json: { email: 'sam@example.com' },
    });
    expect(unsubscribed.status).toBe(200);

    const feedbackId = await postAnswer(
      'loop-promoter-2',
      { id: 'customer-200', email: 'Sam@Example.com' },
      9,
      'Lovely people and a great app, keep it up!',
    );
    await system.runtime.idle(60_000);

    expect(emailsTo('sam@example.com')).toEqual([]);
    expect(emailsTo('Sam@Example.com')).toEqual([]);
    const log = await system.api('/v1/messages?status=suppressed', { admin: true });
    const { items } = (await log.json()) as { items: { feedbackId?: string; status: string }[] };
    expect(items.filter((message) => message.feedbackId === feedbackId)).toEqual([
      expect.objectContaining({ status: 'suppressed' }),
    ]);
  });
});
