import { type Causation, type EventData, type FeedbackCategorised, FollowUpRequested } from '@cxloop/events';
import type { ReceivedEvent } from '@cxloop/lambda-kit';
import { caseForNewNegativeFeedback, caseIdOf, isNegativeFeedback, openCase } from '../domain/case-lifecycle';
import { caseUrlOf, type FollowUpConfig, reopenPolicyOf, slaHoursFor } from '../domain/config';
import { ruleMessageJob } from '../domain/notifications';
import type { OutboundJobInput } from '../domain/outbound-job';
import { personKeyOf, provenContactOf } from '../domain/person';
import { routeCase } from '../domain/routing';
import { type CategorisedFeedback, evaluateRules, type RuleEvaluation, type RuleSet } from '../domain/rules';
import type { FollowUpRecord } from '../store/cases';
import { type AnnouncementDeps, announceOpening } from './case-announcements';

export interface FollowUpDeps extends AnnouncementDeps {
  /** The active rule set (cached briefly). */
  ruleSet: () => Promise<RuleSet>;
  /** The follow-up config (cached briefly). */
  config: () => Promise<FollowUpConfig>;
  /** The phone number on a person's profile (given with `POST /v1/people`), for thank-yous by SMS. */
  phoneOf?: (personKey: string) => Promise<string | undefined>;
}

export type CaseOutcome =
  | { outcome: 'opened' | 'existing' | 'reopened' | 'attached'; caseId: string; owner?: string }
  | { outcome: 'none' };

export type FollowUpOutcome =
  /** Imported from another system's history: never followed up. */
  | { outcome: 'historical' }
  | { outcome: 'stale' | 'duplicate'; handledRevision: number }
  | {
      outcome: 'handled';
      matchedRuleIds: string[];
      case: CaseOutcome;
      jobs: number;
      /** Actions that had nothing to send to, with why. */
      skipped: { ruleId: string; type: string; reason: string }[];
    };

/**
 * Carries out what the rules plan for one revision of categorised feedback: FollowUpRequested, the case (opened,
 * or the person's recent case reopened or added to), and the messages. Idempotent under duplicate delivery: the
 * revision is claimed with its rule evaluation first, so a retry carries out the same plan, every step is keyed on
 * the feedback, and a revision older than one already handled is ignored. Historical (imported) feedback is left
 * alone: no rules, no FollowUpRequested, no case and no message.
 */
export async function followUpFeedback(
  deps: FollowUpDeps,
  event: ReceivedEvent<typeof FeedbackCategorised>,
  now: Date,
): Promise<FollowUpOutcome> {
  const input: EventData<typeof FeedbackCategorised> = event.data;
  const { feedback } = input;
  const causation: Causation = { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
  // A customer who answered years ago elsewhere gets no case, thank-you or re-survey for it now.
  if (feedback.historical) return { outcome: 'historical' };

  let record = await deps.cases.followUpOf(feedback.feedbackId);
  if (record && record.revision > feedback.revision) return { outcome: 'stale', handledRevision: record.revision };
  if (record?.revision === feedback.revision && record.done) {
    return { outcome: 'duplicate', handledRevision: record.revision };
  }
  if (!record || record.revision < feedback.revision) {
    const claim: FollowUpRecord = {
      feedbackId: feedback.feedbackId,
      revision: feedback.revision,
      evaluation: evaluateRules(await deps.ruleSet(), input),
      requested: false,
      done: false,
      claimedAt: now.toISOString(),
    };
    if (await deps.cases.claimFollowUp(claim)) {
      record = claim;
    } else {
      // Claimed meanwhile: by a later revision (then this one is stale), or by a concurrent delivery of this one.
      record = await deps.cases.followUpOf(feedback.feedbackId);
      if (!record || record.revision !== feedback.revision) {
        return { outcome: 'stale', handledRevision: record?.revision ?? feedback.revision };
      }
    }
  }

  const { evaluation } = record;
  const config = await deps.config();
  if (evaluation.matchedRuleIds.length > 0 && !record.requested) {
    await deps.publish([{ contract: FollowUpRequested, data: requestedData(evaluation, input, now), causation }]);
    await deps.cases.markFollowUp(feedback.feedbackId, feedback.revision, { requested: true });
  }

  const caseOutcome = await followUpCase(deps, input, evaluation, config, causation, now);

  const jobs: OutboundJobInput[] = [];
  const skipped: { ruleId: string; type: string; reason: string }[] = [];
  const caseUrl = caseUrlOf(config, caseIdOf(feedback.feedbackId), deps.publicApiUrl);
  const phone = await phoneForThanks(deps, input, evaluation);
  for (const action of evaluation.actions) {
    if (action.type === 'open_case') continue;
    const planned = ruleMessageJob(action, input, { config, caseUrl, trace: causation, ...(phone ? { phone } : {}) });
    if ('job' in planned) jobs.push(planned.job);
    else skipped.push({ ruleId: action.ruleId, type: action.type, reason: planned.skipped });
  }
  if (jobs.length > 0) await deps.enqueue(jobs);

  await deps.cases.markFollowUp(feedback.feedbackId, feedback.revision, { done: true });
  return {
    outcome: 'handled',
    matchedRuleIds: evaluation.matchedRuleIds,
    case: caseOutcome,
    jobs: jobs.length,
    skipped,
  };
}

/** A thank-you planned for a proven person without a proven address: the phone number their profile holds. */
async function phoneForThanks(deps: FollowUpDeps, { feedback }: CategorisedFeedback, evaluation: RuleEvaluation) {
  const personKey = personKeyOf(feedback.respondent);
  const thanks = evaluation.actions.some((action) => action.type === 'invite_review');
  if (!thanks || !personKey || !deps.phoneOf || provenContactOf(feedback.respondent).email) return undefined;
  return deps.phoneOf(personKey);
}

function requestedData(evaluation: RuleEvaluation, { feedback }: CategorisedFeedback, now: Date) {
  return {
    feedbackId: feedback.feedbackId,
    revision: feedback.revision,
    ruleSetVersion: evaluation.ruleSetVersion,
    matchedRuleIds: evaluation.matchedRuleIds,
    actions: evaluation.actions.map((action) => ({
      type: action.type,
      ruleId: action.ruleId,
      ...('channel' in action
        ? { channel: action.channel }
        : action.type === 'invite_review'
          ? { channel: 'email' as const }
          : {}),
      ...('template' in action ? { template: action.template } : {}),
    })),
    requestedAt: now.toISOString(),
  };
}

/**
 * The case side of a follow-up. Negative feedback from a person whose latest case is still being worked on is added
 * to it, and soon after that case was finished reopens it, instead of opening another; otherwise an `open_case`
 * action opens the feedback's own case for the routed owner.
 */
async function followUpCase(
  deps: FollowUpDeps,
  input: CategorisedFeedback,
  evaluation: RuleEvaluation,
  config: FollowUpConfig,
  causation: Causation,
  now: Date,
): Promise<CaseOutcome> {
  const openAction = evaluation.actions.find((action) => action.type === 'open_case');
  if (!openAction && !isNegativeFeedback(input)) return { outcome: 'none' };
  const { feedback } = input;
  const caseId = caseIdOf(feedback.feedbackId);

  const own = await deps.cases.get(caseId);
  if (own) {
    await announceOpening(deps, own, config, causation, now);
    return { outcome: 'existing', caseId, ...(own.case.owner ? { owner: own.case.owner } : {}) };
  }

  const personKey = personKeyOf(feedback.respondent);
  const latestId = personKey ? await deps.cases.latestCaseOf(personKey) : undefined;
  const latest = latestId && latestId !== caseId ? await deps.cases.get(latestId) : undefined;
  if (latest) {
    const owner = latest.case.owner ? { owner: latest.case.owner } : {};
    if (latest.case.relatedFeedbackIds.includes(feedback.feedbackId)) {
      // A retry after this feedback was already added to the case: finish what may not have happened.
      await announceOpening(deps, latest, config, causation, now);
      return { outcome: latest.case.reopenCount > 0 ? 'reopened' : 'attached', caseId: latest.case.caseId, ...owner };
    }
    const next = caseForNewNegativeFeedback(latest.case, input, reopenPolicyOf(config), now);
    if (next.outcome !== 'unrelated') {
      const version = await deps.cases.save(next.case, latest.version);
      if (next.outcome === 'reopen') {
        await announceOpening(deps, { ...latest, case: next.case, version }, config, causation, now);
      }
      return { outcome: next.outcome === 'reopen' ? 'reopened' : 'attached', caseId: next.case.caseId, ...owner };
    }
  }

  if (!openAction) return { outcome: 'none' };
  const routed = routeCase(openAction.routing, input, config.routing);
  const opened = openCase(input, { ...openAction, slaHours: slaHoursFor(openAction, config) }, routed.owner, now);
  await deps.cases.create(opened);
  const stored = await deps.cases.get(caseId);
  if (!stored) throw new Error(`Case ${caseId} vanished right after it was opened`);
  if (personKey) await deps.cases.pointPersonTo(personKey, caseId, stored.case.openedAt);
  await announceOpening(deps, stored, config, causation, now);
  return { outcome: 'opened', caseId, ...(stored.case.owner ? { owner: stored.case.owner } : {}) };
}
