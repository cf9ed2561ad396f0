import { isOverdue, type ManagedCase } from './case-lifecycle';

const HOUR_MS = 3_600_000;

export type LoopMetricsCase = Pick<
  ManagedCase,
  'status' | 'owner' | 'openedAt' | 'dueAt' | 'slaHours' | 'firstContactAt' | 'resolvedAt'
>;

export interface OwnerWorkload {
  owner: string;
  open: number;
  overdue: number;
}

export interface LoopMetrics {
  cases: number;
  /** Cases whose first contact is settled: contacted, or past the deadline without contact. */
  slaSettled: number;
  contactedWithinSla: number;
  /** contactedWithinSla / slaSettled; undefined while no case is settled. */
  shareContactedWithinSla: number | undefined;
  medianTimeToFirstContactMs: number | undefined;
  medianTimeToResolutionMs: number | undefined;
  /** Owners with unfinished cases, the most overdue first. */
  byOwner: OwnerWorkload[];
}

export const UNASSIGNED = 'unassigned';

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Closed-loop metrics over a set of cases (the caller picks them, e.g. detractor cases opened this month). The SLA is
 * judged against the first deadline (opening + SLA hours), since a reopen moves `dueAt`; a case not yet contacted
 * whose deadline is still ahead is left out of the share rather than counted as a miss.
 */
export function loopMetrics(cases: readonly LoopMetricsCase[], now: Date): LoopMetrics {
  let slaSettled = 0;
  let contactedWithinSla = 0;
  const toFirstContact: number[] = [];
  const toResolution: number[] = [];
  const workload = new Map<string, OwnerWorkload>();

  for (const followUpCase of cases) {
    const openedAt = Date.parse(followUpCase.openedAt);
    const firstDeadline = openedAt + followUpCase.slaHours * HOUR_MS;
    if (followUpCase.firstContactAt) {
      const contactedAt = Date.parse(followUpCase.firstContactAt);
      slaSettled += 1;
      if (contactedAt <= firstDeadline) contactedWithinSla += 1;
      toFirstContact.push(contactedAt - openedAt);
    } else if (now.getTime() > firstDeadline) {
      slaSettled += 1;
    }
    if (followUpCase.resolvedAt) toResolution.push(Date.parse(followUpCase.resolvedAt) - openedAt);

    if (followUpCase.status !== 'resolved' && followUpCase.status !== 'closed') {
      const owner = followUpCase.owner ?? UNASSIGNED;
      const entry = workload.get(owner) ?? { owner, open: 0, overdue: 0 };
      entry.open += 1;
      if (isOverdue(followUpCase, now)) entry.overdue += 1;
      workload.set(owner, entry);
    }
  }

  return {
    cases: cases.length,
    slaSettled,
    contactedWithinSla,
    shareContactedWithinSla: slaSettled === 0 ? undefined : contactedWithinSla / slaSettled,
    medianTimeToFirstContactMs: median(toFirstContact),
    medianTimeToResolutionMs: median(toResolution),
    byOwner: [...workload.values()].sort(
      (a, b) => b.overdue - a.overdue || b.open - a.open || a.owner.localeCompare(b.owner),
    ),
  };
}
