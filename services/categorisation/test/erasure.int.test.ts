import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type Feedback, PersonErased, type PersonErasureRequested } from '@cxloop/events';
import type { ReceivedEvent } from '@cxloop/lambda-kit';
import { feedbackTtl, identifierHash } from '@cxloop/privacy';
import { beforeEach, describe, expect, it } from 'vitest';
import { categoriseFeedback } from '../src/use-cases/categorise-feedback';
import { correctCategorisation } from '../src/use-cases/correct-categorisation';
import { erasePerson } from '../src/use-cases/erase-person';
import { trainModel } from '../src/use-cases/train-model';
import { type CategorisationTestbed, categorisationTestbed, feedback, received } from './support/testbed';

const now = new Date('2026-12-07T10:00:00Z');
const causation = { correlationId: 'admin-request' };

const anna = { id: 'u-anna', email: 'Anna.Smirnova@example.com', verified: true, emailVerified: false };
const annasTexts = [
  'Курьер Кукушкин опоздал на три дня, поддержка не отвечает.',
  'Снова жду доставку, курьер Кукушкин пропал.',
];
const bobsText = 'Всё отлично, упаковка целая, спасибо за доставку!';

function erasureRequested(erasureId: string, email: string): ReceivedEvent<typeof PersonErasureRequested> {
  return {
    id: `event-${erasureId}`,
    metadata: {
      eventId: `event-${erasureId}`,
      schemaVersion: 1,
      occurredAt: now.toISOString(),
      correlationId: erasureId,
    },
    data: {
      erasureId,
      identifiers: [{ kind: 'email', hash: identifierHash('email', email) }],
      requestedAt: now.toISOString(),
    },
  };
}

async function scan(bed: CategorisationTestbed) {
  return (await bed.db.send(new ScanCommand({ TableName: bed.tableName, ConsistentRead: true }))).Items ?? [];
}

async function correct(
  bed: CategorisationTestbed,
  feedbackId: string,
  body: Parameters<typeof correctCategorisation>[1]['body'],
) {
  await correctCategorisation(bed, { feedbackId, body, principal: 'key-admin', now, causation });
}

describe('erasing a person in the categorisation service', () => {
  let bed: CategorisationTestbed;
  let annas: Feedback[];
  let bobs: Feedback;

  beforeEach(async () => {
    bed = await categorisationTestbed();
    annas = [
      feedback({ text: annasTexts[0], respondent: anna }),
      feedback({
        text: annasTexts[1],
        respondent: anna,
        retainUntil: { text: '2029-11-20T09:15:01.000Z', contact: '2028-11-20T09:15:01.000Z' },
      }),
    ];
    bobs = feedback({
      text: bobsText,
      respondent: { id: 'u-bob', email: 'bob@example.com', verified: true, emailVerified: true },
    });
    for (const item of [...annas, bobs]) await categoriseFeedback(bed, received(item));
    await correct(bed, annas[0]!.feedbackId, { sentiment: 'negative', topics: { add: ['price'], remove: [] } });
    await correct(bed, bobs.feedbackId, { sentiment: 'positive' });
    await trainModel(bed, now);
  });

  it('gives every item that holds personal data the end of life of its feedback', async () => {
    const items = await scan(bed);
    const personal = items.filter((item) => /^(FEEDBACK#|PERSONAL#)/.test(item.pk) || item.sk.startsWith('FEEDBACK#'));
    expect(personal.length).toBeGreaterThan(6);
    for (const item of personal) expect(item.expiresAt, `${item.pk} ${item.sk}`).toEqual(expect.any(Number));
    const result = items.find((item) => item.pk === `FEEDBACK#${annas[1]!.feedbackId}` && item.sk === 'CATEGORISATION');
    expect(result?.expiresAt).toBe(Date.parse('2028-11-20T09:15:01.000Z') / 1000);
    const correction = items.find((item) => item.sk === `FEEDBACK#${annas[0]!.feedbackId}`);
    expect(correction?.expiresAt).toBe(feedbackTtl(annas[0]!));
  });

  it("erases the person's results and corrections, and trains the model again without them", async () => {
    const before = await bed.models.get();
    expect(Object.keys(before!.model.memory)).toHaveLength(2);
    expect(JSON.stringify(before!.model)).toContain('кукушк');

    const counts = await erasePerson(bed, erasureRequested('er_1', 'anna.smirnova@EXAMPLE.com'), now);
    expect(counts).toEqual({ results: 2, corrections: 1 });

    const stored = JSON.stringify(await scan(bed));
    for (const secret of ['Anna.Smirnova@example.com', 'u-anna', 'Кукушкин', ...annasTexts]) {
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain(bobsText);
    expect(stored).toContain('u-bob');
    expect(await bed.results.get(bobs.feedbackId)).toBeDefined();
    expect(await bed.corrections.get(bobs.feedbackId)).toBeDefined();
    for (const item of annas) expect(await bed.results.get(item.feedbackId)).toBeUndefined();

    // The model forgets Anna's corrected text and every word it learned from it; Bob's correction stays in it.
    const after = await bed.models.get();
    expect(Object.keys(after!.model.memory)).toHaveLength(1);
    expect(after!.model.examples).toBe(1);
    expect(JSON.stringify(after!.model)).not.toContain('кукушк');

    const again = await erasePerson(bed, erasureRequested('er_1', 'anna.smirnova@example.com'), now);
    expect(again).toEqual(counts);
    const reports = bed.published
      .filter((event) => event.contract === PersonErased.categorisation)
      .map((event) => PersonErased.categorisation.dataSchema.parse(event.data));
    expect(reports).toEqual([
      { erasureId: 'er_1', service: 'categorisation', items: counts, erasedAt: now.toISOString() },
      { erasureId: 'er_1', service: 'categorisation', items: counts, erasedAt: now.toISOString() },
    ]);
  });

  it('reports zeros for a person it holds nothing on', async () => {
    expect(await erasePerson(bed, erasureRequested('er_2', 'nobody@example.com'), now)).toEqual({
      results: 0,
      corrections: 0,
    });
  });

  it('finds feedback that arrives after an erasure (still in flight) for the next erasure', async () => {
    await erasePerson(bed, erasureRequested('er_1', anna.email), now);
    await categoriseFeedback(bed, received(annas[0]!));
    expect(await erasePerson(bed, erasureRequested('er_3', anna.email), now)).toEqual({ results: 1, corrections: 0 });
    expect(JSON.stringify(await scan(bed))).not.toContain(annasTexts[0]);
  });
});
