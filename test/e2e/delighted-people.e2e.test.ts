import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DelightedTestbed, rejectionOf, startDelightedTestbed } from '../support/delighted';

type Person = { id: string; email: string | null; name: string | null; survey_scheduled_at?: number | null };

/** Follow-up's side of the Delighted-compatible API, called through the official client (delighted 2.2.0). */
describe('Delighted people, survey requests, unsubscribes, bounces and Autopilot through the official client', () => {
  let bed: DelightedTestbed;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const collect = async <T>(list: {
    autoPagingEach: (onItem: (item: unknown) => boolean | undefined) => Promise<void>;
  }) => {
    const items: T[] = [];
    await list.autoPagingEach((item) => {
      items.push(item as T);
      return undefined;
    });
    return items;
  };

  beforeAll(async () => {
    bed = await startDelightedTestbed();
    // No new-contact delay, no quiet hours: what is due is due now, whatever the time of the run.
    const fatigue = await bed.system.api('/v1/followup-fatigue', {
      method: 'PUT',
      admin: true,
      json: { newContactDelayDays: 0, quietHours: null },
    });
    expect(fatigue.status).toBe(200);
    const channels = await bed.system.api('/v1/followup-channels', {
      method: 'PUT',
      admin: true,
      json: { email: { from: 'cx@example.com' } },
    });
    expect(channels.status).toBe(200);
  }, 120_000);
  afterAll(async () => bed?.system.stop());

  it('person.create with delay schedules the invitation at now + delay, and answers with string ids', async () => {
    const before = nowSeconds();
    const person = (await bed.client.person.create({
      email: 'delayed@example.com',
      name: 'Dana',
      delay: 3600,
      properties: { plan: 'pro' },
    })) as unknown as Person;
    expect(typeof person.id).toBe('string');
    expect(person).toMatchObject({ email: 'delayed@example.com', name: 'Dana' });
    expect(person.survey_scheduled_at).toBeGreaterThanOrEqual(before + 3600);
    expect(person.survey_scheduled_at).toBeLessThanOrEqual(nowSeconds() + 3600 + 1);
    const schedule = bed.system.runtime
      .schedules()
      .find((candidate) => Math.abs(Date.parse(candidate.nextInvocation ?? '') / 1000 - (before + 3600)) < 120);
    expect(schedule, 'a one-time schedule at the invitation time').toBeDefined();
  });

  it('person.create with channel sms and a delay texts the invitation when it is due', async () => {
    const before = nowSeconds();
    const person = (await bed.client.person.create({
      phone_number: '+7 999 123-45-67',
      channel: 'sms',
      delay: 2,
    })) as unknown as Person;
    expect(person.survey_scheduled_at).toBeGreaterThanOrEqual(before + 2);
    const texts = () => bed.system.runtime.sms.outbox().filter((sms) => sms.to === '+79991234567');
    expect(texts(), 'nothing before the delay').toEqual([]);
    const deadline = Date.now() + 30_000;
    while (texts().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(nowSeconds()).toBeGreaterThanOrEqual(before + 2);
    expect(texts()).toHaveLength(1);
    expect(texts()[0]!.body).toMatch(/https?:\/\/\S+\/i\/\S+/);
  });

  it('answers 422 naming the parameter for bad input, and stores nothing', async () => {
    const rejected = await rejectionOf(bed.client.person.create({ email: 'not-an-address' }));
    expect(rejected.type).toBe('ResourceValidationError');
    expect(JSON.stringify(rejected.body)).toContain('"field":"email"');
    const listed = await collect<Person>(bed.client.person.list({ email: 'not-an-address@example.com' }));
    expect(listed).toEqual([]);
  });

  it('person.list follows the Link header across pages', async () => {
    for (const index of [1, 2, 3]) {
      await bed.client.person.create({ email: `page${index}@example.com`, send: false });
    }
    const people = await collect<Person>(bed.client.person.list({ per_page: 2 }));
    const emails = people.map((person) => person.email);
    expect(emails).toEqual(expect.arrayContaining(['page1@example.com', 'page2@example.com', 'page3@example.com']));
    expect(new Set(emails).size).toBe(emails.length);
    expect(people.length).toBeGreaterThan(2);
  });

  it('surveyRequest.deletePending cancels the pending invitation', async () => {
    await bed.client.person.create({ email: 'pending@example.com', delay: 7200 });
    expect(await bed.client.surveyRequest.deletePending({ person_email: 'pending@example.com' })).toEqual({
      ok: true,
    });
    const [person] = await collect<Person & { next_survey_scheduled_at: number | null }>(
      bed.client.person.list({ email: 'pending@example.com' }),
    );
    expect(person?.next_survey_scheduled_at).toBeNull();
  });

  it('unsubscribe.create and unsubscribe.all; bounce.all in Delighted’s shape', async () => {
    await bed.client.person.create({ email: 'leaving@example.com', name: 'Lee', send: false });
    expect(await bed.client.unsubscribe.create({ person_email: 'leaving@example.com' })).toMatchObject({ ok: true });
    // The client's resources serialise to the attributes it received.
    const unsubscribes = JSON.parse(JSON.stringify(await bed.client.unsubscribe.all({ per_page: 100 })));
    expect(unsubscribes).toContainEqual({
      person_id: expect.any(String),
      email: 'leaving@example.com',
      name: 'Lee',
      unsubscribed_at: expect.any(Number),
    });
    const bounces = (await bed.client.bounce.all()) as unknown as unknown[];
    expect(Array.isArray(bounces)).toBe(true);
    // Unsubscribed: a new survey request is not scheduled.
    const again = (await bed.client.person.create({ email: 'leaving@example.com' })) as unknown as Person;
    expect(again.survey_scheduled_at).toBeNull();
  });

  it('person.delete erases the person (202, ok)', async () => {
    const person = (await bed.client.person.create({
      email: 'erase-me@example.com',
      send: false,
    })) as unknown as Person;
    expect(await bed.client.person.delete({ id: person.id })).toMatchObject({
      ok: true,
      erasure_id: expect.any(String),
    });
    expect(await bed.client.person.delete({ email: 'erase-me@example.com' })).toMatchObject({ ok: true });
    const missing = await rejectionOf(bed.client.person.delete({ id: 'f'.repeat(64) }));
    expect(missing.body).toMatchObject({ status: 404 });
  });

  it('autopilotConfiguration.retrieve and autopilotMembership create, list and delete', async () => {
    const configuration = (await bed.client.autopilotConfiguration.retrieve('email')) as unknown as Record<
      string,
      unknown
    >;
    expect(configuration).toMatchObject({ platform_id: 'email', active: true, frequency: 90 * 86_400 });

    const set = await bed.system.api(`/v1/followup-autopilot/${bed.surveyId}/email`, {
      method: 'PUT',
      admin: true,
      json: { frequency: 30 * 86_400 },
    });
    expect(set.status).toBe(200);
    expect(await bed.client.autopilotConfiguration.retrieve('email')).toMatchObject({ frequency: 30 * 86_400 });

    const memberships = bed.client.autopilotMembership.forEmail();
    const created = (await memberships.create({
      person_email: 'auto@example.com',
      properties: { plan: 'pro' },
    })) as unknown as { person: Person; next_survey_request: { survey_scheduled_at: number } | null };
    expect(created.person).toMatchObject({ email: 'auto@example.com', id: expect.any(String) });
    // Invited at once (no quiet hours here); the next request is the one a frequency later.
    expect(created.next_survey_request?.survey_scheduled_at).toBeGreaterThanOrEqual(nowSeconds() + 30 * 86_400 - 60);

    const listed = await collect<{ person: Person }>(memberships.list());
    expect(listed.map((membership) => membership.person.email)).toContain('auto@example.com');

    expect(await memberships.delete({ person_email: 'auto@example.com' })).toMatchObject({
      person: { email: 'auto@example.com' },
    });
    expect(await collect<{ person: Person }>(memberships.list())).toEqual([]);
    const missing = await rejectionOf(memberships.create({ person_phone_number: '+79991234567' }));
    expect(missing.type).toBe('ResourceValidationError');
    expect(JSON.stringify(missing.body)).toContain('"field":"person_email"');
  });
});
