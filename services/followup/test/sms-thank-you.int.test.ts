import { describe, expect, it } from 'vitest';
import { followUpConfigSchema } from '../src/domain/config';
import { outboundJobSchema } from '../src/domain/outbound-job';
import { defaultRuleSet } from '../src/domain/rules';
import { peopleStore } from '../src/store/people';
import { followUpFeedback } from '../src/use-cases/follow-up-feedback';
import { casesTable, categorisedEvent, nps, recorders } from './cases-fixtures';

const now = new Date('2026-11-20T10:00:00Z');
const positive = { sentiment: { label: 'positive' as const, score: 0.8 }, topics: [], intents: [] };

/** The feedback consumer's deps on DynamoDB Local, with the people store behind `phoneOf`, as the handler wires it. */
async function setup() {
  const table = await casesTable();
  const record = recorders();
  const people = peopleStore(table.db, table.tableName);
  const config = followUpConfigSchema.parse({ reviewUrl: 'https://reviews.example.com/acme' });
  const deps = {
    cases: table.cases,
    publish: record.publish,
    enqueue: record.enqueue,
    timers: record.timers,
    publicApiUrl: 'https://api.example.com',
    ruleSet: async () => defaultRuleSet,
    config: async () => config,
    phoneOf: async (personKey: string) => (await people.get(personKey))?.phone,
  };
  return { deps, record, people };
}

describe('thank-yous by SMS against DynamoDB Local', () => {
  it('texts a proven promoter whose profile has a phone number and who left no proven address', async () => {
    const { deps, record, people } = await setup();
    await people.upsert('id:u-5', { id: 'u-5', phone: '+79991234567' }, now);
    const event = categorisedEvent({
      feedback: { ...nps(10), respondent: { id: 'u-5', locale: 'ru-RU', verified: true, emailVerified: false } },
      categorisation: positive,
    });
    await followUpFeedback(deps, event, now);
    expect(record.jobs).toHaveLength(1);
    expect(outboundJobSchema.parse(record.jobs[0])).toMatchObject({
      channel: 'sms',
      to: '+79991234567',
      personKey: 'id:u-5',
      locale: 'ru',
      purpose: 'review_invitation',
      template: 'thank_you_review',
      variables: { reviewUrl: 'https://reviews.example.com/acme' },
    });
  });

  it('prefers a proven address, and texts nobody whose id was only claimed', async () => {
    const { deps, record, people } = await setup();
    await people.upsert('id:u-6', { id: 'u-6', phone: '+79991234568' }, now);
    const proven = categorisedEvent({
      feedback: {
        ...nps(10),
        respondent: { id: 'u-6', email: 'u6@example.com', verified: true, emailVerified: true },
      },
      categorisation: positive,
    });
    await followUpFeedback(deps, proven, now);
    const claimed = categorisedEvent(
      {
        feedback: {
          ...nps(10),
          feedbackId: 'fb_claimed',
          respondent: { id: 'u-6', verified: false, emailVerified: false },
        },
        categorisation: positive,
      },
      'event-claimed',
    );
    await followUpFeedback(deps, claimed, now);
    expect(record.jobs.map((job) => job.channel)).toEqual(['email']);
  });
});
