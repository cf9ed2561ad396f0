import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ManagedCase } from '../src/domain/case-lifecycle';
import { caseKeys } from '../src/store/cases';
import { closedLoopMetrics } from '../src/use-cases/loop-metrics';
import { casesTable, hoursAfter } from './cases-fixtures';

const t0 = new Date('2026-10-01T00:00:00Z');
const HOUR_MS = 3_600_000;

/** 3,000 detractor cases over 30 days: every third contacted within 12 h (inside the 24 h SLA), one in six late. */
function manyCases(): ManagedCase[] {
  return Array.from({ length: 3000 }, (_, index) => {
    const openedAt = hoursAfter(t0, (index * 24 * 30) / 3000);
    const kind = index % 6;
    const contactedAfter = kind < 2 ? 12 : kind === 2 ? 30 : undefined;
    const status = contactedAfter === undefined ? 'open' : kind === 0 ? 'resolved' : 'contacted';
    return {
      caseId: `case_${index}`,
      feedbackId: `fb_${index}`,
      status,
      reason: index % 10 === 0 ? 'negative_public_review' : 'detractor',
      priority: 'high',
      owner: `owner-${index % 3}`,
      sentiment: { label: 'negative', score: -0.5 },
      slaHours: 24,
      openedAt: openedAt.toISOString(),
      dueAt: hoursAfter(openedAt, 24).toISOString(),
      ...(contactedAfter === undefined ? {} : { firstContactAt: hoursAfter(openedAt, contactedAfter).toISOString() }),
      ...(status === 'resolved' ? { resolvedAt: hoursAfter(openedAt, 48).toISOString() } : {}),
      reopenCount: 0,
      relatedFeedbackIds: [],
      notes: [],
      escalations: [],
      updatedAt: openedAt.toISOString(),
    } satisfies ManagedCase;
  });
}

describe('closedLoopMetrics against DynamoDB Local', () => {
  it('reads thousands of cases page by page from the opening-time index and computes the loop metrics', async () => {
    const { db, tableName, cases } = await casesTable();
    const all = manyCases();
    for (let start = 0; start < all.length; start += 25) {
      await db.send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName]: all.slice(start, start + 25).map((followUpCase) => ({
              PutRequest: {
                Item: {
                  ...caseKeys.case(followUpCase.caseId),
                  ...caseKeys.byStatus(followUpCase.status, followUpCase.openedAt, followUpCase.caseId),
                  case: followUpCase,
                  version: 1,
                },
              },
            })),
          },
        }),
      );
    }
    const now = hoursAfter(t0, 24 * 40);
    const report = await closedLoopMetrics(
      cases,
      { from: t0.toISOString(), to: hoursAfter(t0, 24 * 30).toISOString() },
      now,
    );
    expect(report.cases).toBe(3000);
    expect(report.slaSettled).toBe(3000);
    expect(report.contactedWithinSla).toBe(1000);
    expect(report.shareContactedWithinSla).toBeCloseTo(1 / 3);
    expect(report.medianHoursToFirstContact).toBe(12);
    expect(report.medianHoursToResolution).toBe(48);
    expect(report.byOwner.reduce((sum, owner) => sum + owner.open, 0)).toBe(2500);
    expect(report.byOwner.reduce((sum, owner) => sum + owner.overdue, 0)).toBe(1500);

    const firstWeek = await closedLoopMetrics(
      cases,
      { from: t0.toISOString(), to: new Date(t0.getTime() + 7 * 24 * HOUR_MS).toISOString(), reason: 'detractor' },
      now,
    );
    expect(firstWeek.cases).toBe(630);
    expect(firstWeek.reason).toBe('detractor');
  });
});
