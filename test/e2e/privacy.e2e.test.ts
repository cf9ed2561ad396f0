import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Json = Record<string, unknown>;

const bigIntsAsText = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/**
 * Issue 10 through the local runtime: follow-up acts only on proven identities, and a person is erased from every
 * service's table while the anonymous figures stay as they were.
 */
describe('trust with personal data through the local runtime', () => {
  let system: TestRuntime;
  let surveyId: string;
  let identitySecret: string;
  let db: DynamoDBDocumentClient;

  const emailsTo = (address: string) =>
    system.runtime.outbox().filter((email) => email.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  const respond = async (json: Json) => {
    const posted = await system.api(`/v1/surveys/${surveyId}/responses`, { method: 'POST', json });
    expect(posted.status).toBe(201);
    return ((await posted.json()) as { feedbackId: string }).feedbackId;
  };
  const openCases = async () =>
    ((await (await system.api('/v1/followups?status=open', { admin: true })).json()) as { items: Json[] }).items;
  const metrics = async () =>
    (await (await system.api(`/v1/metrics?surveyId=${surveyId}`, { admin: true })).json()) as Json;

  /** Every item of every table the runtime runs, as JSON text, table by table. */
  async function everyItem(): Promise<Record<string, string[]>> {
    const tables: Record<string, string[]> = {};
    for (const tableName of Object.values(system.runtime.resources.tables)) {
      tables[tableName] = [];
      for await (const page of paginateScan({ client: db }, { TableName: tableName })) {
        tables[tableName].push(...(page.Items ?? []).map((item) => JSON.stringify(item, bigIntsAsText)));
      }
    }
    return tables;
  }

  beforeAll(async () => {
    system = await startTestRuntime();
    db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: system.runtime.dynamoEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Trust NPS', type: 'nps', timeZone: 'Europe/London' },
    });
    ({ id: surveyId, identitySecret } = (await created.json()) as { id: string; identitySecret: string });
    for (const [path, json] of [
      ['/v1/followup-channels', { email: { from: 'cx@example.com' } }],
      ['/v1/followup-config', { reviewUrl: 'https://reviews.example.com/acme' }],
      ['/v1/followup-fatigue', { newContactDelayDays: 0 }],
    ] as const) {
      expect((await system.api(path, { method: 'PUT', admin: true, json })).status).toBe(200);
    }
  });
  afterAll(async () => {
    db?.destroy();
    await system?.stop();
  });

  it('an unsigned post mails no one and joins no other person’s case; the same post signed is thanked', async () => {
    // A customer with a proven id has an open case…
    const theirs = await respond({
      responseId: 'trust-victim-case',
      score: 1,
      comment: 'Never arrived',
      respondent: provenRespondent(identitySecret, { id: 'someone-else' }),
    });
    await system.runtime.idle(60_000);
    const victimCase = (await openCases()).find((item) => item.feedbackId === theirs);
    expect(victimCase).toBeDefined();

    // …and a stranger posts as them, with an address to be mailed, without any signature.
    const forged = await respond({
      responseId: 'trust-forged-1',
      score: 10,
      comment: 'Great service',
      respondent: { email: 'victim@example.org', id: 'someone-else' },
    });
    const forgedDetractor = await respond({
      responseId: 'trust-forged-2',
      score: 0,
      comment: 'Terrible',
      respondent: { email: 'victim@example.org', id: 'someone-else' },
    });
    await system.runtime.idle(60_000);
    expect(emailsTo('victim@example.org')).toEqual([]);
    const log = (await (await system.api('/v1/messages?channel=email', { admin: true })).json()) as { items: Json[] };
    expect(log.items.filter((message) => message.feedbackId === forged)).toEqual([]);
    const cases = await openCases();
    // The anonymous detractor still gets a case of its own, with the claim shown as a claim and nothing to contact.
    const strangers = cases.find((item) => item.feedbackId === forgedDetractor);
    expect(strangers).toMatchObject({ respondent: { claimedId: 'someone-else', claimedEmail: 'victim@example.org' } });
    expect((strangers?.respondent as Json | undefined)?.email).toBeUndefined();
    const victims = cases.find((item) => item.caseId === victimCase?.caseId);
    expect(victims?.relatedFeedbackIds).toEqual([]);

    await respond({
      responseId: 'trust-signed-1',
      score: 10,
      comment: 'Great service',
      respondent: provenRespondent(identitySecret, { email: 'real@example.org', id: 'real-customer' }),
    });
    await system.runtime.idle(60_000);
    expect(emailsTo('real@example.org')).toHaveLength(1);
  });

  it('erases a person everywhere by e-mail address, keeps the scores, and erasing again is harmless', async () => {
    const anna = provenRespondent(identitySecret, { id: 'customer-anna', email: 'anna@example.com' });
    // A pending invitation first (her answers below would hold later ones back under the fatigue limits).
    const invited = await system.api('/v1/people', {
      method: 'POST',
      admin: true,
      json: { email: 'anna@example.com', id: 'customer-anna', surveyId, delay: 86_400 },
    });
    expect(invited.status).toBe(202);
    await respond({
      responseId: 'trust-anna-1',
      score: 2,
      comment: 'The Zanzibar courier lost my parcel',
      respondent: anna,
    });
    await respond({
      responseId: 'trust-anna-2',
      score: 10,
      comment: 'Zanzibar support fixed it, great',
      respondent: anna,
    });
    await respond({
      responseId: 'trust-bob-1',
      score: 9,
      comment: 'Bob likes the Ottoman app',
      respondent: provenRespondent(identitySecret, { email: 'bob@example.com' }),
    });
    await system.runtime.idle(60_000);
    expect(emailsTo('anna@example.com')).toHaveLength(1);
    const before = await metrics();
    const annasCase = (await openCases()).find(
      (item) => (item.respondent as Json | undefined)?.email === 'anna@example.com',
    );
    expect(annasCase).toBeDefined();
    const tablesBefore = Object.values(await everyItem())
      .flat()
      .join('\n');
    expect(tablesBefore).toContain('anna@example.com');
    expect(tablesBefore).toContain('Zanzibar');

    const erased = await system.api('/v1/people/anna%40example.com', { method: 'DELETE', admin: true });
    expect(erased.status).toBe(202);
    const { erasureId } = (await erased.json()) as { erasureId: string };
    await system.runtime.idle(60_000);
    const status = (await (await system.api(`/v1/erasures/${erasureId}`, { admin: true })).json()) as {
      status: string;
      services: Record<string, { items: Record<string, number> }>;
    };
    expect(status.status).toBe('complete');
    // Two responses with their categorisations and read-model copies, her throttle state, her profile, case (and its
    // link), the thank-you's log entry and the pending invitation.
    expect(
      Object.fromEntries(Object.entries(status.services).map(([service, report]) => [service, report.items])),
    ).toEqual({
      collection: { responses: 2, respondents: 1, externalFeedback: 0 },
      categorisation: { results: 2, corrections: 0 },
      aggregation: { feedback: 2 },
      followup: {
        person: 1,
        personCase: 1,
        case: 1,
        message: 1,
        invitation: 1,
        suppression: 0,
        // The detractor kept for a segment's outreach list; no Autopilot or survey people were made here.
        outreachCandidate: 1,
        autopilotMembership: 0,
        surveyPerson: 0,
      },
    });

    const tables = await everyItem();
    for (const [table, items] of Object.entries(tables)) {
      const text = items.join('\n');
      for (const trace of ['anna@example.com', 'customer-anna', 'Zanzibar']) {
        expect(text.includes(trace), `${trace} is still in ${table}`).toBe(false);
      }
    }
    const after = Object.values(tables).flat().join('\n');
    expect(after).toContain('bob@example.com');
    expect(after).toContain('Ottoman');
    expect(await metrics()).toMatchObject({
      responses: before.responses,
      promoters: before.promoters,
      detractors: before.detractors,
      nps: before.nps,
    });
    const erasedCase = (await (await system.api(`/v1/followups/${annasCase?.caseId}`, { admin: true })).json()) as Json;
    expect(erasedCase).toMatchObject({ status: 'open' });
    expect(erasedCase.text).toBeUndefined();

    // Nothing is sent to her again, and a second erasure finds nothing and still completes.
    const again = await system.api('/v1/people/anna%40example.com', { method: 'DELETE', admin: true });
    expect(again.status).toBe(202);
    const second = ((await again.json()) as { erasureId: string }).erasureId;
    await system.runtime.idle(60_000);
    const secondStatus = (await (await system.api(`/v1/erasures/${second}`, { admin: true })).json()) as Json;
    expect(secondStatus.status).toBe('complete');
    const reinvited = await system.api('/v1/people', {
      method: 'POST',
      admin: true,
      json: { email: 'anna@example.com', surveyId },
    });
    expect(((await reinvited.json()) as Json).status).toBe('suppressed');
    expect(emailsTo('anna@example.com')).toHaveLength(1);
  });
});
