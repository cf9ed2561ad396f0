import { identifierHash } from '@cxloop/privacy';
import { beforeEach, describe, expect, it } from 'vitest';
import { importedResponseId } from '../src/domain/imports';
import { createSurveySchema, type Survey } from '../src/domain/surveys';
import { collectionKeys } from '../src/store/keys';
import { type ImportResponsesDeps, importResponses } from '../src/use-cases/import-responses';
import { createSurvey } from '../src/use-cases/manage-surveys';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';

const causation = { correlationId: 'import-correlation' };
const now = new Date('2026-11-20T10:00:00Z');

describe('importResponses against DynamoDB Local', () => {
  let bed: CollectionTestbed;
  let deps: ImportResponsesDeps;
  let survey: Survey;
  const run = (rows: unknown[], options: { deps?: ImportResponsesDeps; source?: string } = {}) =>
    importResponses(options.deps ?? deps, {
      surveyId: survey.id,
      batch: { source: options.source ?? 'delighted', rows },
      causation,
      now,
    });

  beforeEach(async () => {
    bed = await collectionTestbed();
    deps = bed;
    ({ survey } = await createSurvey(
      bed,
      createSurveySchema.parse({ name: 'Delighted NPS', timeZone: 'Europe/Moscow' }),
      now,
    ));
  });

  const anna = {
    sourceId: '1001',
    answeredAt: '2026-03-14T09:30:00Z',
    score: 3,
    comment: 'Доставка опоздала на неделю',
    respondent: { id: '77', email: 'anna@example.com', name: 'Anna K.' },
    properties: { plan: 'pro' },
  };
  const boris = { sourceId: '1002', answeredAt: '2025-12-01T18:00:00+03:00', score: 10 };

  it('stores each row as a historical response at its original time, indexed and with its end of life', async () => {
    const results = await run([anna, boris]);
    expect(results).toEqual([
      { index: 0, sourceId: '1001', status: 'imported' },
      { index: 1, sourceId: '1002', status: 'imported' },
    ]);
    const bySourceId = (sourceId: string) =>
      bed.feedbackEvents().find((feedback) => feedback.externalIds.sourceResponseId === sourceId);
    const [first, second] = [bySourceId('1001'), bySourceId('1002')];
    expect(first).toMatchObject({
      historical: true,
      source: 'delighted',
      channel: 'import',
      surveyId: survey.id,
      score: { value: 3 },
      text: 'Доставка опоздала на неделю',
      respondent: { id: '77', email: 'anna@example.com', verified: true, emailVerified: true },
      attributes: { plan: 'pro' },
      externalIds: { sourceResponseId: '1001' },
      occurredAt: '2026-03-14T09:30:00.000Z',
      receivedAt: now.toISOString(),
      // Counted from when it was answered, as for a live answer then: 730 days of contact, 1095 of text.
      retainUntil: { contact: '2028-03-13T09:30:00.000Z', text: '2029-03-13T09:30:00.000Z' },
    });
    expect(JSON.stringify(first)).not.toContain('Anna K.');
    expect(second).toMatchObject({ historical: true, occurredAt: '2025-12-01T15:00:00.000Z' });
    expect(second).not.toHaveProperty('text');

    const key = collectionKeys.response(
      survey.id,
      importedResponseId(survey.id, { source: 'delighted', sourceId: '1001' }),
    );
    const [stored] = await bed.itemsWithPrefix(key.pk);
    expect(stored).toMatchObject({
      imported: { source: 'delighted', sourceId: '1001' },
      publishedRevision: 1,
      expiresAt: Date.parse('2028-03-13T09:30:00Z') / 1000,
    });
    const pointers = await bed.itemsWithPrefix(`PERSONAL#${identifierHash('email', 'anna@example.com')}`);
    expect(pointers).toEqual([expect.objectContaining({ targetPk: key.pk, expiresAt: stored?.expiresAt })]);
  });

  it('is idempotent by source and sourceId: a re-run answers duplicate and publishes nothing', async () => {
    await run([anna, boris]);
    const again = await run([boris, { ...anna, comment: 'edited later' }]);
    expect(again.map((row) => row.status)).toEqual(['duplicate', 'duplicate']);
    expect(bed.published).toHaveLength(2);
    // The same id from another source is another answer.
    expect((await run([anna], { source: 'csv' }))[0]).toMatchObject({ status: 'imported' });
    expect(bed.feedbackEvents()[2]?.source).toBe('api');
  });

  it('rejects, row by row, what it cannot store: invalid fields, answers past retention, repeats in a batch', async () => {
    const results = await run([
      { ...anna, score: 11 },
      { ...anna, sourceId: '1003', answeredAt: '2024-11-19T10:00:00Z' },
      { sourceId: '1004', score: 5 },
      { ...boris, respondent: { email: 'not-an-address' } },
      { ...anna, sourceId: '1005', answeredAt: '2026-11-21T10:00:00Z' },
      boris,
      boris,
    ]);
    expect(results).toEqual([
      {
        index: 0,
        sourceId: '1001',
        status: 'rejected',
        reason: 'invalid',
        field: 'score',
        message: expect.any(String),
      },
      {
        index: 1,
        sourceId: '1003',
        status: 'rejected',
        reason: 'past_retention',
        field: 'answeredAt',
        message: expect.stringContaining('730 days'),
      },
      { index: 2, status: 'rejected', reason: 'invalid', field: 'answeredAt', message: expect.any(String) },
      { index: 3, status: 'rejected', reason: 'invalid', field: 'respondent.email', message: expect.any(String) },
      {
        index: 4,
        sourceId: '1005',
        status: 'rejected',
        reason: 'invalid',
        field: 'answeredAt',
        message: 'is in the future',
      },
      { index: 5, sourceId: '1002', status: 'imported' },
      { index: 6, sourceId: '1002', status: 'duplicate' },
    ]);
    expect(bed.published).toHaveLength(1);
    expect(await bed.itemsWithPrefix(`RESPONSE#${survey.id}#`)).toHaveLength(1);
  });

  it('publishes on the re-run what a crashed attempt stored but did not publish', async () => {
    const failing = {
      ...deps,
      publish: async () => {
        throw new Error('EventBridge unavailable');
      },
    };
    await expect(run([anna], { deps: failing })).rejects.toThrow('EventBridge unavailable');
    expect(await run([anna])).toEqual([{ index: 0, sourceId: '1001', status: 'imported' }]);
    expect(await run([anna])).toEqual([{ index: 0, sourceId: '1001', status: 'duplicate' }]);
    expect(bed.published).toHaveLength(1);
  });

  it('does not bring back an answer whose respondent was erased', async () => {
    await run([anna]);
    const key = collectionKeys.response(
      survey.id,
      importedResponseId(survey.id, { source: 'delighted', sourceId: '1001' }),
    );
    await bed.responses.erase(key, now);
    expect(await run([anna])).toEqual([
      {
        index: 0,
        sourceId: '1001',
        status: 'rejected',
        reason: 'erased',
        field: 'sourceId',
        message: expect.any(String),
      },
    ]);
  });

  it('answers 404 for an unknown survey', async () => {
    await expect(
      importResponses(deps, { surveyId: 'srv_missing', batch: { source: 'csv', rows: [boris] }, causation, now }),
    ).rejects.toThrow('does not exist');
  });
});
