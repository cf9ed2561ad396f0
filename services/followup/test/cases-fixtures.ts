import { buildDetail, type Categorisation, type Feedback, FeedbackCategorised } from '@cxloop/events';
import type { EventToPublish, ReceivedEvent } from '@cxloop/lambda-kit';
import { createServiceTable } from '../../../test/support/dynamodb';
import { type OutboundJob, outboundJobSchema } from '../src/domain/outbound-job';
import type { SlaTimerRequest, SlaTimers } from '../src/scheduling/sla-timers';
import { caseStore } from '../src/store/cases';
import { configStore } from '../src/store/config';
import { ruleStore } from '../src/store/rules';
import { example } from './categorised-fixture';

/** Shared by the cases area's integration tests: real stores on DynamoDB Local, recorded bus/queue/Scheduler ports. */

export { example };

export interface FeedbackChange {
  feedback?: Partial<Feedback>;
  categorisation?: Partial<Categorisation>;
}

export function categorisedEvent(
  change: FeedbackChange = {},
  eventId = 'event-1',
): ReceivedEvent<typeof FeedbackCategorised> {
  const detail = buildDetail(
    FeedbackCategorised,
    {
      feedback: { ...example.feedback, ...change.feedback },
      categorisation: { ...example.categorisation, ...change.categorisation },
    },
    { correlationId: `corr-${eventId}` },
  );
  return { id: eventId, ...detail };
}

export const nps = (value: number) => ({
  kind: 'nps' as const,
  score: { value, min: 0, max: 10, normalised: value / 10 },
});

/**
 * Records what the use-cases hand to the bus, the outbound queue and Scheduler, validating each event against its
 * contract and each job against the outbound job schema as the real adapters do.
 */
export function recorders() {
  const published: EventToPublish[] = [];
  const jobs: OutboundJob[] = [];
  const armed: { timer: SlaTimerRequest; now: Date }[] = [];
  const disarmed: Pick<SlaTimerRequest, 'caseId' | 'period' | 'level'>[] = [];
  const timers: SlaTimers = {
    arm: async (timer, now) => {
      armed.push({ timer, now });
    },
    disarm: async (timer) => {
      disarmed.push(timer);
    },
  };
  return {
    published,
    jobs,
    armed,
    disarmed,
    publish: async (events: readonly EventToPublish[]) => {
      for (const event of events) buildDetail(event.contract, event.data, event.causation);
      published.push(...events);
    },
    enqueue: async (queued: readonly unknown[]) => {
      jobs.push(...queued.map((job) => outboundJobSchema.parse(job)));
    },
    timers,
    ofType: (detailType: string) => published.filter((event) => event.contract.detailType === detailType),
  };
}

export async function casesTable() {
  const { db, tableName } = await createServiceTable('followup');
  return {
    db,
    tableName,
    cases: caseStore(db, tableName),
    rules: ruleStore(db, tableName),
    configs: configStore(db, tableName),
  };
}

export const hoursAfter = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000);
