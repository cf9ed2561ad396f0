import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { buildDetail, PersonErased, PersonErasureRequested } from '@cxloop/events';
import { identifierHash } from '@cxloop/privacy';
import { beforeEach, describe, expect, it } from 'vitest';
import { signRespondentEmail, signRespondentId } from '../src/domain/respondents';
import type { ResponseInput } from '../src/domain/responses';
import { createSurveySchema, type Survey } from '../src/domain/surveys';
import type { NormalisedFeedback } from '../src/domain/webhooks';
import { askRespondent } from '../src/use-cases/ask-respondent';
import { erasePerson } from '../src/use-cases/erase-person';
import { createSurvey, openIdentitySecret } from '../src/use-cases/manage-surveys';
import { recordExternalFeedback } from '../src/use-cases/record-external-feedback';
import { type SubmitResponseDeps, submitResponse } from '../src/use-cases/submit-response';
import { answered } from './support/answers';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';

const causation = { correlationId: 'test-correlation' };
const now = new Date('2026-12-07T10:00:00Z');
const erasedAt = new Date('2026-12-08T10:00:00Z');

/** Everything that would identify Anna or repeat what she wrote. */
const annas = [
  'anna@example.com',
  'u-anna',
  'anon-anna-7f3a9c',
  'zd-user-9',
  'The courier was rude to me',
  'Late again, third time',
  'Call me back on Monday',
  'segment-anna',
  'Zendesk ticket: nobody answered',
];

function erasureRequest(erasureId: string, email: string) {
  const data = {
    erasureId,
    identifiers: [{ kind: 'email' as const, hash: identifierHash('email', email) }],
    requestedAt: erasedAt.toISOString(),
  };
  const detail = buildDetail(PersonErasureRequested, data, { correlationId: `corr-${erasureId}` });
  return { id: `evt-${erasureId}`, metadata: detail.metadata, data: detail.data };
}

describe('erasing a person in the collection table', () => {
  let bed: CollectionTestbed;
  let deps: SubmitResponseDeps;
  let survey: Survey;
  let identitySecret: string;

  const submit = (input: ResponseInput) =>
    submitResponse(deps, { surveyId: survey.id, input, clientIp: '203.0.113.7', causation, now });
  const scanAll = async () => (await bed.db.send(new ScanCommand({ TableName: bed.tableName }))).Items ?? [];
  const erase = (erasureId: string, email = 'anna@example.com') =>
    erasePerson(bed, erasureRequest(erasureId, email), erasedAt);

  beforeEach(async () => {
    bed = await collectionTestbed();
    deps = { ...bed, identitySecret: (surveyId) => openIdentitySecret(bed, surveyId) };
    ({ survey, identitySecret } = await createSurvey(
      bed,
      createSurveySchema.parse({
        name: 'Delivery NPS',
        followUpQuestions: [{ id: 'idea', type: 'text', text: { en: 'One thing to change?' } }],
      }),
      now,
    ));

    // Anna, signed in on the host site, her address proven; then from another device, her address only claimed.
    await askRespondent(
      { ...bed, identitySecret: deps.identitySecret, random: () => 0 },
      {
        surveyId: survey.id,
        respondent: { id: 'u-anna', signature: signRespondentId(identitySecret, 'u-anna') },
        clientIp: '203.0.113.7',
        now,
      },
    );
    await submit({
      responseId: 'resp-anna-1',
      score: 2,
      comment: 'The courier was rude to me',
      answers: [{ questionId: 'idea', value: 'Call me back on Monday' }],
      properties: { segment: 'segment-anna' },
      respondent: {
        id: 'u-anna',
        signature: signRespondentId(identitySecret, 'u-anna'),
        email: 'anna@example.com',
        emailSignature: signRespondentEmail(identitySecret, 'anna@example.com'),
      },
    });
    await submit({
      responseId: 'resp-anna-2',
      score: 4,
      comment: 'Late again, third time',
      respondent: { anonymousId: 'anon-anna-7f3a9c', email: 'Anna@Example.com' },
    });
    // Anna's helpdesk ticket, rated through the Zendesk integration.
    const ticket: NormalisedFeedback = {
      externalKey: 'zendesk:ticket:1001',
      source: 'zendesk',
      channel: 'helpdesk',
      kind: 'csat',
      score: { value: 1, min: 1, max: 5, normalised: 0 },
      text: 'Zendesk ticket: nobody answered',
      respondent: { id: 'zd-user-9', email: 'anna@example.com', verified: true, emailVerified: true },
      occurredAt: now.toISOString(),
    };
    await recordExternalFeedback(bed, 'int_zendesk', [ticket], causation, now);
    // Bob, who stays.
    await submit({
      responseId: 'resp-bob-1',
      score: 10,
      comment: 'Bob says: fast and friendly',
      respondent: { anonymousId: 'anon-bob-12345', email: 'bob@example.com' },
    });
  });

  it('gives every item holding personal data an end of life, shared by its person-index pointers', async () => {
    const items = await scanAll();
    const personal = items.filter((item) => /^(RESPONSE|RESPONDENT|EXTERNAL|PERSONAL)#/.test(String(item.pk)));
    // 3 responses, 3 throttle states (Anna signed in, Anna on another device, Bob), 1 ticket, 10 pointers.
    expect(personal).toHaveLength(17);
    for (const item of personal) expect(item.expiresAt).toBeGreaterThan(now.getTime() / 1000);
    const response = items.find((item) => item.pk === `RESPONSE#${survey.id}#resp-anna-1`);
    const pointers = items.filter((item) => item.targetPk === response?.pk);
    expect(pointers.map((pointer) => pointer.expiresAt)).toEqual([response?.expiresAt, response?.expiresAt]);
    // Keys hold hashes, never an id or an address.
    expect(JSON.stringify(items.map((item) => [item.pk, item.sk]))).not.toMatch(/u-anna|anon-|@/);
    for (const feedback of bed.feedbackEvents()) expect(feedback.retainUntil).toBeDefined();
  });

  it("erases the person's text and contact details by a hash of her e-mail, keeps scores and the others' data", async () => {
    const request = erasureRequest('er_anna', 'anna@example.com');
    const items = await erasePerson(bed, request, erasedAt);
    expect(items).toEqual({ responses: 2, respondents: 2, externalFeedback: 1 });

    const table = await scanAll();
    const dump = JSON.stringify(table).toLowerCase();
    for (const value of annas) expect(dump).not.toContain(value.toLowerCase());
    expect(dump).toContain('bob says: fast and friendly');
    expect(dump).toContain('bob@example.com');
    // The anonymised response keeps what the histograms and idempotency need.
    const anna1 = table.find((item) => item.pk === `RESPONSE#${survey.id}#resp-anna-1`);
    expect(anna1).toMatchObject({
      responseId: 'resp-anna-1',
      revision: 1,
      content: { score: 2, channel: 'web', answers: [], properties: {}, respondent: { verified: false } },
      erasedAt: erasedAt.toISOString(),
    });
    const ticket = table.find((item) => String(item.pk).startsWith('EXTERNAL#'));
    expect(ticket?.feedback).toMatchObject({ score: { value: 1 }, respondent: { verified: false } });
    // Nothing is indexed under her address any more; Bob's pointers stay. (Pointers under the hashes of ids the
    // request did not name stay until their TTL, pointing at what is now anonymised.)
    const pointers = table.filter((item) => String(item.pk).startsWith('PERSONAL#'));
    expect(
      pointers.filter((pointer) => pointer.pk === `PERSONAL#${identifierHash('email', 'anna@example.com')}`),
    ).toEqual([]);
    const bobs = pointers.filter((pointer) => pointer.pk === `PERSONAL#${identifierHash('email', 'bob@example.com')}`);
    expect(bobs.map((pointer) => String(pointer.targetPk)).sort()).toEqual([
      expect.stringMatching(/^RESPONDENT#/),
      `RESPONSE#${survey.id}#resp-bob-1`,
    ]);

    const [reported] = bed.published.filter((event) => event.contract === PersonErased.collection);
    expect(PersonErased.collection.dataSchema.parse(reported?.data)).toEqual({
      erasureId: 'er_anna',
      service: 'collection',
      items,
      erasedAt: erasedAt.toISOString(),
    });
    expect(reported?.causation).toEqual({ correlationId: 'corr-er_anna', causationId: request.metadata.eventId });
  });

  it('reports the same counts when the request is delivered again, and erases nothing more', async () => {
    const first = await erase('er_twice');
    const tableAfterFirst = await scanAll();
    const again = await erase('er_twice');
    expect(again).toEqual(first);
    const reports = bed.published.filter((event) => event.contract === PersonErased.collection);
    expect(reports.map((event) => (event.data as { items: unknown }).items)).toEqual([first, first]);
    const withoutProgress = (items: Record<string, unknown>[]) =>
      items.filter((item) => item.pk !== 'ERASURE#er_twice');
    expect(withoutProgress(await scanAll())).toEqual(withoutProgress(tableAfterFirst));
  });

  it('reports zeros for a person it holds nothing on', async () => {
    expect(await erase('er_nobody', 'nobody@example.com')).toEqual({
      responses: 0,
      respondents: 0,
      externalFeedback: 0,
    });
  });

  it('refuses a retried post of an erased response, so its text cannot come back; a new response is new data', async () => {
    await erase('er_retry');
    const published = bed.published.length;
    await expect(
      answered(submit({ responseId: 'resp-anna-1', score: 2, comment: 'The courier was rude to me' })),
    ).rejects.toMatchObject({ statusCode: 409, details: { reason: 'response_erased' } });
    expect(bed.published).toHaveLength(published);
    expect(JSON.stringify(await scanAll())).not.toContain('The courier was rude to me');

    const fresh = await submit({ responseId: 'resp-anna-3', score: 3, comment: 'Better this time' });
    expect(fresh.outcome).toBe('created');
  });

  it('keeps a redelivered ticket anonymised: the same content is unchanged, an edit at the source is a new revision', async () => {
    await erase('er_ticket');
    const ticket: NormalisedFeedback = {
      externalKey: 'zendesk:ticket:1001',
      source: 'zendesk',
      channel: 'helpdesk',
      kind: 'csat',
      score: { value: 1, min: 1, max: 5, normalised: 0 },
      text: 'Zendesk ticket: nobody answered',
      respondent: { id: 'zd-user-9', email: 'anna@example.com', verified: true, emailVerified: true },
      occurredAt: now.toISOString(),
    };
    const [redelivered] = await recordExternalFeedback(bed, 'int_zendesk', [ticket], causation, now);
    expect(redelivered?.outcome).toBe('unchanged');
    expect(JSON.stringify(await scanAll())).not.toContain('nobody answered');

    const later = new Date('2026-12-09T10:00:00Z');
    const edited = { ...ticket, text: 'Solved in the end', occurredAt: later.toISOString() };
    const [update] = await recordExternalFeedback(bed, 'int_zendesk', [edited], causation, later);
    expect(update).toMatchObject({ outcome: 'updated', revision: 2 });
  });
});
