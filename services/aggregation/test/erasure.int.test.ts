import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type Feedback, FeedbackCategorised, PersonErased, type PersonErasureRequested } from '@cxloop/events';
import type { EventToPublish, ReceivedEvent } from '@cxloop/lambda-kit';
import { identifierHash } from '@cxloop/privacy';
import { ulid } from 'ulid';
import { beforeEach, describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { unpackSlots } from '../src/domain/counting';
import { aggregationStores } from '../src/store';
import { aggregateBatch } from '../src/use-cases/aggregate-batch';
import { erasePerson } from '../src/use-cases/erase-person';

const now = new Date('2026-11-21T10:00:00Z');
const example = FeedbackCategorised.dataSchema.parse(FeedbackCategorised.example);

const anna = { id: 'u-anna', email: 'anna@example.com', verified: true, emailVerified: true };
const annasTexts = ['Курьер Кукушкин опоздал на три дня', 'Снова жду, курьер Кукушкин пропал'];
const bobsText = 'Всё отлично, спасибо';

let sequence = 0;
function categorised(feedback: Partial<Feedback>, categorisedAt = '2026-11-20T10:00:00.000Z') {
  sequence++;
  return {
    id: `event-${sequence}`,
    metadata: { eventId: `event-${sequence}`, schemaVersion: 1, occurredAt: categorisedAt, correlationId: 'c' },
    data: { feedback: { ...example.feedback, ...feedback }, categorisation: example.categorisation },
  } satisfies ReceivedEvent<typeof FeedbackCategorised>;
}

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

describe('erasing a person in the aggregation service', () => {
  let bed: Awaited<ReturnType<typeof testbed>>;
  let annas: Feedback[];

  async function testbed() {
    const { db, tableName } = await createServiceTable('aggregation');
    const published: EventToPublish[] = [];
    const deps = {
      ...aggregationStores(db, tableName),
      publish: async (events: readonly EventToPublish[]) => {
        published.push(...events);
      },
    };
    const scan = async () =>
      (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    /** Everything stored, as text (cells hold big numbers). */
    const dump = async () =>
      JSON.stringify(await scan(), (_, value) => (typeof value === 'bigint' ? value.toString() : value));
    const cells = async () => (await scan()).filter((item) => String(item.pk).startsWith('CELLS#'));
    return { deps, published, scan, dump, cells };
  }

  beforeEach(async () => {
    bed = await testbed();
    annas = annasTexts.map((text, index) => ({
      ...example.feedback,
      feedbackId: `fb_${ulid(Date.parse('2026-11-20T09:15:00Z') + index)}`,
      text,
      score: { value: 2 + index, min: 0, max: 10, normalised: (2 + index) / 10 },
      respondent: anna,
      attributes: { plan: 'pro', customerName: 'Анна Смирнова' },
    }));
    const bobs = {
      feedbackId: `fb_${ulid(Date.parse('2026-11-20T09:16:00Z'))}`,
      text: bobsText,
      respondent: { id: 'u-bob', email: 'bob@example.com', verified: true, emailVerified: true },
    };
    const outcome = await aggregateBatch(bed.deps, [...annas.map((item) => categorised(item)), categorised(bobs)], now);
    expect(outcome).toEqual({ counted: 3, retry: [] });
  });

  it('gives every feedback item and its pointers the end of life of its feedback', async () => {
    const items = await bed.scan();
    const personal = items.filter((item) => /^(FEEDBACK#|PERSONAL#)/.test(String(item.pk)));
    expect(personal).toHaveLength(3 + 3 * 2);
    for (const item of personal) expect(item.expiresAt, `${item.pk} ${item.sk}`).toEqual(expect.any(Number));
    // Nothing else holds personal data, and nothing else expires: the histograms are kept.
    for (const item of items.filter((item) => !personal.includes(item))) expect(item.expiresAt).toBeUndefined();
  });

  it("anonymises the person's feedback and leaves the histograms and the other people's feedback as they are", async () => {
    const cellsBefore = await bed.cells();
    const counts = await erasePerson(bed.deps, erasureRequested('er_1', 'Anna@Example.com'), now);
    expect(counts).toEqual({ feedback: 2 });

    const stored = await bed.dump();
    for (const secret of ['anna@example.com', 'u-anna', 'Кукушкин', 'Анна Смирнова', ...annasTexts]) {
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain(bobsText);
    expect(await bed.cells()).toEqual(cellsBefore);
    const [first] = (await bed.deps.feedback.list({ surveyId: annas[0]!.surveyId! }, 10)).records.filter(
      (record) => record.feedbackId === annas[0]!.feedbackId,
    );
    expect(first).toMatchObject({ score: 2, attributes: {}, topics: [{ id: 'delivery' }] });
    expect(first?.text).toBeUndefined();

    expect(await erasePerson(bed.deps, erasureRequested('er_1', 'anna@example.com'), now)).toEqual(counts);
    const reports = bed.published
      .filter((event) => event.contract === PersonErased.aggregation)
      .map((event) => PersonErased.aggregation.dataSchema.parse(event.data));
    expect(reports).toEqual([
      { erasureId: 'er_1', service: 'aggregation', items: counts, erasedAt: now.toISOString() },
      { erasureId: 'er_1', service: 'aggregation', items: counts, erasedAt: now.toISOString() },
    ]);
  });

  it('still moves an anonymised response exactly once, and indexes whatever brings its text back', async () => {
    await erasePerson(bed.deps, erasureRequested('er_1', anna.email), now);
    const revised = {
      ...annas[0]!,
      revision: 2,
      score: { value: 9, min: 0, max: 10, normalised: 0.9 },
    };
    // Still in flight when the erasure came: a new revision of one, a later categorisation of the other.
    const late = [categorised(revised, '2026-11-20T11:00:00.000Z'), categorised(annas[1]!, '2026-11-20T11:00:00.000Z')];
    expect(await aggregateBatch(bed.deps, late, now)).toMatchObject({ retry: [] });
    const day = (await bed.cells()).find(
      (item) => String(item.pk).endsWith('#nps#all') && item.sk === 'day#2026-11-20',
    );
    // Scores 0–4 and 5–9: Anna's second (3) and Bob's (3, the example's score) stay, her first moved from 2 to 9.
    expect([unpackSlots(day!['*|0']), unpackSlots(day!['*|1'])]).toEqual([
      [0, 0, 0, 2, 0],
      [0, 0, 0, 0, 1],
    ]);

    expect(await erasePerson(bed.deps, erasureRequested('er_2', anna.email), now)).toEqual({ feedback: 2 });
    for (const text of annasTexts) expect(await bed.dump()).not.toContain(text);
  });
});
