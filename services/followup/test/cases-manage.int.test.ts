import { describe, expect, it } from 'vitest';
import { InvalidCaseTransitionError, openCase } from '../src/domain/case-lifecycle';
import { followUpConfigSchema } from '../src/domain/config';
import { CaseVersionConflictError } from '../src/store/cases';
import { CaseNotFoundError, MAX_NOTES, TooManyNotesError, updateCase } from '../src/use-cases/manage-cases';
import { casesTable, example, hoursAfter, nps, recorders } from './cases-fixtures';

const openedAt = new Date('2026-11-20T09:00:00Z');
const causation = { correlationId: 'req-1', causationId: 'req-1' };

async function setup() {
  const table = await casesTable();
  const record = recorders();
  const opened = openCase(
    {
      feedback: {
        ...example.feedback,
        ...nps(2),
        respondent: {
          id: 'u-1',
          email: 'anna@example.com',
          locale: 'ru-RU',
          anonymousId: 'anon_1',
          verified: true,
          emailVerified: true,
        },
      },
      categorisation: example.categorisation,
    },
    {
      type: 'open_case',
      reason: 'detractor',
      routing: { to: 'account_owner' },
      priority: 'high',
      slaHours: 24,
      ruleId: 'r',
    },
    'anna',
    openedAt,
  );
  await table.cases.create(opened);
  const config = followUpConfigSchema.parse({ resurveySurveyId: 'srv_resolution' });
  const deps = { cases: table.cases, publish: record.publish, timers: record.timers, config: async () => config };
  const update = (fields: Partial<Parameters<typeof updateCase>[1]>, hours: number) =>
    updateCase(deps, { caseId: opened.caseId, author: 'key-admin', ...fields }, causation, hoursAfter(openedAt, hours));
  return { ...table, record, deps, opened, update };
}

describe('updateCase against DynamoDB Local', () => {
  it('disarms the SLA timer at first contact, and publishes CaseResolved with the respondent and the re-survey', async () => {
    const { record, opened, update } = await setup();
    await update({ action: 'acknowledge' }, 1);
    expect(record.disarmed).toEqual([]);
    const contacted = await update({ action: 'contact', note: 'Called, apologised, refund promised' }, 2);
    expect(contacted.case).toMatchObject({ status: 'contacted', firstContactAt: '2026-11-20T11:00:00.000Z' });
    expect(contacted.case.notes).toEqual([
      { at: '2026-11-20T11:00:00.000Z', author: 'key-admin', text: 'Called, apologised, refund promised' },
    ]);
    expect(record.disarmed).toEqual([{ caseId: opened.caseId, period: 0, level: 1 }]);

    const resolved = await update({ action: 'resolve' }, 30);
    expect(resolved).toMatchObject({
      version: 4,
      case: { status: 'resolved', resolvedAt: '2026-11-21T15:00:00.000Z' },
    });
    expect(record.ofType('CaseResolved').map((event) => event.data)).toEqual([
      {
        caseId: opened.caseId,
        feedbackId: opened.feedbackId,
        surveyId: opened.surveyId,
        status: 'resolved',
        owner: 'anna',
        openedAt: openedAt.toISOString(),
        firstContactAt: '2026-11-20T11:00:00.000Z',
        resolvedAt: '2026-11-21T15:00:00.000Z',
        respondent: { id: 'u-1', email: 'anna@example.com', locale: 'ru-RU' },
        resurveySurveyId: 'srv_resolution',
      },
    ]);
    // Retried request, then closing: still one CaseResolved for this SLA period.
    expect((await update({ action: 'resolve' }, 31)).version).toBe(4);
    await update({ action: 'close' }, 32);
    expect(record.ofType('CaseResolved')).toHaveLength(1);
  });

  it('publishes CaseResolved when a retried request finds the case resolved but not announced', async () => {
    const { deps, record, opened, update } = await setup();
    await update({ action: 'contact' }, 1);
    const failing = { ...deps, publish: async () => Promise.reject(new Error('EventBridge unavailable')) };
    await expect(
      updateCase(
        failing,
        { caseId: opened.caseId, action: 'resolve', author: 'k' },
        causation,
        hoursAfter(openedAt, 2),
      ),
    ).rejects.toThrow('EventBridge unavailable');
    await update({ action: 'resolve' }, 3);
    expect(record.ofType('CaseResolved')).toHaveLength(1);
  });

  it('refuses an invalid move naming it, a stale version, an unknown case and too many notes', async () => {
    const { cases, opened, update } = await setup();
    await expect(update({ action: 'resolve' }, 1)).rejects.toThrow(new InvalidCaseTransitionError('open', 'resolved'));
    await update({ action: 'assign', owner: 'boris' }, 1);
    await expect(update({ action: 'acknowledge', expectedVersion: 1 }, 2)).rejects.toBeInstanceOf(
      CaseVersionConflictError,
    );
    expect((await update({ action: 'acknowledge', expectedVersion: 2 }, 2)).case).toMatchObject({
      owner: 'boris',
      status: 'acknowledged',
    });
    await expect(update({ caseId: 'case_missing', action: 'acknowledge' }, 2)).rejects.toBeInstanceOf(
      CaseNotFoundError,
    );
    const stored = (await cases.get(opened.caseId))!;
    const full = {
      ...stored.case,
      notes: Array.from({ length: MAX_NOTES }, () => ({ at: 'x', author: 'a', text: 't' })),
    };
    await cases.save(full, stored.version);
    await expect(update({ note: 'one more' }, 3)).rejects.toBeInstanceOf(TooManyNotesError);
  });

  it('closes an uncontacted case, disarming its timer, with CaseResolved as closed', async () => {
    const { record, update } = await setup();
    await update({ action: 'close', note: 'Spam' }, 1);
    expect(record.disarmed).toHaveLength(1);
    expect(record.ofType('CaseResolved')[0]?.data).toMatchObject({
      status: 'closed',
      resolvedAt: '2026-11-20T10:00:00.000Z',
    });
  });
});
