import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LoopMetricsCase, loopMetrics, median } from '../src/domain/loop-metrics';

const start = Date.parse('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
const HOUR_MS = 3_600_000;

function aCase(overrides: Partial<LoopMetricsCase> & { openedHour?: number } = {}): LoopMetricsCase {
  const { openedHour = 0, ...rest } = overrides;
  return { status: 'open', owner: 'anna', openedAt: at(openedHour), dueAt: at(openedHour + 24), slaHours: 24, ...rest };
}

describe('median', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('has as many values at or below it as at or above it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1 }), (values) => {
        const middle = median(values)!;
        const below = values.filter((value) => value <= middle).length;
        const above = values.filter((value) => value >= middle).length;
        expect(below).toBeGreaterThanOrEqual(values.length / 2);
        expect(above).toBeGreaterThanOrEqual(values.length / 2);
      }),
    );
  });
});

describe('loopMetrics', () => {
  const now = new Date(at(100));

  it('shares the cases contacted within their SLA among those whose first contact is settled', () => {
    const metrics = loopMetrics(
      [
        aCase({ status: 'contacted', firstContactAt: at(2) }),
        aCase({ status: 'contacted', firstContactAt: at(24) }),
        aCase({ status: 'contacted', firstContactAt: at(30) }),
        aCase({ status: 'open' }), // deadline passed without contact: a miss
        aCase({ status: 'open', openedHour: 90 }), // deadline still ahead: not counted yet
      ],
      now,
    );
    expect(metrics).toMatchObject({ cases: 5, slaSettled: 4, contactedWithinSla: 2, shareContactedWithinSla: 0.5 });
  });

  it('judges a reopened case by its first deadline, not the moved one', () => {
    const reopened = aCase({ status: 'open', firstContactAt: at(30), dueAt: at(200) });
    expect(loopMetrics([reopened], now)).toMatchObject({ slaSettled: 1, contactedWithinSla: 0 });
  });

  it('gives the medians of time to first contact and to resolution', () => {
    const metrics = loopMetrics(
      [
        aCase({ status: 'resolved', firstContactAt: at(2), resolvedAt: at(10) }),
        aCase({ status: 'closed', firstContactAt: at(4), resolvedAt: at(50) }),
        aCase({ status: 'contacted', firstContactAt: at(9), openedHour: 3 }),
      ],
      now,
    );
    expect(metrics.medianTimeToFirstContactMs).toBe(4 * HOUR_MS);
    expect(metrics.medianTimeToResolutionMs).toBe(30 * HOUR_MS);
  });

  it('counts open and overdue cases by owner, the most overdue first', () => {
    const metrics = loopMetrics(
      [
        aCase({ owner: 'anna', openedHour: 90 }),
        aCase({ owner: 'boris' }),
        aCase({ owner: 'boris', status: 'acknowledged' }),
        aCase({ owner: 'boris', status: 'contacted', firstContactAt: at(1) }),
        aCase({ owner: undefined }),
        aCase({ owner: 'anna', status: 'resolved', firstContactAt: at(1), resolvedAt: at(2) }),
        aCase({ owner: 'vera', status: 'closed' }),
      ],
      now,
    );
    expect(metrics.byOwner).toEqual([
      { owner: 'boris', open: 3, overdue: 2 },
      { owner: 'unassigned', open: 1, overdue: 1 },
      { owner: 'anna', open: 1, overdue: 0 },
    ]);
  });

  it('has nothing to say about no cases', () => {
    expect(loopMetrics([], now)).toEqual({
      cases: 0,
      slaSettled: 0,
      contactedWithinSla: 0,
      shareContactedWithinSla: undefined,
      medianTimeToFirstContactMs: undefined,
      medianTimeToResolutionMs: undefined,
      byOwner: [],
    });
  });
});
