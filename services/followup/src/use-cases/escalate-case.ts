import type { Causation } from '@cxloop/events';
import { applyEscalation, escalationFor, nextSlaTimer } from '../domain/case-lifecycle';
import { escalationPolicyOf, type FollowUpConfig } from '../domain/config';
import type { SlaTimerInput } from '../scheduling/sla-timers';
import { CaseVersionConflictError, type StoredCase } from '../store/cases';
import { type AnnouncementDeps, announceEscalations } from './case-announcements';

export interface EscalationDeps extends AnnouncementDeps {
  config: () => Promise<FollowUpConfig>;
}

export type EscalationOutcome =
  | { outcome: 'missing' | 'stale' | 'not_due' }
  | { outcome: 'escalated'; escalationLevel: number; owner?: string; nextLevel?: number };

const MAX_ATTEMPTS = 3;

/**
 * An SLA timer went off: if the case still awaits contact and its deadline passed, the due escalation step is
 * applied (conditional on the case's version, so a duplicate invocation escalates once), announced, and the next
 * step's timer armed. "Now" is never earlier than the time the schedule was due, so a scheduler that runs ahead of
 * the function's clock (or a clock that lags) cannot make a due escalation look early.
 */
export async function escalateCase(deps: EscalationDeps, timer: SlaTimerInput, now: Date): Promise<EscalationOutcome> {
  const effectiveNow = new Date(Math.max(now.getTime(), timer.scheduledTime ? Date.parse(timer.scheduledTime) : 0));
  const config = await deps.config();
  const policy = escalationPolicyOf(config);
  const causation: Causation = {
    correlationId: `sla-${timer.caseId}`,
    causationId: `sla-${timer.caseId}-${timer.period}-${timer.level}`,
  };

  let stored: StoredCase | undefined;
  let escalatedLevel: number | undefined;
  for (let attempt = 1; ; attempt += 1) {
    stored = await deps.cases.get(timer.caseId);
    if (!stored) return { outcome: 'missing' };
    // A timer of an earlier deadline (the case was reopened since) or of an SLA period that ended has nothing to do.
    if (stored.case.dueAt !== timer.dueAt || stored.case.reopenCount !== timer.period) break;
    const escalation = escalationFor(stored.case, policy, effectiveNow);
    if (!escalation) break;
    const escalated = applyEscalation(stored.case, escalation);
    try {
      const version = await deps.cases.save(escalated, stored.version);
      stored = { ...stored, case: escalated, version };
      escalatedLevel = escalation.level;
      break;
    } catch (error) {
      if (!(error instanceof CaseVersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }

  // Announces this escalation, or one a crashed earlier invocation recorded but did not announce.
  await announceEscalations(deps, stored, config, causation);

  const stale = stored.case.dueAt !== timer.dueAt || stored.case.reopenCount !== timer.period;
  const next = stale ? undefined : nextSlaTimer(stored.case, policy);
  if (next && next.level > timer.level) {
    await deps.timers.arm({ caseId: timer.caseId, period: timer.period, ...next }, effectiveNow);
  }
  if (escalatedLevel !== undefined) {
    return {
      outcome: 'escalated',
      escalationLevel: escalatedLevel,
      ...(stored.case.owner ? { owner: stored.case.owner } : {}),
      ...(next && next.level > timer.level ? { nextLevel: next.level } : {}),
    };
  }
  return { outcome: stale ? 'stale' : 'not_due' };
}
