import { buildDetail, MetricAlertRaised } from '@cxloop/events';
import type { ReceivedEvent } from '@cxloop/lambda-kit';
import { erasePersonalItems, personIdentifiers } from '@cxloop/privacy';
import { describe, expect, it } from 'vitest';
import { applyCaseCommand } from '../src/domain/case-lifecycle';
import { type FollowUpConfigInput, followUpConfigSchema } from '../src/domain/config';
import { outreachCaseIdOf } from '../src/domain/outreach';
import { defaultRuleSet } from '../src/domain/rules';
import { outreachStore } from '../src/store/outreach';
import { suppressionStore } from '../src/store/suppressions';
import { followUpFeedback } from '../src/use-cases/follow-up-feedback';
import { closedLoopMetrics } from '../src/use-cases/loop-metrics';
import { listOutreach, openSegmentOutreach, recordOutreachCandidate } from '../src/use-cases/segment-outreach';
import { casesTable, categorisedEvent, hoursAfter, nps, recorders } from './cases-fixtures';

const now = new Date('2026-11-20T12:00:00Z');
const surveyId = 'srv_smb';
const smb = { dimension: 'plan', value: 'smb' };

function alertEvent(alertId = 'alert_smb_1', eventId = 'alert-event-1'): ReceivedEvent<typeof MetricAlertRaised> {
  const detail = buildDetail(
    MetricAlertRaised,
    { ...MetricAlertRaised.example, alertId, surveyId, segment: smb, raisedAt: now.toISOString() },
    { correlationId: `corr-${eventId}` },
  );
  return { id: eventId, ...detail };
}

type Respondent = { id?: string; email?: string; verified: boolean; emailVerified: boolean };
const provenId = (id: string): Respondent => ({ id, verified: true, emailVerified: false });

async function setup(config: FollowUpConfigInput = {}) {
  const table = await casesTable();
  const record = recorders();
  const outreach = outreachStore(table.db, table.tableName);
  const suppressions = suppressionStore(table.db, table.tableName);
  const parsed = followUpConfigSchema.parse({
    routing: { fallbackOwner: 'cx-team', segmentOwners: { plan: { smb: 'smb-team' } } },
    sla: { byReason: { segment_outreach: 48 } },
    ...config,
  });
  const deps = {
    cases: table.cases,
    publish: record.publish,
    enqueue: record.enqueue,
    timers: record.timers,
    publicApiUrl: 'https://api.example.com',
    config: async () => parsed,
    ruleSet: async () => defaultRuleSet,
    outreach,
    suppressions,
  };
  let answers = 0;
  /** An NPS answer of `hoursAgo`, kept as a candidate and followed up by the default rules. */
  async function answer(respondent: Respondent, score: number, hoursAgo: number, plan = 'smb') {
    answers += 1;
    const event = categorisedEvent(
      {
        feedback: {
          feedbackId: `fb_${answers}`,
          surveyId,
          ...nps(score),
          respondent,
          attributes: { plan },
          occurredAt: hoursAfter(now, -hoursAgo).toISOString(),
        },
      },
      `event-${answers}`,
    );
    const kept = await recordOutreachCandidate(outreach, event.data);
    await followUpFeedback(deps, event, hoursAfter(now, -hoursAgo));
    return kept;
  }
  return { ...table, record, deps, outreach, suppressions, answer };
}

describe('segment outreach against DynamoDB Local', () => {
  it("opens one case per person for the segment's recent detractors and passives, once however often the alert arrives", async () => {
    const { deps, record, answer, suppressions, cases, db, tableName } = await setup();
    expect(await answer(provenId('anna'), 5, 30)).toBe(true);
    await answer(provenId('anna'), 3, 20);
    await answer(provenId('vera'), 8, 2);
    await answer(provenId('pro-customer'), 2, 1, 'pro');
    await answer(provenId('promoter'), 10, 1);
    expect(await answer({ id: 'claimed', verified: false, emailVerified: false }, 1, 1)).toBe(false);
    await answer({ email: 'gleb@example.com', verified: false, emailVerified: true }, 2, 1);
    await suppressions.suppress({
      personKey: 'email:gleb@example.com',
      reason: 'unsubscribed',
      at: now.toISOString(),
      source: 'test',
    });
    await answer(provenId('dina'), 1, 1);
    await erasePersonalItems(
      db,
      tableName,
      'er_dina',
      personIdentifiers({ respondentId: 'dina' }),
      {
        outreachCandidate: deps.outreach.eraseCandidate,
        case: async () => {},
        personCase: async () => {},
      },
      now,
    );
    // Anna's detractor case was resolved: the outreach is a new call. Boris's is still being worked on: he is on
    // the list with it, and called once.
    const annasDetractorCase = await cases.get((await cases.latestCaseOf('id:anna')) ?? '');
    const resolved = applyCaseCommand(
      applyCaseCommand(annasDetractorCase!.case, { type: 'record_contact' }, hoursAfter(now, -10)),
      { type: 'resolve' },
      hoursAfter(now, -9),
    );
    await cases.save(resolved, annasDetractorCase!.version);
    await answer(provenId('boris'), 4, 5);
    const borisCase = await cases.latestCaseOf('id:boris');
    expect(borisCase).toBeDefined();
    const casesBefore = record.ofType('CaseOpened').length;

    const first = await openSegmentOutreach(deps, alertEvent(), now);
    const second = await openSegmentOutreach(deps, alertEvent('alert_smb_1', 'alert-event-2'), hoursAfter(now, 1));

    expect(first).toEqual({ outcome: 'opened', people: 3, casesOpened: 2 });
    expect(second).toEqual({ outcome: 'duplicate', people: 3, casesOpened: 0 });
    const opened = record.ofType('CaseOpened').slice(casesBefore);
    expect(opened.map((event) => event.data)).toEqual([
      expect.objectContaining({
        caseId: outreachCaseIdOf('alert_smb_1', 'id:vera'),
        reason: 'segment_outreach',
        owner: 'smb-team',
      }),
      expect.objectContaining({
        caseId: outreachCaseIdOf('alert_smb_1', 'id:anna'),
        reason: 'segment_outreach',
        owner: 'smb-team',
      }),
    ]);
    const annasCase = await cases.get(outreachCaseIdOf('alert_smb_1', 'id:anna'));
    expect(annasCase?.case).toMatchObject({
      feedbackId: 'fb_2',
      score: 3,
      respondent: { id: 'anna' },
      customer: { plan: 'smb' },
      dueAt: '2026-11-22T12:00:00.000Z',
      outreachId: 'alert_smb_1',
    });
    expect(await cases.latestCaseOf('id:anna')).toBe(annasCase?.case.caseId);

    const page = await listOutreach(deps, { surveyId, limit: 10 }, now);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ alertId: 'alert_smb_1', segment: smb, owner: 'smb-team' });
    expect(page.items[0]?.people.map((person) => [person.caseId, person.reason, person.existingCase])).toEqual([
      [outreachCaseIdOf('alert_smb_1', 'id:vera'), 'segment_outreach', false],
      [borisCase, 'detractor', true],
      [outreachCaseIdOf('alert_smb_1', 'id:anna'), 'segment_outreach', false],
    ]);
    expect(page.items[0]?.progress).toEqual({ people: 3, contacted: 0, resolved: 0 });

    // Anna is called: the list's progress and the closed-loop figures count it.
    const stored = annasCase!;
    const contacted = applyCaseCommand(stored.case, { type: 'record_contact' }, hoursAfter(now, 3));
    await cases.save(contacted, stored.version);
    const after = await listOutreach(deps, { surveyId, limit: 10 }, hoursAfter(now, 3));
    expect(after.items[0]?.progress).toEqual({ people: 3, contacted: 1, resolved: 0 });
    const metrics = await closedLoopMetrics(
      cases,
      { from: hoursAfter(now, -1).toISOString(), to: hoursAfter(now, 1).toISOString(), reason: 'segment_outreach' },
      hoursAfter(now, 3),
    );
    expect(metrics).toMatchObject({ cases: 2, contactedWithinSla: 1 });
  });

  it('takes the newest N people, and finishes after a crash part-way without opening or announcing twice', async () => {
    const { deps, record, answer } = await setup({ outreach: { people: 2 } });
    await answer(provenId('old'), 6, 40);
    await answer(provenId('middle'), 7, 20);
    await answer(provenId('new'), 8, 1);
    const crashing = {
      ...deps,
      publish: async (events: Parameters<typeof deps.publish>[0]) => {
        if (
          record
            .ofType('CaseOpened')
            .some((event) => String((event.data as { caseId: string }).caseId).startsWith('case_outreach_'))
        ) {
          throw new Error('bus unavailable');
        }
        await deps.publish(events);
      },
    };
    await expect(openSegmentOutreach(crashing, alertEvent('alert_crash'), now)).rejects.toThrow('bus unavailable');
    const retried = await openSegmentOutreach(deps, alertEvent('alert_crash'), hoursAfter(now, 0.1));

    // Both cases were opened before the crash; the retry only announces the second.
    expect(retried).toEqual({ outcome: 'opened', people: 2, casesOpened: 0 });
    const outreachCases = record
      .ofType('CaseOpened')
      .map((event) => String((event.data as { caseId: string }).caseId))
      .filter((caseId) => caseId.startsWith('case_outreach_'));
    expect(outreachCases).toEqual([
      outreachCaseIdOf('alert_crash', 'id:new'),
      outreachCaseIdOf('alert_crash', 'id:middle'),
    ]);
  });

  it('opens nothing for an alert about the whole survey', async () => {
    const { deps, answer } = await setup();
    await answer(provenId('anna'), 3, 1);
    const { segment: _segment, ...whole } = alertEvent().data;
    const event = { ...alertEvent(), data: whole };
    expect(await openSegmentOutreach(deps, event, now)).toEqual({ outcome: 'whole_survey' });
  });
});
