import { HttpError, toHttpError } from '@cxloop/lambda-kit';
import { beforeEach, describe, expect, it } from 'vitest';
import { categorisationErrors } from '../src/handlers/http-errors';
import { defaultTaxonomy, type TaxonomyInput } from '../src/index';
import { categoriseFeedback } from '../src/use-cases/categorise-feedback';
import { correctCategorisation } from '../src/use-cases/correct-categorisation';
import { listCategorisations } from '../src/use-cases/list-categorisations';
import { getTaxonomy, listTaxonomyVersions, putTaxonomy } from '../src/use-cases/manage-taxonomy';
import { continueRecategorisation } from '../src/use-cases/recategorise';
import { trainModel } from '../src/use-cases/train-model';
import { type CategorisationTestbed, categorisationTestbed, feedback, received } from './support/testbed';

const now = new Date('2026-11-21T10:00:00Z');
const causation = { correlationId: 'admin-request' };

/** The default taxonomy plus a packaging topic (Russian and English rules). */
function withPackaging(): TaxonomyInput {
  return {
    version: 2,
    topics: [
      ...defaultTaxonomy.topics,
      {
        id: 'packaging',
        names: { en: 'Packaging', ru: 'Упаковка' },
        rules: { ru: { keywords: ['упаков*', 'коробк*'] }, en: { keywords: ['packaging', 'box'] } },
      },
    ],
  };
}

/** What a failing use case answers over HTTP, under the service's error table. */
async function httpError(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => toHttpError(caught, categorisationErrors),
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('taxonomy versions', () => {
  let bed: CategorisationTestbed;

  beforeEach(async () => {
    bed = await categorisationTestbed();
  });

  it('starts with the built-in default as version 1', async () => {
    expect(await getTaxonomy(bed.taxonomies)).toMatchObject({ version: 1, active: true, builtIn: true });
  });

  it('stores an edit as the next, active version; earlier versions are kept', async () => {
    const { version: _, ...body } = withPackaging();
    const stored = await putTaxonomy(bed.taxonomies, body, 'key-admin', now);
    expect(stored).toMatchObject({ version: 2, active: true, createdBy: 'key-admin' });
    expect(await getTaxonomy(bed.taxonomies)).toMatchObject({ version: 2, active: true });
    expect(await getTaxonomy(bed.taxonomies, 1)).toMatchObject({ version: 1, active: false, builtIn: true });
    const third = await putTaxonomy(bed.taxonomies, { ...body, version: 3 }, 'key-admin', now);
    expect(third.version).toBe(3);

    const versions = await listTaxonomyVersions(bed.taxonomies, 25);
    expect(versions.items.map((item) => [item.version, item.active])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(versions.items[0]?.topics).toContain('packaging');
  });

  it('refuses a stale version with 409 and an invalid taxonomy with 400 naming the field', async () => {
    const { version: _, ...body } = withPackaging();
    const stale = await httpError(putTaxonomy(bed.taxonomies, { ...body, version: 5 }, 'key-admin', now));
    expect(stale.statusCode).toBe(409);
    const invalid = await httpError(
      putTaxonomy(
        bed.taxonomies,
        { topics: [{ id: 'Bad Id', names: {}, rules: { ru: { regex: ['(unclosed'] } } }] },
        'key-admin',
        now,
      ),
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.message).toContain('body.topics.0.id');
    expect(invalid.message).toContain('body.topics.0.rules.ru.regex.0');
    expect(await getTaxonomy(bed.taxonomies)).toMatchObject({ version: 1 });
  });

  it('refuses a regex RE2 cannot run (backreference, lookbehind) with 400 naming the field and the reason', async () => {
    const { version: _, ...body } = withPackaging();
    const packaging = body.topics.length - 1;
    body.topics[packaging]!.rules.en!.regex = ['boxe?s?', String.raw`(box)\1`, '(?<!cardboard )box'];
    const refused = await httpError(putTaxonomy(bed.taxonomies, body, 'key-admin', now));
    expect(refused.statusCode).toBe(400);
    expect(refused.message).toContain(
      `body.topics.${packaging}.rules.en.regex.1: error parsing regexp: invalid escape sequence: \`\\1\``,
    );
    expect(refused.message).toContain(`body.topics.${packaging}.rules.en.regex.2: error parsing regexp:`);
    expect(refused.message).toContain('no backreferences or lookaround');
    expect(refused.message).not.toContain('regex.0');
    expect(await getTaxonomy(bed.taxonomies)).toMatchObject({ version: 1 });
  });

  it('categorises with the active taxonomy, and re-categorises stored feedback with it once', async () => {
    const old = feedback({ text: 'Коробка порвалась, доставка опоздала.' });
    await categoriseFeedback(bed, received(old));
    expect(bed.categorised()[0]?.categorisation.topics.map((topic) => topic.id)).not.toContain('packaging');

    const { version: _, ...body } = withPackaging();
    await putTaxonomy(bed.taxonomies, body, 'key-admin', now);
    const fresh = feedback({ text: 'Упаковка мятая.' });
    await categoriseFeedback(bed, received(fresh));
    const freshResult = bed.categorised()[1]!.categorisation;
    expect(freshResult.taxonomyVersion).toBe(2);
    expect(freshResult.topics.map((topic) => topic.id)).toContain('packaging');

    const job = { kind: 'recategorise' as const, correlationId: 'recategorise-1' };
    expect(await continueRecategorisation(bed, job, () => true)).toEqual({ recategorised: 1 });
    const again = bed.categorised()[2]!;
    expect(again.feedback).toMatchObject({ feedbackId: old.feedbackId, revision: 1 });
    expect(again.categorisation.taxonomyVersion).toBe(2);
    expect(again.categorisation.topics.map((topic) => topic.id)).toContain('packaging');
    expect(bed.published[2]?.causation).toEqual({ correlationId: 'recategorise-1' });

    expect(await continueRecategorisation(bed, job, () => true)).toEqual({ recategorised: 0 });
    expect(bed.published).toHaveLength(3);
  });

  it('hands the rest of a re-categorisation on when time runs out', async () => {
    for (let index = 0; index < 30; index++) await categoriseFeedback(bed, received(feedback()));
    const { version: _, ...body } = withPackaging();
    await putTaxonomy(bed.taxonomies, body, 'key-admin', now);
    const first = await continueRecategorisation(bed, { kind: 'recategorise', correlationId: 'c' }, () => false);
    expect(first.recategorised).toBe(25);
    expect(first.next?.cursor).toBeDefined();
    const rest = await continueRecategorisation(bed, first.next!, () => false);
    expect(rest).toEqual({ recategorised: 5 });
  });
});

describe('corrections', () => {
  let bed: CategorisationTestbed;

  beforeEach(async () => {
    bed = await categorisationTestbed();
  });

  it('overrides the labels, re-publishes them as corrected, and asks for the model to be retrained', async () => {
    const item = feedback();
    await categoriseFeedback(bed, received(item));
    const result = await correctCategorisation(bed, {
      feedbackId: item.feedbackId,
      body: { sentiment: 'neutral', topics: { add: ['price'], remove: ['support'] } },
      principal: 'key-admin',
      now,
      causation,
    });
    expect(result.correction).toMatchObject({ correctedBy: 'key-admin', correctedAt: now.toISOString() });
    expect(result.categorisation).toMatchObject({ corrected: true, sentiment: { label: 'neutral' } });
    const topics = result.categorisation?.topics.map((topic) => topic.id);
    expect(topics).toEqual(expect.arrayContaining(['price', 'delivery']));
    expect(topics).not.toContain('support');

    const [, republished] = bed.categorised();
    expect(republished).toMatchObject({ feedback: { feedbackId: item.feedbackId, revision: 1 } });
    expect(republished?.categorisation.corrected).toBe(true);
    expect(bed.jobs).toEqual([{ kind: 'train' }]);
    const byTopic = await listCategorisations(bed.results, { topic: 'price', sentiment: 'neutral' }, 10);
    expect(byTopic.items.map((view) => view.feedbackId)).toEqual([item.feedbackId]);
    expect((await bed.corrections.get(item.feedbackId))?.text).toBe(item.text);
  });

  it('keeps the correction when the feedback is re-categorised, but not for a changed text', async () => {
    const item = feedback();
    await categoriseFeedback(bed, received(item));
    await correctCategorisation(bed, {
      feedbackId: item.feedbackId,
      body: { sentiment: 'positive' },
      principal: 'key-admin',
      now,
      causation,
    });
    await categoriseFeedback(
      bed,
      received({ ...item, revision: 2, answers: [{ questionId: 'q', type: 'text', value: 'x' }] }),
    );
    expect(bed.categorised()[2]?.categorisation).toMatchObject({ corrected: true, sentiment: { label: 'positive' } });
    await categoriseFeedback(bed, received({ ...item, revision: 3, text: 'Курьер опоздал.' }));
    expect(bed.categorised()[3]?.categorisation).toMatchObject({ corrected: false, sentiment: { label: 'negative' } });
  });

  it('refuses an unknown feedback with 404 and an unknown topic with 400 naming it', async () => {
    const missing = await httpError(
      correctCategorisation(bed, { feedbackId: 'nope', body: {}, principal: 'k', now, causation }),
    );
    expect(missing.statusCode).toBe(404);
    const item = feedback();
    await categoriseFeedback(bed, received(item));
    const unknown = await httpError(
      correctCategorisation(bed, {
        feedbackId: item.feedbackId,
        body: { topics: { add: ['price', 'weather'], remove: [] } },
        principal: 'k',
        now,
        causation,
      }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.message).toBe('body.topics.add.1: unknown topic "weather"');
    expect(await bed.corrections.get(item.feedbackId)).toBeUndefined();
  });

  it('trains the model from the corrections, which gives a repeated text its corrected labels', async () => {
    const item = feedback({ text: 'Доставка опоздала на три дня.' });
    await categoriseFeedback(bed, received(item));
    expect(bed.categorised()[0]?.categorisation.sentiment.label).toBe('negative');
    await correctCategorisation(bed, {
      feedbackId: item.feedbackId,
      body: { sentiment: 'neutral', topics: { add: ['price'], remove: [] } },
      principal: 'key-admin',
      now,
      causation,
    });
    expect(await trainModel(bed, now)).toBe('trained');
    expect(await trainModel(bed, now)).toBe('current');
    expect((await bed.models.get())?.changes).toBe(1);

    const repeated = feedback({ text: item.text });
    await categoriseFeedback(bed, received(repeated));
    const categorisation = bed.categorised().at(-1)!.categorisation;
    expect(categorisation.sentiment.label).toBe('neutral');
    expect(categorisation.topics.map((topic) => topic.id)).toContain('price');
    expect(categorisation.corrected).toBe(false);
  });
});

describe('listCategorisations', () => {
  let bed: CategorisationTestbed;

  beforeEach(async () => {
    bed = await categorisationTestbed();
  });

  it('selects by topic, sentiment, intent and time, newest first, page by page', async () => {
    const texts = [
      ['2026-11-01T10:00:00Z', 'Доставка опоздала на три дня.'],
      ['2026-11-02T10:00:00Z', 'Курьер привёз всё вовремя, спасибо!'],
      ['2026-11-03T10:00:00Z', 'Доставка опять опоздала, верните деньги.'],
      ['2026-11-04T10:00:00Z', 'Дорого, цены выросли.'],
    ] as const;
    const items = texts.map(([occurredAt, text]) => feedback({ occurredAt, text }));
    for (const item of items) await categoriseFeedback(bed, received(item));
    const ids = (views: { feedbackId: string }[]) => views.map((view) => view.feedbackId);

    const delivery = await listCategorisations(bed.results, { topic: 'delivery', sentiment: 'negative' }, 10);
    expect(ids(delivery.items)).toEqual([items[2]!.feedbackId, items[0]!.feedbackId]);
    const praise = await listCategorisations(bed.results, { intent: 'praise' }, 10);
    expect(ids(praise.items)).toEqual([items[1]!.feedbackId]);
    const window = await listCategorisations(
      bed.results,
      { occurredFrom: new Date('2026-11-02T00:00:00Z'), occurredBefore: new Date('2026-11-04T10:00:00Z') },
      10,
    );
    expect(ids(window.items)).toEqual([items[2]!.feedbackId, items[1]!.feedbackId]);

    const first = await listCategorisations(bed.results, {}, 3);
    expect(ids(first.items)).toEqual([items[3]!.feedbackId, items[2]!.feedbackId, items[1]!.feedbackId]);
    const second = await listCategorisations(bed.results, {}, 3, first.next);
    expect(ids(second.items)).toEqual([items[0]!.feedbackId]);
    expect(second.next).toBeUndefined();
  });
});
