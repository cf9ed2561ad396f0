import { buildDetail, PersonErasureRequested } from '@cxloop/events';
import { identifierHash } from '@cxloop/privacy';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  delightedResponseListQuerySchema,
  delightedResponseRequestSchema,
  delightedSelection,
} from '../src/domain/delighted';
import { createSurveySchema } from '../src/domain/surveys';
import { createDelightedResponse, listDelightedResponses } from '../src/use-cases/delighted-responses';
import { erasePerson } from '../src/use-cases/erase-person';
import { createSurvey } from '../src/use-cases/manage-surveys';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';

const now = new Date('2026-11-20T10:00:00Z');
const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const causation = { correlationId: 'c-1', causationId: 'r-1' };

describe("Delighted's survey responses against DynamoDB Local", () => {
  let bed: CollectionTestbed;
  let surveyId: string;
  const post = (body: unknown, when = now) =>
    createDelightedResponse(bed, { surveyId, body: delightedResponseRequestSchema.parse(body), causation, now: when });
  const list = async (query: Record<string, string>) => {
    const page = await listDelightedResponses(
      bed,
      delightedSelection(surveyId, delightedResponseListQuerySchema.parse(query)),
    );
    return { ids: page.responses.map((response) => response.responseId), hasMore: page.hasMore };
  };

  beforeEach(async () => {
    bed = await collectionTestbed();
    surveyId = (await createSurvey(bed, createSurveySchema.parse({ name: 'NPS', type: 'nps' }), now)).survey.id;
  });

  it('stores a post as a published live response at its created_at, indexed under the person', async () => {
    const response = await post({
      person: 'Anna@Example.com',
      score: 2,
      comment: 'Late',
      created_at: at('2026-11-01T08:00:00Z'),
    });
    expect(response).toMatchObject({ occurredAt: '2026-11-01T08:00:00.000Z', updatedAt: now.toISOString() });
    expect(bed.feedbackEvents()).toEqual([
      expect.objectContaining({
        feedbackId: response.feedbackId,
        channel: 'api',
        occurredAt: '2026-11-01T08:00:00.000Z',
        respondent: expect.objectContaining({ email: 'Anna@Example.com', emailVerified: true }),
      }),
    ]);
    const pointers = await bed.itemsWithPrefix(`PERSONAL#${identifierHash('email', 'anna@example.com')}`);
    expect(pointers).toHaveLength(1);
  });

  it('lists by creation or last change, within bounds, by segment and by person, a page at a time', async () => {
    const anna = identifierHash('email', 'anna@example.com');
    const a = await post({
      person: 'anna@example.com',
      score: 9,
      person_properties: { plan: 'pro' },
      created_at: at('2026-11-01T00:00:00Z'),
    });
    const b = await post(
      { person: anna, score: 4, created_at: at('2026-11-03T00:00:00Z') },
      new Date('2026-11-19T00:00:00Z'),
    );
    const c = await post({
      person: 'boris@example.com',
      score: 10,
      person_properties: { plan: 'free' },
      created_at: at('2026-11-02T00:00:00Z'),
    });
    const [idA, idB, idC] = [a.responseId, b.responseId, c.responseId];

    expect(await list({})).toEqual({ ids: [idA, idC, idB], hasMore: false });
    expect(await list({ order: 'desc', per_page: '2' })).toEqual({ ids: [idB, idC], hasMore: true });
    expect(await list({ order: 'desc', per_page: '2', page: '2' })).toEqual({ ids: [idA], hasMore: false });
    expect(await list({ order: 'asc:updated_at' })).toEqual({ ids: [idB, idA, idC], hasMore: false });
    expect(
      await list({ since: String(at('2026-11-02T00:00:00Z')), until: String(at('2026-11-02T23:00:00Z')) }),
    ).toEqual({
      ids: [idC],
      hasMore: false,
    });
    expect(await list({ updated_until: String(at('2026-11-19T12:00:00Z')) })).toEqual({ ids: [idB], hasMore: false });
    expect(await list({ trend: 'plan:pro' })).toEqual({ ids: [idA], hasMore: false });
    expect(await list({ person_email: 'ANNA@example.com' })).toEqual({ ids: [idA, idB], hasMore: false });
    expect(await list({ person_id: anna, order: 'desc' })).toEqual({ ids: [idB, idA], hasMore: false });
    expect(await list({ person_id: anna, per_page: '1' })).toEqual({ ids: [idA], hasMore: true });
  });

  it('lets an erasure of the address reach a response created for the person id alone', async () => {
    const anna = identifierHash('email', 'anna@example.com');
    const response = await post({ person: anna, score: 5, comment: 'Meh' });
    const data = {
      erasureId: 'er_1',
      identifiers: [{ kind: 'email' as const, hash: anna }],
      requestedAt: now.toISOString(),
    };
    const detail = buildDetail(PersonErasureRequested, data, { correlationId: 'corr-er_1' });
    await erasePerson(bed, { id: 'evt-er_1', metadata: detail.metadata, data: detail.data }, now);
    const [item] = await bed.itemsWithPrefix(`RESPONSE#${surveyId}#${response.responseId}`);
    expect(item).toMatchObject({ erasedAt: expect.any(String) });
    expect(item).not.toHaveProperty('personId');
    expect(item?.content).not.toHaveProperty('comment');
  });
});
