import { createHash } from 'node:crypto';
import { segmentValueOf } from '@cxloop/events';
import { firstContactDueAt, type ManagedCase } from './case-lifecycle';
import type { CaseStatus } from './cases';
import { personKeyOf, provenContactOf } from './person';
import type { RoutingConfig } from './routing';
import { type CategorisedFeedback, polarityOf, type ScoreCategory, scoreCategoryOf } from './rules';

/**
 * Outreach for a segment whose metric fell: the people of that segment to call. Each person gets a case of their
 * own (reason `segment_outreach`) rather than being a child of one parent case, because everything the loop already
 * does works per person: each call has its own owner and SLA timer and is escalated on its own, the closed-loop
 * figures count each call once against its SLA, a person's later negative feedback joins their case, and erasing a
 * person anonymises their case like any other. The outreach itself only lists the case ids (nothing personal) and
 * reads its progress from the cases.
 */

export const OUTREACH_REASON = 'segment_outreach';

export interface OutreachSegment {
  dimension: string;
  value: string;
}

/** How long an answer stays a candidate: the longest alert window (90 days) and a margin. */
export const OUTREACH_CANDIDATE_DAYS = 100;

/** The contact an outreach case may use: proven only. */
export interface OutreachContact {
  id?: string;
  email?: string;
  locale?: string;
}

/**
 * What follow-up keeps of an answer that makes its person someone to call if their segment falls: a detractor or
 * passive (CSAT/CES: the negative and middle answers) with proven contact details, and the segments it belongs to.
 */
export interface OutreachCandidate {
  feedbackId: string;
  revision: number;
  surveyId: string;
  personKey: string;
  contact: OutreachContact;
  category: ScoreCategory;
  score: number;
  occurredAt: string;
  /** `dimension=value` of every segment the answer is in: channel, source, language, sentiment, topics, intents, attributes. */
  segments: string[];
}

/** Attribute names that can be segment keys (aggregation's rule); others can never be an alert's dimension. */
const segmentKeyPattern = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export const segmentEntryOf = ({ dimension, value }: OutreachSegment) => `${dimension}=${segmentValueOf(value)}`;

function segmentsOf({ feedback, categorisation }: CategorisedFeedback): string[] {
  const segments: OutreachSegment[] = [
    { dimension: 'channel', value: feedback.channel },
    { dimension: 'source', value: feedback.source },
    { dimension: 'language', value: categorisation.language },
    { dimension: 'sentiment', value: categorisation.sentiment.label },
    ...categorisation.topics.map((topic) => ({ dimension: 'topic', value: topic.id })),
    ...categorisation.intents.map((intent) => ({ dimension: 'intent', value: intent.id })),
    ...Object.entries(feedback.attributes)
      .filter(([name]) => segmentKeyPattern.test(name))
      .map(([dimension, value]) => ({ dimension, value: segmentValueOf(value) })),
  ];
  return [...new Set(segments.map(segmentEntryOf))];
}

/** The answer as an outreach candidate, or undefined when it can never be one. */
export function outreachCandidateOf(input: CategorisedFeedback): OutreachCandidate | undefined {
  const { feedback } = input;
  const category = scoreCategoryOf(feedback);
  const personKey = personKeyOf(feedback.respondent);
  if (feedback.historical || !feedback.surveyId || !feedback.score || !category || !personKey) return undefined;
  if (polarityOf(category) === 'positive') return undefined;
  const { id, email } = provenContactOf(feedback.respondent);
  const { locale } = feedback.respondent;
  return {
    feedbackId: feedback.feedbackId,
    revision: feedback.revision,
    surveyId: feedback.surveyId,
    personKey,
    contact: { ...(id ? { id } : {}), ...(email ? { email } : {}), ...(locale ? { locale } : {}) },
    category,
    score: feedback.score.value,
    occurredAt: feedback.occurredAt,
    segments: segmentsOf(input),
  };
}

/** The segment's candidates to call, newest answer first, each person once (with their newest answer). */
export function outreachShortlist(
  candidates: readonly OutreachCandidate[],
  segment: OutreachSegment,
): OutreachCandidate[] {
  const entry = segmentEntryOf(segment);
  const newestFirst = candidates
    .filter((candidate) => candidate.segments.includes(entry))
    .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.feedbackId.localeCompare(a.feedbackId));
  const seen = new Set<string>();
  return newestFirst.filter((candidate) => !seen.has(candidate.personKey) && seen.add(candidate.personKey));
}

/** The segment's owner from the routing config (`segmentOwners[dimension][value]`), else the fallback owner. */
export function segmentOwnerOf(routing: RoutingConfig, segment: OutreachSegment): string {
  return routing.segmentOwners[segment.dimension]?.[segment.value] ?? routing.fallbackOwner;
}

/** One outreach case per alert and person, whatever the deliveries; the id names neither. */
export function outreachCaseIdOf(alertId: string, personKey: string): string {
  return `case_outreach_${createHash('sha256').update(`${alertId}\u0000${personKey}`).digest('hex').slice(0, 32)}`;
}

export interface OutreachAlert {
  alertId: string;
  segment: OutreachSegment;
}

/** The case that asks the segment's owner to call one person. */
export function openOutreachCase(
  alert: OutreachAlert,
  candidate: OutreachCandidate,
  owner: string,
  slaHours: number,
  now: Date,
): ManagedCase {
  const at = now.toISOString();
  return {
    caseId: outreachCaseIdOf(alert.alertId, candidate.personKey),
    feedbackId: candidate.feedbackId,
    surveyId: candidate.surveyId,
    personKey: candidate.personKey,
    ...(Object.keys(candidate.contact).length > 0 ? { respondent: candidate.contact } : {}),
    customer: { [alert.segment.dimension]: alert.segment.value },
    outreachId: alert.alertId,
    status: 'open',
    reason: OUTREACH_REASON,
    priority: 'normal',
    owner,
    score: candidate.score,
    sentiment: { label: polarityOf(candidate.category) === 'negative' ? 'negative' : 'neutral', score: 0 },
    slaHours,
    openedAt: at,
    dueAt: firstContactDueAt(now, slaHours),
    reopenCount: 0,
    relatedFeedbackIds: [],
    notes: [],
    escalations: [],
    updatedAt: at,
  };
}

/** A person on an outreach list: their own outreach case, or the unfinished case they already had. */
export interface OutreachMember {
  caseId: string;
  /** The person's case was already being worked on (another reason): they are called once, on that case. */
  existingCase: boolean;
  /** The answer that put the person on the list: a retry opens the case from it. */
  feedbackId: string;
  occurredAt: string;
}

/** An outreach action, as stored: who is on the list (by case), for which alert and segment. */
export interface Outreach {
  alertId: string;
  surveyId: string;
  segment: OutreachSegment;
  metric: string;
  delta: number;
  owner: string;
  openedAt: string;
  members: OutreachMember[];
}

export interface OutreachProgress {
  people: number;
  contacted: number;
  resolved: number;
}

/** How far the calls of an outreach are: contacted at least once, and resolved. */
export function outreachProgress(
  cases: readonly Pick<ManagedCase, 'status' | 'firstContactAt' | 'resolvedAt'>[],
): OutreachProgress {
  const contactedStatuses: readonly CaseStatus[] = ['contacted', 'resolved'];
  return {
    people: cases.length,
    contacted: cases.filter((c) => c.firstContactAt !== undefined || contactedStatuses.includes(c.status)).length,
    resolved: cases.filter((c) => c.resolvedAt !== undefined).length,
  };
}
