import type { Categorisation, caseStatuses } from '@cxloop/events';

export type CaseStatus = (typeof caseStatuses)[number];

/** The core of a follow-up case; `ManagedCase` (case-lifecycle.ts) adds its lifecycle. Rules decide which feedback opens one. */
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
