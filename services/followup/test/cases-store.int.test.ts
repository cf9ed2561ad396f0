import { describe, expect, it } from 'vitest';
import { applyCaseCommand, type ManagedCase, openCase } from '../src/domain/case-lifecycle';
import { defaultRuleSet, evaluateRules } from '../src/domain/rules';
import { CaseVersionConflictError, InvalidCaseCursorError } from '../src/store/cases';
import { casesTable, example, hoursAfter, nps } from './cases-fixtures';

const t0 = new Date('2026-11-20T09:00:00Z');

function caseFor(feedbackId: string, owner: string, openedAt: Date, slaHours = 24): ManagedCase {
  return openCase(
    { feedback: { ...example.feedback, ...nps(3), feedbackId }, categorisation: example.categorisation },
    {
      type: 'open_case',
      reason: 'detractor',
      routing: { to: 'account_owner' },
      priority: 'high',
      slaHours,
      ruleId: 'r',
    },
    owner,
    openedAt,
  );
}

describe('caseStore against DynamoDB Local', () => {
  it('creates a case once and saves it only at the version it was read', async () => {
    const { cases } = await casesTable();
    const opened = caseFor('fb_1', 'anna', t0);
    expect(await cases.create(opened)).toBe(true);
    expect(await cases.create({ ...opened, owner: 'boris' })).toBe(false);
    const stored = (await cases.get(opened.caseId))!;
    expect(stored).toMatchObject({ version: 1, announcedEscalations: 0, case: { owner: 'anna' } });

    const acknowledged = applyCaseCommand(stored.case, { type: 'acknowledge' }, hoursAfter(t0, 1));
    expect(await cases.save(acknowledged, 1)).toBe(2);
    await expect(cases.save(acknowledged, 1)).rejects.toBeInstanceOf(CaseVersionConflictError);
    expect((await cases.get(opened.caseId))?.case.status).toBe('acknowledged');
  });

  it('keeps the announcement markers through saves and never moves them back', async () => {
    const { cases } = await casesTable();
    const opened = caseFor('fb_1', 'anna', t0);
    await cases.create(opened);
    await cases.markAnnounced(opened.caseId, 'announcedOpenPeriod', 0);
    await cases.markAnnounced(opened.caseId, 'announcedEscalations', 2);
    await cases.markAnnounced(opened.caseId, 'announcedEscalations', 1);
    await cases.save({ ...opened, owner: 'boris' }, 1);
    expect(await cases.get(opened.caseId)).toMatchObject({
      announcedOpenPeriod: 0,
      announcedEscalations: 2,
      version: 2,
    });
  });

  it('lists by status, by owner and overdue (most overdue first), pages with cursors and refuses foreign cursors', async () => {
    const { cases } = await casesTable();
    const a = caseFor('fb_a', 'anna', t0, 1);
    const b = caseFor('fb_b', 'anna', hoursAfter(t0, 1), 24);
    const c = caseFor('fb_c', 'boris', hoursAfter(t0, 2), 2);
    for (const followUpCase of [a, b, c]) await cases.create(followUpCase);
    await cases.save(applyCaseCommand(c, { type: 'record_contact' }, hoursAfter(t0, 3)), 1);
    const now = hoursAfter(t0, 10);

    const open = await cases.list({ status: 'open', now, limit: 10 });
    expect(open.cases.map((item) => item.caseId)).toEqual([b.caseId, a.caseId]);
    expect(open.cases[0]).toMatchObject({ noteCount: 0, version: 1 });
    expect(open.cases[0]).not.toHaveProperty('notes');

    const annas = await cases.list({ owner: 'anna', now, limit: 10 });
    expect(annas.cases.map((item) => item.caseId)).toEqual([b.caseId, a.caseId]);
    expect((await cases.list({ owner: 'boris', status: 'open', now, limit: 10 })).cases).toEqual([]);
    expect((await cases.list({ owner: 'boris', status: 'contacted', now, limit: 10 })).cases).toMatchObject([
      { caseId: c.caseId, status: 'contacted', version: 2 },
    ]);

    const overdue = await cases.list({ overdue: true, now, limit: 10 });
    expect(overdue.cases.map((item) => item.caseId)).toEqual([a.caseId]);
    expect(
      (await cases.list({ overdue: true, now: hoursAfter(t0, 30), limit: 10 })).cases.map((item) => item.caseId),
    ).toEqual([a.caseId, b.caseId]);
    expect((await cases.list({ overdue: true, owner: 'boris', now: hoursAfter(t0, 30), limit: 10 })).cases).toEqual([]);

    const first = await cases.list({ owner: 'anna', now, limit: 1 });
    expect(first.cases).toHaveLength(1);
    const second = await cases.list({ owner: 'anna', now, limit: 1, cursor: first.next! });
    expect(second.cases.map((item) => item.caseId)).toEqual([a.caseId]);
    await expect(cases.list({ status: 'open', now, limit: 1, cursor: first.next! })).rejects.toBeInstanceOf(
      InvalidCaseCursorError,
    );
  });

  it('moves a reassigned case to its new owner’s list', async () => {
    const { cases } = await casesTable();
    const a = caseFor('fb_a', 'anna', t0);
    await cases.create(a);
    await cases.save(applyCaseCommand(a, { type: 'assign', owner: 'boris' }, hoursAfter(t0, 1)), 1);
    expect((await cases.list({ owner: 'anna', now: t0, limit: 10 })).cases).toEqual([]);
    expect((await cases.list({ owner: 'boris', now: t0, limit: 10 })).cases).toMatchObject([{ caseId: a.caseId }]);
  });

  it('finds every case opened in a window across statuses, page by page', async () => {
    const { cases } = await casesTable();
    const created: ManagedCase[] = [];
    for (let index = 0; index < 12; index += 1) {
      const followUpCase = caseFor(`fb_${index}`, 'anna', hoursAfter(t0, index));
      await cases.create(followUpCase);
      created.push(followUpCase);
    }
    await cases.save(applyCaseCommand(created[3]!, { type: 'close' }, hoursAfter(t0, 20)), 1);
    const found = await cases.openedBetween(hoursAfter(t0, 2).toISOString(), hoursAfter(t0, 10).toISOString(), 3);
    expect(found).toHaveLength(8);
    expect(found.map((item) => item.status).sort()).toEqual([...Array(7).fill('open'), 'closed'].sort());
    expect(found[0]).toEqual(expect.objectContaining({ owner: 'anna', slaHours: 24, reason: 'detractor' }));
  });

  it('points a person at their latest case only', async () => {
    const { cases } = await casesTable();
    await cases.pointPersonTo('id:u-1', 'case_b', '2026-11-20T10:00:00.000Z');
    await cases.pointPersonTo('id:u-1', 'case_a', '2026-11-20T09:00:00.000Z');
    expect(await cases.latestCaseOf('id:u-1')).toBe('case_b');
    await cases.pointPersonTo('id:u-1', 'case_c', '2026-11-21T09:00:00.000Z');
    expect(await cases.latestCaseOf('id:u-1')).toBe('case_c');
    expect(await cases.latestCaseOf('id:u-2')).toBeUndefined();
  });

  it('claims each feedback revision once and never an older one', async () => {
    const { cases } = await casesTable();
    const evaluation = evaluateRules(defaultRuleSet, example);
    const record = (revision: number) => ({
      feedbackId: 'fb_1',
      revision,
      evaluation,
      requested: false,
      done: false,
      claimedAt: t0.toISOString(),
    });
    expect(await cases.claimFollowUp(record(2))).toBe(true);
    expect(await cases.claimFollowUp(record(2))).toBe(false);
    expect(await cases.claimFollowUp(record(1))).toBe(false);
    await cases.markFollowUp('fb_1', 2, { requested: true });
    await cases.markFollowUp('fb_1', 1, { done: true });
    expect(await cases.followUpOf('fb_1')).toMatchObject({ revision: 2, requested: true, done: false });
    expect(await cases.claimFollowUp(record(3))).toBe(true);
  });
});
