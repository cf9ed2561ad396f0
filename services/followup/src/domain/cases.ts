import type { Categorisation, caseStatuses, Feedback } from '@cxloop/events';

export type CaseStatus = (typeof caseStatuses)[number];

export interface FollowUpCase {
  caseId: string;
  feedbackId: string;
  surveyId?: string;
  status: CaseStatus;
  reason: string;
  priority: 'low' | 'normal' | 'high';
  owner?: string;
  score?: number;
  text?: string;
  sentiment: Categorisation['sentiment'];
  openedAt: string;
  dueAt: string;
}

const FIRST_CONTACT_SLA_HOURS = 24;

/** NPS 0–6: a detractor, the customer the loop must come back to first. */
export function isDetractor(feedback: Feedback): boolean {
  return feedback.kind === 'nps' && feedback.score !== undefined && feedback.score.value <= 6;
}

/**
 * The case a piece of feedback calls for, or undefined. The case id derives from the feedback id, so however often
 * the same feedback (or a later revision of it) arrives, at most one case exists for it.
 */
export function caseFor(feedback: Feedback, categorisation: Categorisation, now: Date): FollowUpCase | undefined {
  if (!isDetractor(feedback)) return undefined;
  return {
    caseId: `case_${feedback.feedbackId}`,
    feedbackId: feedback.feedbackId,
    ...(feedback.surveyId ? { surveyId: feedback.surveyId } : {}),
    status: 'open',
    reason: 'detractor',
    priority:
      categorisation.churnRisk.score >= 0.5 || categorisation.sentiment.label === 'negative' ? 'high' : 'normal',
    ...(feedback.score ? { score: feedback.score.value } : {}),
    ...(feedback.text ? { text: feedback.text } : {}),
    sentiment: categorisation.sentiment,
    openedAt: now.toISOString(),
    dueAt: new Date(now.getTime() + FIRST_CONTACT_SLA_HOURS * 3_600_000).toISOString(),
  };
}
