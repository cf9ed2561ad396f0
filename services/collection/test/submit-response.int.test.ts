import { FeedbackReceived } from '@cxloop/events';
import type { EventToPublish } from '@cxloop/lambda-kit';
import { beforeEach, describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { createSurveySchema, newSurvey, type Survey } from '../src/domain/surveys';
import { responseStore } from '../src/store/responses';
import { surveyStore } from '../src/store/surveys';
import { submitResponse } from '../src/use-cases/submit-response';

const causation = { correlationId: 'test-correlation' };
const now = new Date('2026-11-20T10:00:00Z');

describe('submitResponse against DynamoDB Local', () => {
  let published: EventToPublish[];
  let deps: Parameters<typeof submitResponse>[0];
  let survey: Survey;

  beforeEach(async () => {
    const { db, tableName } = await createServiceTable('collection');
    published = [];
    deps = {
      surveys: surveyStore(db, tableName),
      responses: responseStore(db, tableName),
      publish: async (events) => {
        published.push(...events);
      },
    };
    survey = newSurvey(createSurveySchema.parse({ name: 'Checkout NPS', timeZone: 'Europe/Moscow' }), 'srv_1', now);
    await deps.surveys.create(survey);
  });

  it('stores a response once and publishes FeedbackReceived revision 1', async () => {
    const result = await submitResponse(
      deps,
      survey.id,
      { responseId: 'resp-0001', score: 3, channel: 'web' },
      causation,
      now,
    );
    expect(result.outcome).toBe('created');
    expect(published).toHaveLength(1);
    const [event] = published;
    expect(event?.contract).toBe(FeedbackReceived);
    const data = FeedbackReceived.dataSchema.parse(event?.data);
    expect(data).toMatchObject({ revision: 1, kind: 'nps', surveyId: 'srv_1', timeZone: 'Europe/Moscow' });
    expect(data.score).toMatchObject({ value: 3, min: 0, max: 10, normalised: 0.3 });
  });

  it('is idempotent by responseId: a retried POST changes and publishes nothing', async () => {
    const input = { responseId: 'resp-0002', score: 9, channel: 'web' as const };
    const first = await submitResponse(deps, survey.id, input, causation, now);
    const retry = await submitResponse(deps, survey.id, input, causation, now);
    expect(retry.outcome).toBe('unchanged');
    expect(retry.response.feedbackId).toBe(first.response.feedbackId);
    expect(published).toHaveLength(1);
  });

  it('adds a later comment to the same response as revision 2', async () => {
    await submitResponse(deps, survey.id, { responseId: 'resp-0003', score: 2, channel: 'web' }, causation, now);
    const update = await submitResponse(
      deps,
      survey.id,
      { responseId: 'resp-0003', score: 2, comment: 'Курьер опоздал', channel: 'web' },
      causation,
      now,
    );
    expect(update.outcome).toBe('updated');
    expect(update.response.revision).toBe(2);
    expect(published.map((event) => FeedbackReceived.dataSchema.parse(event.data).revision)).toEqual([1, 2]);
    expect(FeedbackReceived.dataSchema.parse(published[1]?.data).text).toBe('Курьер опоздал');
  });

  it('gives concurrent posts of one response distinct revisions, never a lost update', async () => {
    await Promise.all(
      ['a', 'b', 'c'].map((tag) =>
        submitResponse(
          deps,
          survey.id,
          { responseId: 'resp-0004', score: 5, channel: 'web', properties: { [tag]: true } },
          causation,
          now,
        ),
      ),
    );
    const final = await deps.responses.record(
      survey.id,
      'resp-0004',
      { score: 5, channel: 'web', properties: {} },
      () => 'unused',
      now,
    );
    expect(final.outcome).toBe('unchanged');
    expect(final.response.content.properties).toEqual({ a: true, b: true, c: true });
    expect(final.response.revision).toBe(3);
  });

  it('publishes a revision that a crash left unpublished when the client retries', async () => {
    const failing = { ...deps, publish: async () => Promise.reject(new Error('bus unavailable')) };
    const input = { responseId: 'resp-0005', score: 10, channel: 'web' as const };
    await expect(submitResponse(failing, survey.id, input, causation, now)).rejects.toThrow('bus unavailable');
    await submitResponse(deps, survey.id, input, causation, now);
    expect(published).toHaveLength(1);
  });

  it('rejects a score outside the survey scale naming the field', async () => {
    await expect(
      submitResponse(deps, survey.id, { responseId: 'resp-0006', score: 11, channel: 'web' }, causation, now),
    ).rejects.toThrow('body.score: must be an integer from 0 to 10');
  });
});
