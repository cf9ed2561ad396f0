import { buildDetail, CaseOpened, FeedbackCategorised } from '@cxloop/events';
import type { EventToPublish, ReceivedEvent } from '@cxloop/lambda-kit';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { caseStore } from '../src/store/cases';
import { followUpFeedback } from '../src/use-cases/follow-up-feedback';

function categorisedEvent(score: number): ReceivedEvent<typeof FeedbackCategorised> {
  const example = FeedbackCategorised.example;
  const detail = buildDetail(
    FeedbackCategorised,
    { ...example, feedback: { ...example.feedback, score: { value: score, min: 0, max: 10, normalised: score / 10 } } },
    { correlationId: 'corr-1' },
  );
  return { id: 'event-1', ...detail };
}

async function setup() {
  const { db, tableName } = await createServiceTable('followup');
  const published: EventToPublish[] = [];
  const deps = {
    cases: caseStore(db, tableName),
    publish: async (events: readonly EventToPublish[]) => {
      published.push(...events);
    },
  };
  return { deps, published };
}

const now = new Date('2026-11-20T10:00:00Z');

describe('followUpFeedback against DynamoDB Local', () => {
  it('opens one case for a detractor, with a 24 h first-contact SLA, and lists it as open', async () => {
    const { deps, published } = await setup();
    const event = categorisedEvent(3);
    await followUpFeedback(deps, event, now);
    await followUpFeedback(deps, event, now);

    const { cases } = await deps.cases.listByStatus('open', 10);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      feedbackId: event.data.feedback.feedbackId,
      reason: 'detractor',
      priority: 'high',
      dueAt: '2026-11-21T10:00:00.000Z',
    });
    expect(published.map((entry) => entry.contract)).toEqual([CaseOpened]);
  });

  it('opens no case for a promoter', async () => {
    const { deps, published } = await setup();
    await followUpFeedback(deps, categorisedEvent(10), now);
    expect((await deps.cases.listByStatus('open', 10)).cases).toEqual([]);
    expect(published).toEqual([]);
  });
});
