import type { EventData, FeedbackCategorised } from '@cxloop/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

type Categorised = EventData<typeof FeedbackCategorised>;

/** Warm categorisers check for a new taxonomy and model this often (ACTIVE_CATEGORISER_TTL_MS). */
const CATEGORISER_TTL_MS = 5_000;

/** Issue 4 through the local runtime: categorised feedback, an edited taxonomy, a correction and what it teaches. */
describe('categorisation: taxonomy, corrections and queries over HTTP', () => {
  let system: TestRuntime;
  let surveyId: string;
  const categorised: Categorised[] = [];
  let responses = 0;

  const respond = async (comment: string): Promise<string> => {
    responses++;
    const posted = await system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: { responseId: `e2e-categorisation-${responses}`, score: 2, comment, locale: 'ru-RU' },
    });
    expect(posted.status).toBe(201);
    const { feedbackId } = (await posted.json()) as { feedbackId: string };
    await system.runtime.idle(30_000);
    return feedbackId;
  };
  const eventsOf = (feedbackId: string) => categorised.filter((event) => event.feedback.feedbackId === feedbackId);
  const waitForCategoriser = () => new Promise((resolve) => setTimeout(resolve, CATEGORISER_TTL_MS + 200));

  beforeAll(async () => {
    system = await startTestRuntime();
    system.runtime.onEvent((_bus, event) => {
      if (event['detail-type'] === 'FeedbackCategorised')
        categorised.push((event.detail as { data: Categorised }).data);
    });
    const survey = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delivery NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    surveyId = ((await survey.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  let complaintId: string;

  it('a Russian complaint about late delivery becomes FeedbackCategorised: negative, delivery with evidence, complaint', async () => {
    complaintId = await respond('Доставка опоздала на три дня, поддержка не отвечает.');
    const [event] = eventsOf(complaintId);
    expect(event?.categorisation).toMatchObject({ language: 'ru', taxonomyVersion: 1, corrected: false });
    expect(event?.categorisation.sentiment.label).toBe('negative');
    const delivery = event?.categorisation.topics.find((topic) => topic.id === 'delivery');
    expect(delivery?.evidence).toContainEqual(expect.objectContaining({ text: 'Доставка', start: 0, end: 8 }));
    expect(event?.categorisation.intents.map((intent) => intent.id)).toContain('complaint');

    const query = await system.api('/v1/categorisations?topic=delivery&sentiment=negative&intent=complaint', {
      admin: true,
    });
    expect(query.status).toBe(200);
    const { items } = (await query.json()) as { items: { feedbackId: string }[] };
    expect(items.map((item) => item.feedbackId)).toEqual([complaintId]);
  });

  it('refuses the admin routes without a key, and bad input with 400 naming the field', async () => {
    expect((await system.api('/v1/taxonomy')).status).toBe(401);
    const badQuery = await system.api('/v1/categorisations?sentiment=angry', { admin: true });
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { message: string }).message).toContain('query.sentiment');
    const badTaxonomy = await system.api('/v1/taxonomy', {
      method: 'PUT',
      admin: true,
      json: { topics: [{ id: 'X' }] },
    });
    expect(badTaxonomy.status).toBe(400);
    expect(((await badTaxonomy.json()) as { message: string }).message).toContain('body.topics.0.id');
  });

  it('a taxonomy edit through the API changes the next result, and re-categorises stored feedback', async () => {
    const active = (await (await system.api('/v1/taxonomy', { admin: true })).json()) as {
      version: number;
      taxonomy: { topics: unknown[] };
    };
    expect(active.version).toBe(1);
    const edited = await system.api('/v1/taxonomy', {
      method: 'PUT',
      admin: true,
      json: {
        version: 2,
        topics: [
          ...active.taxonomy.topics,
          { id: 'packaging', names: { ru: 'Упаковка' }, rules: { ru: { keywords: ['упаков*', 'коробк*'] } } },
        ],
      },
    });
    expect(edited.status).toBe(201);
    const versions = (await (await system.api('/v1/taxonomy/versions', { admin: true })).json()) as {
      items: { version: number; active: boolean }[];
    };
    expect(versions.items.map((item) => [item.version, item.active])).toEqual([
      [2, true],
      [1, false],
    ]);

    await waitForCategoriser();
    const packagingId = await respond('Коробка пришла мятая, упаковка порвана.');
    const [event] = eventsOf(packagingId);
    expect(event?.categorisation.taxonomyVersion).toBe(2);
    expect(event?.categorisation.topics.map((topic) => topic.id)).toContain('packaging');

    const started = await system.api('/v1/taxonomy/recategorise', { method: 'POST', admin: true });
    expect(started.status).toBe(202);
    await system.runtime.idle(30_000);
    const again = eventsOf(complaintId).at(-1);
    expect(again?.feedback.revision).toBe(1);
    expect(again?.categorisation.taxonomyVersion).toBe(2);
  });

  it('a correction through the API is stored, re-published and returned, and teaches the model', async () => {
    const corrected = await system.api(`/v1/feedback/${complaintId}/categorisation`, {
      method: 'PUT',
      admin: true,
      json: { sentiment: 'neutral', topics: { add: ['price'], remove: ['support'] }, note: 'sarcasm' },
    });
    expect(corrected.status).toBe(200);
    await system.runtime.idle(30_000);
    const republished = eventsOf(complaintId).at(-1);
    expect(republished?.categorisation).toMatchObject({ corrected: true, sentiment: { label: 'neutral' } });

    const read = await system.api(`/v1/feedback/${complaintId}/categorisation`, { admin: true });
    const stored = (await read.json()) as {
      categorisation: { corrected: boolean; sentiment: { label: string }; topics: { id: string }[] };
      correction: { correctedBy: string; note: string };
    };
    expect(stored.categorisation).toMatchObject({ corrected: true, sentiment: { label: 'neutral' } });
    expect(stored.categorisation.topics.map((topic) => topic.id)).toEqual(
      expect.arrayContaining(['price', 'delivery']),
    );
    expect(stored.categorisation.topics.map((topic) => topic.id)).not.toContain('support');
    expect(stored.correction).toMatchObject({ note: 'sarcasm' });
    const byTopic = await system.api('/v1/categorisations?topic=price&sentiment=neutral', { admin: true });
    expect(
      ((await byTopic.json()) as { items: { feedbackId: string }[] }).items.map((item) => item.feedbackId),
    ).toEqual([complaintId]);
    const corrections = await system.api('/v1/categorisation/corrections', { admin: true });
    expect(((await corrections.json()) as { items: unknown[] }).items).toHaveLength(1);

    await waitForCategoriser();
    const repeatedId = await respond('Доставка опоздала на три дня, поддержка не отвечает.');
    const [repeated] = eventsOf(repeatedId);
    expect(repeated?.categorisation.sentiment.label).toBe('neutral');
    expect(repeated?.categorisation.topics.map((topic) => topic.id)).toContain('price');
  });
});
