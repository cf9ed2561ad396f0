import type { Causation, EventData, FeedbackCategorised, MetricAlertRaised } from '@cxloop/events';
import type { ReceivedEvent } from '@cxloop/lambda-kit';
import { isOverdue, type ManagedCase } from '../domain/case-lifecycle';
import type { FollowUpConfig } from '../domain/config';
import {
  OUTREACH_REASON,
  type Outreach,
  type OutreachMember,
  type OutreachProgress,
  openOutreachCase,
  outreachCandidateOf,
  outreachCaseIdOf,
  outreachProgress,
  outreachShortlist,
  segmentOwnerOf,
} from '../domain/outreach';
import { normalisedEmail } from '../domain/person';
import type { CaseStore } from '../store/cases';
import { candidateIdOf, type OutreachStore } from '../store/outreach';
import type { SuppressionStore } from '../store/suppressions';
import { type AnnouncementDeps, announceOpening } from './case-announcements';

const DAY_MS = 86_400_000;
/** Candidates read per place on the list: room for the people left out (unsubscribed, answered twice). */
const CANDIDATES_PER_PLACE = 5;

/**
 * Keeps (or, for a revision that no longer is one, drops) the answer as an outreach candidate: follow-up must know
 * the segments of people it may be asked to call, including passives, who open no case.
 */
export async function recordOutreachCandidate(
  outreach: Pick<OutreachStore, 'keepCandidate' | 'dropCandidate'>,
  input: EventData<typeof FeedbackCategorised>,
): Promise<boolean> {
  const candidate = outreachCandidateOf(input);
  if (candidate) await outreach.keepCandidate(candidate, input.feedback);
  else await outreach.dropCandidate(input.feedback);
  return candidate !== undefined;
}

export interface SegmentOutreachDeps extends AnnouncementDeps {
  config: () => Promise<FollowUpConfig>;
  outreach: OutreachStore;
  suppressions: Pick<SuppressionStore, 'findAny'>;
}

export type SegmentOutreachOutcome =
  | { outcome: 'whole_survey' }
  | { outcome: 'duplicate' | 'opened'; people: number; casesOpened: number };

/**
 * A metric alert for a segment opens its outreach: up to `config.outreach.people` recent detractors and passives of
 * the segment with proven contact who have not opted out, newest answer first, each with an outreach case for the
 * segment's owner. Idempotent on the alert id: the list is recorded (claimed) before any case is opened, so a
 * redelivery, or a retry after a crash part-way, opens the same cases (their ids derive from alert and person) and
 * announces each once.
 */
export async function openSegmentOutreach(
  deps: SegmentOutreachDeps,
  event: ReceivedEvent<typeof MetricAlertRaised>,
  now: Date,
): Promise<SegmentOutreachOutcome> {
  const { segment, ...data } = event.data;
  if (!segment) return { outcome: 'whole_survey' };
  const alert = { ...data, segment };
  const config = await deps.config();

  let stored = await deps.outreach.get(alert.alertId);
  if (stored?.done) return { outcome: 'duplicate', people: stored.outreach.members.length, casesOpened: 0 };
  if (!stored) {
    const planned = await planOutreach(deps, alert, config, now);
    stored = (await deps.outreach.claim(planned))
      ? { outreach: planned, done: false }
      : await deps.outreach.get(alert.alertId);
    if (!stored) throw new Error(`Outreach ${alert.alertId} vanished right after it was claimed`);
  }

  const causation: Causation = { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
  const casesOpened = await openMembersCases(deps, stored.outreach, config, causation, now);
  await deps.outreach.markDone(alert.alertId);
  return { outcome: 'opened', people: stored.outreach.members.length, casesOpened };
}

type SegmentAlert = EventData<typeof MetricAlertRaised> & { segment: Outreach['segment'] };

/** Who is on the list: a person whose case is still being worked on stays on it, to be called once. */
async function planOutreach(
  deps: SegmentOutreachDeps,
  alert: SegmentAlert,
  config: FollowUpConfig,
  now: Date,
): Promise<Outreach> {
  const places = config.outreach.people;
  const since = new Date(Date.parse(alert.current.from) - DAY_MS).toISOString().slice(0, 10);
  const candidates = await deps.outreach.recentCandidates(
    alert.surveyId,
    alert.segment,
    since,
    places * CANDIDATES_PER_PLACE,
  );
  const members: OutreachMember[] = [];
  for (const candidate of outreachShortlist(candidates, alert.segment)) {
    if (members.length === places) break;
    const email = candidate.contact.email ? `email:${normalisedEmail(candidate.contact.email)}` : undefined;
    if (await deps.suppressions.findAny([candidate.personKey, ...(email ? [email] : [])])) continue;
    const answer = { feedbackId: candidate.feedbackId, occurredAt: candidate.occurredAt };
    const ongoing = await ongoingCaseOf(deps.cases, candidate.personKey);
    members.push(
      ongoing
        ? { caseId: ongoing, existingCase: true, ...answer }
        : { caseId: outreachCaseIdOf(alert.alertId, candidate.personKey), existingCase: false, ...answer },
    );
  }
  return {
    alertId: alert.alertId,
    surveyId: alert.surveyId,
    segment: alert.segment,
    metric: alert.metric,
    delta: alert.delta,
    owner: segmentOwnerOf(config.routing, alert.segment),
    openedAt: now.toISOString(),
    members,
  };
}

async function ongoingCaseOf(cases: CaseStore, personKey: string): Promise<string | undefined> {
  const latestId = await cases.latestCaseOf(personKey);
  const latest = latestId ? await cases.get(latestId) : undefined;
  return latest && latest.case.status !== 'resolved' && latest.case.status !== 'closed' ? latestId : undefined;
}

/** Opens (or finds) each member's outreach case and announces it; returns how many this call opened. */
async function openMembersCases(
  deps: SegmentOutreachDeps,
  outreach: Outreach,
  config: FollowUpConfig,
  causation: Causation,
  now: Date,
): Promise<number> {
  const own = outreach.members.filter((member) => !member.existingCase);
  const candidates = await deps.outreach.candidatesOf(outreach.surveyId, own);
  const slaHours = config.sla.byReason[OUTREACH_REASON] ?? config.sla.defaultHours;
  let opened = 0;
  for (const member of own) {
    let stored = await deps.cases.get(member.caseId);
    if (!stored) {
      // Erased since the list was made: nobody to call.
      const candidate = candidates.get(candidateIdOf(outreach.surveyId, member));
      if (!candidate) continue;
      const followUpCase = openOutreachCase(outreach, candidate, outreach.owner, slaHours, now);
      if (await deps.cases.create(followUpCase)) opened += 1;
      await deps.cases.pointPersonTo(candidate.personKey, followUpCase.caseId, followUpCase.openedAt);
      stored = await deps.cases.get(member.caseId);
      if (!stored) throw new Error(`Case ${member.caseId} vanished right after it was opened`);
    }
    await announceOpening(deps, stored, config, causation, now);
  }
  return opened;
}

export interface OutreachPerson {
  caseId: string;
  existingCase: boolean;
  reason: string;
  status: ManagedCase['status'];
  owner?: string;
  score?: number;
  dueAt: string;
  overdue: boolean;
  firstContactAt?: string;
  resolvedAt?: string;
}

export interface OutreachView extends Omit<Outreach, 'members'> {
  people: OutreachPerson[];
  progress: OutreachProgress;
}

/** A page of a survey's outreach, newest first, each with its people's cases and how far their calls are. */
export async function listOutreach(
  deps: { outreach: OutreachStore; cases: Pick<CaseStore, 'getMany'> },
  query: { surveyId: string; limit: number; cursor?: Record<string, unknown> },
  now: Date,
): Promise<{ items: OutreachView[]; next?: Record<string, unknown> }> {
  const page = await deps.outreach.list(query.surveyId, query.limit, query.cursor);
  const cases = await deps.cases.getMany(page.outreach.flatMap((outreach) => outreach.members.map((m) => m.caseId)));
  const items = page.outreach.map(({ members, ...outreach }) => {
    const people = members.flatMap((member): OutreachPerson[] => {
      const followUpCase = cases.get(member.caseId);
      if (!followUpCase) return [];
      return [
        {
          caseId: member.caseId,
          existingCase: member.existingCase,
          reason: followUpCase.reason,
          status: followUpCase.status,
          ...(followUpCase.owner ? { owner: followUpCase.owner } : {}),
          ...(followUpCase.score !== undefined ? { score: followUpCase.score } : {}),
          dueAt: followUpCase.dueAt,
          overdue: isOverdue(followUpCase, now),
          ...(followUpCase.firstContactAt ? { firstContactAt: followUpCase.firstContactAt } : {}),
          ...(followUpCase.resolvedAt ? { resolvedAt: followUpCase.resolvedAt } : {}),
        },
      ];
    });
    return {
      ...outreach,
      people,
      progress: outreachProgress(members.flatMap((member) => cases.get(member.caseId) ?? [])),
    };
  });
  return { items, ...(page.next ? { next: page.next } : {}) };
}
