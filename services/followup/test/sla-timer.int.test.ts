import { describe, expect, it } from 'vitest';
import { applyCaseCommand, type ManagedCase, openCase } from '../src/domain/case-lifecycle';
import { type FollowUpConfigInput, followUpConfigSchema } from '../src/domain/config';
import { escalateCase } from '../src/use-cases/escalate-case';
import { casesTable, example, hoursAfter, nps, recorders } from './cases-fixtures';

const openedAt = new Date('2026-11-20T09:00:00Z');
const dueAt = '2026-11-20T13:00:00.000Z';

const twoSteps: FollowUpConfigInput = {
  owners: { 'cx-lead': { slackTarget: 'leads' } },
  escalation: {
    steps: [
      { afterHoursOverdue: 0, to: { channel: 'slack', target: 'escalations' } },
      { afterHoursOverdue: 2, to: { owner: 'cx-lead' } },
    ],
  },
};

async function setup(config: FollowUpConfigInput = twoSteps) {
  const table = await casesTable();
  const record = recorders();
  const opened: ManagedCase = openCase(
    { feedback: { ...example.feedback, ...nps(2) }, categorisation: example.categorisation },
    {
      type: 'open_case',
      reason: 'detractor',
      routing: { to: 'account_owner' },
      priority: 'high',
      slaHours: 4,
      ruleId: 'r',
    },
    'anna',
    openedAt,
  );
  await table.cases.create(opened);
  const parsed = followUpConfigSchema.parse(config);
  const deps = {
    cases: table.cases,
    publish: record.publish,
    enqueue: record.enqueue,
    timers: record.timers,
    publicApiUrl: 'https://api.example.com',
    config: async () => parsed,
  };
  return { ...table, record, deps, opened };
}

const timer = (level: number, scheduledTime?: string) => ({
  caseId: `case_${example.feedback.feedbackId}`,
  dueAt,
  level,
  period: 0,
  ...(scheduledTime ? { scheduledTime } : {}),
});

describe('escalateCase against DynamoDB Local', () => {
  it('escalates an overdue case once per level, however often the timer fires, and arms the next step', async () => {
    const { deps, record, cases, opened } = await setup();
    const at = hoursAfter(openedAt, 4.01);
    const first = await escalateCase(deps, timer(1), at);
    const duplicate = await escalateCase(deps, timer(1), hoursAfter(at, 0.01));
    expect(first).toEqual({ outcome: 'escalated', escalationLevel: 1, owner: 'anna', nextLevel: 2 });
    expect(duplicate).toEqual({ outcome: 'not_due' });

    const stored = (await cases.get(opened.caseId))!;
    expect(stored.case.escalations).toEqual([
      { level: 1, at: at.toISOString(), to: { channel: 'slack', target: 'escalations' } },
    ]);
    expect(stored.announcedEscalations).toBe(1);
    expect(record.ofType('CaseEscalated').map((event) => event.data)).toEqual([
      expect.objectContaining({
        caseId: opened.caseId,
        level: 1,
        dueAt,
        to: { channel: 'slack', target: 'escalations' },
      }),
    ]);
    expect(record.jobs).toEqual([
      expect.objectContaining({ channel: 'slack', purpose: 'case_escalated', target: 'escalations' }),
    ]);
    // Arming again on the duplicate is what finishes a crashed invocation; Scheduler refuses the same name twice.
    const next = { caseId: opened.caseId, period: 0, level: 2, fireAt: '2026-11-20T15:00:00.000Z', dueAt };
    expect(new Set(record.armed.map(({ timer: armed }) => JSON.stringify(armed)))).toEqual(
      new Set([JSON.stringify(next)]),
    );

    const second = await escalateCase(deps, timer(2), hoursAfter(openedAt, 6.5));
    expect(second).toEqual({ outcome: 'escalated', escalationLevel: 2, owner: 'cx-lead' });
    expect((await cases.get(opened.caseId))?.case.owner).toBe('cx-lead');
    expect(record.jobs.at(-1)).toMatchObject({ target: 'leads', purpose: 'case_escalated' });
    expect(record.armed.every(({ timer: armed }) => armed.level === 2)).toBe(true);
  });

  it('escalates once when two invocations of the same timer race', async () => {
    const { deps, record, cases, opened } = await setup();
    const at = hoursAfter(openedAt, 5);
    const results = await Promise.all([escalateCase(deps, timer(1), at), escalateCase(deps, timer(1), at)]);
    expect(results.filter((result) => result.outcome === 'escalated')).toHaveLength(1);
    expect((await cases.get(opened.caseId))?.case.escalations).toHaveLength(1);
    expect(record.ofType('CaseEscalated').length).toBeGreaterThanOrEqual(1);
  });

  it('does nothing for a case contacted before the deadline, or for a timer of an earlier deadline', async () => {
    const { deps, record, cases, opened } = await setup();
    await cases.save(applyCaseCommand(opened, { type: 'record_contact' }, hoursAfter(openedAt, 1)), 1);
    expect(await escalateCase(deps, timer(1), hoursAfter(openedAt, 5))).toEqual({ outcome: 'not_due' });
    expect(
      await escalateCase(deps, { ...timer(1), dueAt: '2026-11-19T13:00:00.000Z' }, hoursAfter(openedAt, 5)),
    ).toEqual({
      outcome: 'stale',
    });
    expect(await escalateCase(deps, { ...timer(1), caseId: 'case_missing' }, hoursAfter(openedAt, 5))).toEqual({
      outcome: 'missing',
    });
    expect(record.published).toEqual([]);
    expect(record.jobs).toEqual([]);
    expect(record.armed).toEqual([]);
  });

  it('judges the deadline by the time the schedule was due when the function’s clock lags behind it', async () => {
    const { deps, cases, opened } = await setup();
    const result = await escalateCase(deps, timer(1, '2026-11-20T13:00:01Z'), hoursAfter(openedAt, 1));
    expect(result).toMatchObject({ outcome: 'escalated', escalationLevel: 1 });
    expect((await cases.get(opened.caseId))?.case.escalations[0]?.at).toBe('2026-11-20T13:00:01.000Z');
  });

  it('announces an escalation a crashed invocation recorded but did not announce', async () => {
    const { deps, record, cases, opened } = await setup();
    const failing = { ...deps, enqueue: async () => Promise.reject(new Error('SQS unavailable')) };
    await expect(escalateCase(failing, timer(1), hoursAfter(openedAt, 5))).rejects.toThrow('SQS unavailable');
    expect(await escalateCase(deps, timer(1), hoursAfter(openedAt, 5))).toEqual({ outcome: 'not_due' });
    expect((await cases.get(opened.caseId))?.announcedEscalations).toBe(1);
    expect(record.jobs).toEqual([expect.objectContaining({ purpose: 'case_escalated' })]);
  });
});
