import { CaseEscalated, CaseOpened, CaseResolved, type Causation } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import { nextSlaTimer } from '../domain/case-lifecycle';
import { caseUrlOf, escalationPolicyOf, type FollowUpConfig } from '../domain/config';
import { caseEscalatedJobs, caseOpenedJobs } from '../domain/notifications';
import type { EnqueueOutbound } from '../outbound/enqueue';
import type { SlaTimers } from '../scheduling/sla-timers';
import type { CaseStore, StoredCase } from '../store/cases';

/**
 * What follows a change of a case, each step idempotent and the whole recorded on the case once done, so a retry
 * after a crash repeats only what may not have happened: timers collide by name, jobs by id, and events are
 * published at least once (consumers de-duplicate on the case id and level).
 */
export interface AnnouncementDeps {
  cases: CaseStore;
  publish: PublishEvents;
  enqueue: EnqueueOutbound;
  timers: SlaTimers;
  /** Base URL of the API (and its dashboard), for links to cases. */
  publicApiUrl: string;
}

const traceOf = (causation: Causation) => ({
  correlationId: causation.correlationId,
  ...(causation.causationId ? { causationId: causation.causationId } : {}),
});

/** A newly opened or reopened case: its SLA timer, CaseOpened, and the Slack (and webhook) jobs. */
export async function announceOpening(
  deps: AnnouncementDeps,
  stored: StoredCase,
  config: FollowUpConfig,
  causation: Causation,
  now: Date,
): Promise<void> {
  const followUpCase = stored.case;
  const period = followUpCase.reopenCount;
  if (stored.announcedOpenPeriod !== undefined && stored.announcedOpenPeriod >= period) return;
  const timer = nextSlaTimer(followUpCase, escalationPolicyOf(config));
  if (timer) await deps.timers.arm({ caseId: followUpCase.caseId, period, ...timer }, now);
  await deps.publish([
    {
      contract: CaseOpened,
      data: {
        caseId: followUpCase.caseId,
        feedbackId: followUpCase.feedbackId,
        ...(followUpCase.surveyId ? { surveyId: followUpCase.surveyId } : {}),
        reason: followUpCase.reason,
        ...(followUpCase.owner ? { owner: followUpCase.owner } : {}),
        priority: followUpCase.priority,
        dueAt: followUpCase.dueAt,
        openedAt: followUpCase.reopenedAt ?? followUpCase.openedAt,
        ...(followUpCase.ruleId ? { ruleId: followUpCase.ruleId } : {}),
        ...(period > 0 ? { reopened: true } : {}),
      },
      causation,
    },
  ]);
  const caseUrl = caseUrlOf(config, followUpCase.caseId, deps.publicApiUrl);
  await deps.enqueue(caseOpenedJobs(followUpCase, { config, caseUrl, trace: traceOf(causation) }));
  await deps.cases.markAnnounced(followUpCase.caseId, 'announcedOpenPeriod', period);
}

/** Escalations not yet announced: CaseEscalated and the escalation messages for each. */
export async function announceEscalations(
  deps: AnnouncementDeps,
  stored: StoredCase,
  config: FollowUpConfig,
  causation: Causation,
): Promise<void> {
  const followUpCase = stored.case;
  const pending = followUpCase.escalations.slice(stored.announcedEscalations);
  if (pending.length === 0) return;
  const caseUrl = caseUrlOf(config, followUpCase.caseId, deps.publicApiUrl);
  for (const escalation of pending) {
    await deps.publish([
      {
        contract: CaseEscalated,
        data: {
          caseId: followUpCase.caseId,
          feedbackId: followUpCase.feedbackId,
          level: escalation.level,
          ...(followUpCase.owner ? { owner: followUpCase.owner } : {}),
          to: escalation.to,
          dueAt: followUpCase.dueAt,
          escalatedAt: escalation.at,
        },
        causation,
      },
    ]);
    await deps.enqueue(caseEscalatedJobs(followUpCase, escalation, { config, caseUrl, trace: traceOf(causation) }));
  }
  await deps.cases.markAnnounced(followUpCase.caseId, 'announcedEscalations', followUpCase.escalations.length);
}

/**
 * A case that was resolved or closed: CaseResolved once per SLA period, with how to reach the customer and the
 * configured re-survey, for whoever sends it.
 */
export async function announceResolution(
  deps: Pick<AnnouncementDeps, 'cases' | 'publish'>,
  stored: StoredCase,
  config: FollowUpConfig,
  causation: Causation,
): Promise<void> {
  const followUpCase = stored.case;
  const period = followUpCase.reopenCount;
  if (followUpCase.status !== 'resolved' && followUpCase.status !== 'closed') return;
  if (stored.announcedResolvedPeriod !== undefined && stored.announcedResolvedPeriod >= period) return;
  const resolvedAt = followUpCase.resolvedAt ?? followUpCase.closedAt ?? followUpCase.updatedAt;
  // The proven contact only: the re-survey writes to it.
  const { id, email, locale } = followUpCase.respondent ?? {};
  const respondent =
    id || email || locale
      ? { ...(id ? { id } : {}), ...(email ? { email } : {}), ...(locale ? { locale } : {}) }
      : undefined;
  await deps.publish([
    {
      contract: CaseResolved,
      data: {
        caseId: followUpCase.caseId,
        feedbackId: followUpCase.feedbackId,
        ...(followUpCase.surveyId ? { surveyId: followUpCase.surveyId } : {}),
        status: followUpCase.status,
        ...(followUpCase.owner ? { owner: followUpCase.owner } : {}),
        openedAt: followUpCase.openedAt,
        ...(followUpCase.firstContactAt ? { firstContactAt: followUpCase.firstContactAt } : {}),
        resolvedAt,
        ...(respondent ? { respondent } : {}),
        ...(config.resurveySurveyId ? { resurveySurveyId: config.resurveySurveyId } : {}),
      },
      causation,
    },
  ]);
  await deps.cases.markAnnounced(followUpCase.caseId, 'announcedResolvedPeriod', period);
}
