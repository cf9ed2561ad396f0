import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DelightedTestbed, delightedClient, rejectionOf, startDelightedTestbed } from '../support/delighted';

type Json = Record<string, unknown>;

/** Issue 11: the official Delighted Node client (2.2.0), unchanged but for host, port, scheme, base and key. */
describe('the Delighted-compatible API through the official client', () => {
  let bed: DelightedTestbed;
  const day = 86_400;
  const now = Math.floor(Date.now() / 1000);
  const created: Json[] = [];

  beforeAll(async () => {
    bed = await startDelightedTestbed();
  });
  afterAll(async () => {
    await bed?.system.stop();
  });

  it('adds survey responses for a person given by e-mail address or by id', async () => {
    const first = await bed.client.surveyResponse.create({
      person: 'anna@example.com',
      score: 3,
      comment: 'Доставка опоздала на три дня',
      person_properties: { plan: 'pro' },
      created_at: now - 3 * day,
    });
    expect({ ...first }).toMatchObject({
      id: expect.any(String),
      person: expect.stringMatching(/^[0-9a-f]{64}$/),
      survey_type: 'nps',
      score: 3,
      comment: 'Доставка опоздала на три дня',
      created_at: now - 3 * day,
      updated_at: expect.any(Number),
      person_properties: { plan: 'pro' },
      notes: [],
      tags: [],
      additional_answers: [],
    });
    created.push(first);
    created.push(
      await bed.client.surveyResponse.create({ person: first.person, score: 10, created_at: now - 2 * day }),
    );
    created.push(
      await bed.client.surveyResponse.create({
        person: 'boris@example.com',
        score: 9,
        person_properties: { plan: 'free' },
        created_at: now - day,
      }),
    );
    expect(created[1]).toMatchObject({ person: first.person, comment: null });
  });

  it('lists them in order, paged with per_page, page and a Link the client can follow', async () => {
    const ids = created.map((response) => response.id);
    const all = await bed.client.surveyResponse.all({ since: now - 4 * day, until: now });
    expect(all.map((response) => response.id)).toEqual(ids);
    const newest = await bed.client.surveyResponse.all({ order: 'desc', per_page: 2, page: 1 });
    expect(newest.map((response) => response.id)).toEqual([ids[2], ids[1]]);
    const second = await bed.client.surveyResponse.all({ order: 'desc', per_page: 2, page: 2 });
    expect(second.map((response) => response.id)).toEqual([ids[0]]);
    const window = await bed.client.surveyResponse.all({ since: now - 2 * day - 60, until: now - day + 60 });
    expect(window.map((response) => response.id)).toEqual([ids[1], ids[2]]);

    // The client's list() (people) follows the Link header as a full URL; survey responses page by number.
    const authorization = `Basic ${Buffer.from(`${bed.key}:`).toString('base64')}`;
    const followed: unknown[] = [];
    let next: string | undefined = `${bed.system.runtime.url}/delighted/v1/survey_responses.json?per_page=1`;
    while (next) {
      const page: Response = await fetch(next, { headers: { authorization } });
      followed.push(...((await page.json()) as Json[]).map((response) => response.id));
      next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      if (next) expect(new URL(next).host).toBe(new URL(bed.system.runtime.url).host);
    }
    expect(followed).toEqual(ids);
  });

  it('filters by person and trend, and expands the person', async () => {
    const anna = await bed.client.surveyResponse.all({ person_email: 'anna@example.com', 'expand[]': 'person' });
    expect(anna.map((response) => response.id)).toEqual([created[0]!.id, created[1]!.id]);
    expect(anna[0]!.person).toMatchObject({ id: created[0]!.person, email: 'anna@example.com' });
    const pro = await bed.client.surveyResponse.all({ trend: 'plan:pro' });
    expect(pro.map((response) => response.id)).toEqual([created[0]!.id]);
    const byId = await bed.client.surveyResponse.all({ person_id: created[2]!.person, order: 'desc:updated_at' });
    expect(byId.map((response) => response.id)).toEqual([created[2]!.id]);
  });

  it('counts them in the metrics, with since and until', async () => {
    await bed.system.runtime.idle(60_000);
    expect({ ...(await bed.client.metrics.retrieve()) }).toMatchObject({
      nps: 33,
      promoter_count: 2,
      detractor_count: 1,
      response_count: 3,
    });
    expect({ ...(await bed.client.metrics.retrieve({ since: now - 2 * day - 60, until: now })) }).toMatchObject({
      nps: 100,
      response_count: 2,
    });
  });

  it('answers bad input with a ResourceValidationError naming the parameter', async () => {
    const badScore = await rejectionOf(bed.client.surveyResponse.create({ person: 'anna@example.com', score: 11 }));
    expect(badScore).toMatchObject({ type: 'ResourceValidationError', body: { status: 422 } });
    expect((badScore.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual(['score']);
    const badPage = await rejectionOf(bed.client.surveyResponse.all({ per_page: 101 }));
    expect(badPage).toMatchObject({ type: 'ResourceValidationError', body: { errors: [{ field: 'per_page' }] } });
  });

  it('answers a wrong key with an AuthenticationError, and keeps the delighted key to the Delighted routes', async () => {
    const wrong = delightedClient(bed.system, 'cxk_not-a-key');
    expect(await rejectionOf(wrong.metrics.retrieve())).toMatchObject({
      type: 'AuthenticationError',
      body: { status: 401 },
    });
    const admin = delightedClient(bed.system, 'test-admin-key-0123456789abcdefghijklmnop');
    const refused = await rejectionOf(admin.surveyResponse.all());
    expect(refused).toMatchObject({ type: 'AuthenticationError', body: { message: expect.stringContaining('bound') } });

    const basic = `Basic ${Buffer.from(`${bed.key}:`).toString('base64')}`;
    for (const path of [`/v1/metrics?surveyId=${bed.surveyId}`, '/v1/surveys', '/v1/api-keys']) {
      const answer = await bed.system.api(path, { headers: { authorization: basic } });
      expect(answer.status, path).toBe(403);
    }
    const bearer = await bed.system.api('/delighted/v1/metrics.json', {
      headers: { authorization: `Bearer ${bed.key}` },
    });
    expect(bearer.status).toBe(200);
  });
});
