import type { CaseStatus, FollowUpCase } from './cases';
import { claimedContactOf, personKeyOf, provenContactOf } from './person';
import { type CategorisedFeedback, type PlannedAction, polarityOf, scoreCategoryOf } from './rules';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface CaseNote {
  at: string;
  author: string;
  text: string;
}

export type EscalationTarget = { owner: string } | { channel: 'slack' | 'email' | 'webhook'; target?: string };

export interface CaseEscalation {
  level: number;
  at: string;
  to: EscalationTarget;
}

/**
 * How to reach the customer of a case: the owner must know whom to call, and a re-survey whom to ask. `id` and
 * `email` are proven; what the respondent claimed without proof is kept apart, shown as a claim, never contacted.
 */
export interface CaseRespondent {
  id?: string;
  email?: string;
  locale?: string;
  claimedId?: string;
  claimedEmail?: string;
}

/** A follow-up case with its lifecycle: the walking skeleton's case plus timestamps, notes and escalations. */
export interface ManagedCase extends FollowUpCase {
  personKey?: string;
  respondent?: CaseRespondent;
  /** The customer's attributes from the feedback (plan, segment, account…), for the owner's context. */
  customer?: Record<string, string | number | boolean>;
  /** The rule whose open_case action opened the case. */
  ruleId?: string;
  /** The alert whose segment outreach opened the case (reason `segment_outreach`). */
  outreachId?: string;
  slaHours: number;
  acknowledgedAt?: string;
  firstContactAt?: string;
  lastContactAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  reopenedAt?: string;
  reopenCount: number;
  /** Later negative feedback from the same person that was attached to (or reopened) this case. */
  relatedFeedbackIds: string[];
  notes: CaseNote[];
  escalations: CaseEscalation[];
  updatedAt: string;
  /** When the customer was erased from the case: contact, comment, attributes and notes are gone. */
  erasedAt?: string;
}

/** The case once its customer is erased: what it says about them goes; what it says about our work stays. */
export function erasedCase(followUpCase: ManagedCase, now: Date): ManagedCase {
  const { respondent: _respondent, personKey: _personKey, text: _text, customer: _customer, ...kept } = followUpCase;
  return { ...kept, notes: [], erasedAt: now.toISOString(), updatedAt: now.toISOString() };
}

export class InvalidCaseTransitionError extends Error {
  override readonly name = 'InvalidCaseTransitionError';
  constructor(
    readonly from: CaseStatus,
    readonly to: CaseStatus,
  ) {
    super(`A case cannot go from ${from} to ${to}`);
  }
}

/**
 * Forward moves only, skipping steps allowed (a call can be the acknowledgement); a case is resolved only after
 * contact, since resolving is what closes the loop with the customer. Going back to `open` is a reopen, which has
 * its own rule (`caseForNewNegativeFeedback`).
 */
export const allowedTransitions: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['acknowledged', 'contacted', 'closed'],
  acknowledged: ['contacted', 'closed'],
  contacted: ['contacted', 'resolved', 'closed'],
  resolved: ['closed'],
  closed: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return allowedTransitions[from].includes(to);
}

export function firstContactDueAt(from: Date, slaHours: number): string {
  return new Date(from.getTime() + slaHours * HOUR_MS).toISOString();
}

export const DEFAULT_SLA_HOURS = 24;

/** The id of the case a piece of feedback opens: however often it arrives, at most one case exists for it. */
export const caseIdOf = (feedbackId: string) => `case_${feedbackId}`;

function respondentOf(respondent: CategorisedFeedback['feedback']['respondent']): CaseRespondent | undefined {
  const contact: CaseRespondent = {
    ...provenContactOf(respondent),
    ...claimedContactOf(respondent),
    ...(respondent.locale ? { locale: respondent.locale } : {}),
  };
  return Object.keys(contact).length > 0 ? contact : undefined;
}

/**
 * The case an `open_case` action opens. Its id derives from the feedback, so a retried job opens the same case. The
 * action's SLA is used as given; pass the resolved one (`slaHoursFor`) when the rule leaves it to the config.
 */
export function openCase(
  { feedback, categorisation }: CategorisedFeedback,
  action: Extract<PlannedAction, { type: 'open_case' }>,
  owner: string | undefined,
  now: Date,
): ManagedCase {
  const personKey = personKeyOf(feedback.respondent);
  const respondent = respondentOf(feedback.respondent);
  const slaHours = action.slaHours ?? DEFAULT_SLA_HOURS;
  return {
    caseId: caseIdOf(feedback.feedbackId),
    feedbackId: feedback.feedbackId,
    ...(feedback.surveyId ? { surveyId: feedback.surveyId } : {}),
    ...(personKey ? { personKey } : {}),
    ...(respondent ? { respondent } : {}),
    ...(Object.keys(feedback.attributes).length > 0 ? { customer: { ...feedback.attributes } } : {}),
    ruleId: action.ruleId,
    status: 'open',
    reason: action.reason,
    priority: action.priority,
    ...(owner ? { owner } : {}),
    ...(feedback.score ? { score: feedback.score.value } : {}),
    ...(feedback.text ? { text: feedback.text } : {}),
    sentiment: categorisation.sentiment,
    slaHours,
    openedAt: now.toISOString(),
    dueAt: firstContactDueAt(now, slaHours),
    reopenCount: 0,
    relatedFeedbackIds: [],
    notes: [],
    escalations: [],
    updatedAt: now.toISOString(),
  };
}

export type CaseCommand =
  | { type: 'acknowledge' }
  | { type: 'record_contact' }
  | { type: 'resolve' }
  | { type: 'close' }
  | { type: 'assign'; owner: string }
  | { type: 'add_note'; author: string; text: string };

const targetStatus = {
  acknowledge: 'acknowledged',
  record_contact: 'contacted',
  resolve: 'resolved',
  close: 'closed',
} as const satisfies Partial<Record<CaseCommand['type'], CaseStatus>>;

/** Applies an owner's command; throws `InvalidCaseTransitionError` for a move the lifecycle does not allow. */
export function applyCaseCommand(current: ManagedCase, command: CaseCommand, now: Date): ManagedCase {
  const at = now.toISOString();
  switch (command.type) {
    case 'assign':
      return { ...current, owner: command.owner, updatedAt: at };
    case 'add_note':
      return {
        ...current,
        notes: [...current.notes, { at, author: command.author, text: command.text }],
        updatedAt: at,
      };
    default: {
      const to = targetStatus[command.type];
      if (!canTransition(current.status, to)) throw new InvalidCaseTransitionError(current.status, to);
      const next: ManagedCase = { ...current, status: to, updatedAt: at };
      if (to === 'acknowledged') next.acknowledgedAt = at;
      if (to === 'contacted') {
        next.acknowledgedAt ??= at;
        next.firstContactAt ??= at;
        next.lastContactAt = at;
      }
      if (to === 'resolved') next.resolvedAt = at;
      if (to === 'closed') next.closedAt = at;
      return next;
    }
  }
}

/** Waiting for first contact (again, after a reopen). */
export function awaitsContact(followUpCase: Pick<ManagedCase, 'status'>): boolean {
  return followUpCase.status === 'open' || followUpCase.status === 'acknowledged';
}

export function isOverdue(followUpCase: Pick<ManagedCase, 'status' | 'dueAt'>, now: Date): boolean {
  return awaitsContact(followUpCase) && now.getTime() > Date.parse(followUpCase.dueAt);
}

export interface EscalationPolicy {
  /** In order; each step fires once, when the case has been overdue for at least `afterHoursOverdue`. */
  steps: readonly { afterHoursOverdue: number; to: EscalationTarget }[];
}

export const defaultEscalationPolicy: EscalationPolicy = {
  steps: [{ afterHoursOverdue: 0, to: { channel: 'slack' } }],
};

/**
 * The escalation due now for a case whose first-contact SLA is breached, or undefined. Steps already taken in the
 * current SLA period (since opening or the last reopen) are not repeated; when several are due at once (the job ran
 * late) only the latest is returned, so nobody gets a burst.
 */
export function escalationFor(
  followUpCase: ManagedCase,
  policy: EscalationPolicy,
  now: Date,
): CaseEscalation | undefined {
  if (!isOverdue(followUpCase, now)) return undefined;
  const overdueMs = now.getTime() - Date.parse(followUpCase.dueAt);
  const levelTaken = escalationLevelTaken(followUpCase);
  const dueLevels = policy.steps
    .map((step, index) => ({ level: index + 1, step }))
    .filter(({ level, step }) => level > levelTaken && overdueMs >= step.afterHoursOverdue * HOUR_MS);
  const latest = dueLevels.at(-1);
  return latest && { level: latest.level, at: now.toISOString(), to: latest.step.to };
}

/** The escalation level already taken in the case's current SLA period (since opening or the last reopen); 0 if none. */
export function escalationLevelTaken(
  followUpCase: Pick<ManagedCase, 'escalations' | 'openedAt' | 'reopenedAt'>,
): number {
  const periodStart = Date.parse(followUpCase.reopenedAt ?? followUpCase.openedAt);
  return Math.max(
    0,
    ...followUpCase.escalations.filter((taken) => Date.parse(taken.at) >= periodStart).map((taken) => taken.level),
  );
}

export interface SlaTimer {
  /** The escalation level the timer checks for. */
  level: number;
  /** When that level falls due: the first-contact deadline plus the step's hours overdue. */
  fireAt: string;
  /** The deadline the timer belongs to; a timer whose case has a different deadline (it was reopened) is stale. */
  dueAt: string;
}

/**
 * The next SLA timer a case needs: for the first escalation step not yet taken in the current SLA period, while the
 * case still awaits contact. Undefined when nothing is left to escalate.
 */
export function nextSlaTimer(followUpCase: ManagedCase, policy: EscalationPolicy): SlaTimer | undefined {
  if (!awaitsContact(followUpCase)) return undefined;
  const level = escalationLevelTaken(followUpCase) + 1;
  const step = policy.steps[level - 1];
  if (!step) return undefined;
  return {
    level,
    fireAt: new Date(Date.parse(followUpCase.dueAt) + step.afterHoursOverdue * HOUR_MS).toISOString(),
    dueAt: followUpCase.dueAt,
  };
}

/** Records an escalation; escalating to an owner hands the case over to them. */
export function applyEscalation(followUpCase: ManagedCase, escalation: CaseEscalation): ManagedCase {
  return {
    ...followUpCase,
    ...('owner' in escalation.to ? { owner: escalation.to.owner } : {}),
    escalations: [...followUpCase.escalations, escalation],
    updatedAt: escalation.at,
  };
}

/** Negative by its score (detractor, CSAT 1–2, CES hard, 1–2 stars) or, without a score, by the text's sentiment. */
export function isNegativeFeedback({ feedback, categorisation }: CategorisedFeedback): boolean {
  const category = scoreCategoryOf(feedback);
  if (category) return polarityOf(category) === 'negative';
  return categorisation.sentiment.label === 'negative';
}

export interface ReopenPolicy {
  reopenWithinDays: number;
}

export const defaultReopenPolicy: ReopenPolicy = { reopenWithinDays: 30 };

export type NewFeedbackOutcome =
  | { outcome: 'attach'; case: ManagedCase }
  | { outcome: 'reopen'; case: ManagedCase }
  | { outcome: 'unrelated' };

/**
 * What new feedback from the person of an existing case does to it: negative feedback while the case is still being
 * worked on is attached to it; negative feedback soon after it was resolved or closed reopens it with a fresh SLA.
 * Anything else leaves the case alone (and the rules may open a new one).
 */
export function caseForNewNegativeFeedback(
  latest: ManagedCase,
  newFeedback: CategorisedFeedback,
  policy: ReopenPolicy,
  now: Date,
): NewFeedbackOutcome {
  const { feedbackId } = newFeedback.feedback;
  if (feedbackId === latest.feedbackId || latest.relatedFeedbackIds.includes(feedbackId)) {
    return { outcome: 'unrelated' };
  }
  if (!isNegativeFeedback(newFeedback)) return { outcome: 'unrelated' };
  const at = now.toISOString();
  const relatedFeedbackIds = [...latest.relatedFeedbackIds, feedbackId];
  if (latest.status !== 'resolved' && latest.status !== 'closed') {
    return { outcome: 'attach', case: { ...latest, relatedFeedbackIds, updatedAt: at } };
  }
  const finishedAt = Date.parse(latest.closedAt ?? latest.resolvedAt ?? latest.updatedAt);
  if (now.getTime() - finishedAt > policy.reopenWithinDays * DAY_MS) return { outcome: 'unrelated' };
  const { acknowledgedAt: _acknowledged, resolvedAt: _resolved, closedAt: _closed, ...kept } = latest;
  return {
    outcome: 'reopen',
    case: {
      ...kept,
      status: 'open',
      dueAt: firstContactDueAt(now, latest.slaHours),
      reopenedAt: at,
      reopenCount: latest.reopenCount + 1,
      relatedFeedbackIds,
      updatedAt: at,
    },
  };
}
