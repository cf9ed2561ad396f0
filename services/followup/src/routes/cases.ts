/**
 * HTTP routes of the follow-up cases area: the CDK app creates exactly these, the admin handler implements exactly
 * these, the OpenAPI document and the dashboard's types are derived from them.
 */
import { caseStatuses } from '@cxloop/events';
import { defineRoute, jsonObject, pageOf, pageQuery } from '@cxloop/http-contracts';
import * as z from 'zod';
import { rulesSchema } from '../domain/rules';
import { caseActions } from '../use-cases/manage-cases';

const ownerName = z.string().trim().min(1).max(200);
const casePath = z.object({ caseId: z.string().min(1).max(200) });
const sentiment = z.object({ label: z.enum(['positive', 'neutral', 'negative']), score: z.number() });

/** A follow-up case as admins (and the dashboard) read it. */
export const followUpCaseSchema = z.object({
  caseId: z.string(),
  feedbackId: z.string(),
  surveyId: z.string().optional(),
  status: z.enum(caseStatuses),
  reason: z.string(),
  priority: z.enum(['low', 'normal', 'high']),
  owner: z.string().optional(),
  score: z.number().optional(),
  text: z.string().optional(),
  sentiment: sentiment.optional(),
  openedAt: z.string(),
  dueAt: z.string(),
  acknowledgedAt: z.string().optional(),
  firstContactAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  notes: z
    .array(z.object({ at: z.string(), author: z.string(), text: z.string() }))
    .readonly()
    .optional(),
  escalations: z
    .array(z.object({ level: z.number(), at: z.string() }))
    .readonly()
    .optional(),
});
const versionedCase = followUpCaseSchema.extend({ version: z.number() });

/** The closed loop's figures; the medians and the share are absent while no case has settled its SLA. */
export const followUpMetricsSchema = z.object({
  from: z.string(),
  to: z.string(),
  cases: z.number(),
  slaSettled: z.number(),
  contactedWithinSla: z.number(),
  shareContactedWithinSla: z.number().nullable().optional(),
  medianTimeToFirstContactMs: z.number().nullable().optional(),
  medianTimeToResolutionMs: z.number().nullable().optional(),
  byOwner: z.array(z.object({ owner: z.string(), open: z.number(), overdue: z.number() })).readonly(),
});

/** A segment's outreach (opened by its MetricAlertRaised): the people to call, by case, and how far the calls are. */
export const outreachSchema = z.object({
  alertId: z.string(),
  surveyId: z.string(),
  segment: z.object({ dimension: z.string(), value: z.string() }),
  metric: z.string(),
  delta: z.number().describe('The drop the alert reported, in the units of the metric'),
  owner: z.string().describe("The segment's owner, who got the outreach cases"),
  openedAt: z.string(),
  people: z
    .array(
      z.object({
        caseId: z.string(),
        existingCase: z
          .boolean()
          .describe('The person already had an unfinished case (another reason): they are called once, on it'),
        reason: z.string(),
        status: z.enum(caseStatuses),
        owner: z.string().optional(),
        score: z.number().optional(),
        dueAt: z.string(),
        overdue: z.boolean(),
        firstContactAt: z.string().optional(),
        resolvedAt: z.string().optional(),
      }),
    )
    .readonly(),
  progress: z.object({ people: z.number(), contacted: z.number(), resolved: z.number() }),
});

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value) => new Date(value).toISOString());
const versioned = z.object({ version: z.number() });
const conflict = 'expectedVersion is not the current version';

const listCases = defineRoute({
  method: 'GET',
  path: '/v1/followups',
  auth: 'admin',
  summary: 'Follow-up cases, by status, owner or overdue',
  request: {
    query: pageQuery()
      .extend({
        status: z.enum(caseStatuses).optional(),
        owner: ownerName.optional(),
        overdue: z
          .enum(['true', 'false'])
          .optional()
          .transform((value) => value === 'true'),
      })
      .refine((query) => !query.overdue || !query.status || ['open', 'acknowledged'].includes(query.status), {
        message: 'only open or acknowledged cases can be overdue',
        path: ['overdue'],
      }),
  },
  responses: { 200: pageOf(followUpCaseSchema) },
});
const getCase = defineRoute({
  method: 'GET',
  path: '/v1/followups/{caseId}',
  auth: 'admin',
  summary: 'One case, with its version for conditional updates',
  request: { path: casePath },
  responses: { 200: versionedCase },
  errors: { 404: 'No such case' },
});
const updateCase = defineRoute({
  method: 'PATCH',
  path: '/v1/followups/{caseId}',
  auth: 'admin',
  summary: 'Acknowledges, assigns, contacts, resolves, closes or reopens a case',
  request: {
    path: casePath,
    body: z
      .object({
        action: z.enum(caseActions),
        owner: ownerName.optional(),
        note: z.string().trim().min(1).max(1000).optional(),
        expectedVersion: z.number().int().positive().optional(),
      })
      .strict()
      .refine((body) => body.action !== 'assign' || body.owner !== undefined, {
        message: 'required when action is assign',
        path: ['owner'],
      }),
  },
  responses: { 200: versionedCase },
  errors: { 404: 'No such case', 409: `The action is not allowed from the case's status, or ${conflict}` },
});
const addNote = defineRoute({
  method: 'POST',
  path: '/v1/followups/{caseId}/notes',
  auth: 'admin',
  summary: 'Adds a note to a case',
  request: {
    path: casePath,
    body: z
      .object({ text: z.string().trim().min(1).max(1000), expectedVersion: z.number().int().positive().optional() })
      .strict(),
  },
  responses: { 201: versionedCase },
  errors: { 404: 'No such case', 409: `The case has too many notes, or ${conflict}` },
});
const getRules = defineRoute({
  method: 'GET',
  path: '/v1/followup-rules',
  auth: 'admin',
  summary: 'The follow-up rules in force',
  responses: { 200: versioned.extend({ rules: jsonObject.array() }) },
});
const putRules = defineRoute({
  method: 'PUT',
  path: '/v1/followup-rules',
  auth: 'admin',
  summary: 'Publishes a new version of the follow-up rules',
  request: {
    body: z.object({ expectedVersion: z.number().int().positive(), rules: rulesSchema }),
    maxBodyBytes: 256 * 1024,
  },
  responses: { 200: versioned.extend({ rules: jsonObject.array() }) },
  errors: { 409: conflict },
});
const ruleVersions = defineRoute({
  method: 'GET',
  path: '/v1/followup-rules/versions',
  auth: 'admin',
  summary: 'The published versions of the rules, newest first',
  request: { query: pageQuery(20) },
  responses: { 200: pageOf(jsonObject).extend({ current: z.number() }) },
});
const getConfig = defineRoute({
  method: 'GET',
  path: '/v1/followup-config',
  auth: 'admin',
  summary: 'SLAs, escalation and notification settings, with their version',
  responses: { 200: versioned },
});
const putConfig = defineRoute({
  method: 'PUT',
  path: '/v1/followup-config',
  auth: 'admin',
  summary:
    'Replaces the settings; what GET answered may be sent back as it is (its version and audit fields are ignored)',
  description: 'The body is the settings as GET answers them (routing, owners, SLAs, escalation, notifications).',
  request: {
    body: z.looseObject({ expectedVersion: z.number().int().nonnegative().optional() }),
  },
  responses: { 200: versioned },
  errors: { 409: conflict },
});
const loopMetrics = defineRoute({
  method: 'GET',
  path: '/v1/followup-metrics',
  auth: 'admin',
  summary: 'The closed loop: cases opened in a period, contacted within their SLA, time to contact and resolution',
  request: {
    query: z.object({
      from: instant.optional().describe('Default: 30 days before to'),
      to: instant.optional().describe('Default: now'),
      reason: z.string().min(1).max(100).optional(),
    }),
  },
  responses: { 200: followUpMetricsSchema },
});

const listOutreach = defineRoute({
  method: 'GET',
  path: '/v1/followup-outreach',
  auth: 'admin',
  summary: "A survey's outreach for segments whose metric fell, newest first, with each person's case and progress",
  request: { query: pageQuery(10).extend({ surveyId: z.string().min(1).max(100) }) },
  responses: { 200: pageOf(outreachSchema) },
});

export const caseAdminRoutes = [
  listCases,
  getCase,
  updateCase,
  addNote,
  getRules,
  putRules,
  ruleVersions,
  getConfig,
  putConfig,
  loopMetrics,
  listOutreach,
] as const;
