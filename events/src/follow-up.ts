import * as z from 'zod';
import { defineEvent, EventSources } from './contract';

export const caseStatuses = ['open', 'acknowledged', 'contacted', 'resolved', 'closed'] as const;

export const CaseOpened = defineEvent({
  source: EventSources.followUp,
  detailType: 'CaseOpened',
  version: 1,
  description: 'A follow-up case was opened for a piece of feedback (e.g. a detractor) and assigned an owner.',
  consumers: [],
  data: z.object({
    caseId: z.string().min(1),
    feedbackId: z.string().min(1),
    surveyId: z.string().min(1).optional(),
    reason: z.string().min(1).describe('Why the case was opened (the rule that fired)'),
    owner: z.string().min(1).optional(),
    priority: z.enum(['low', 'normal', 'high']),
    dueAt: z.iso.datetime({ offset: true }).optional().describe('First-contact SLA deadline'),
    openedAt: z.iso.datetime({ offset: true }),
  }),
  example: {
    caseId: 'case_01JD8X9Z8Y7X6W5V4T3S2R1Q0P',
    feedbackId: 'fb_01JD8X4Q2V6N3M5K7P9R1T3W5Y',
    surveyId: 'srv_01JD8X1A2B3C4D5E6F7G8H9J0K',
    reason: 'detractor',
    owner: 'cx-team',
    priority: 'high',
    dueAt: '2026-11-21T09:15:01.000Z',
    openedAt: '2026-11-20T09:15:01.000Z',
  },
});
