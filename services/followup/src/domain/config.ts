import * as z from 'zod';
import {
  DEFAULT_SLA_HOURS,
  defaultReopenPolicy,
  type EscalationPolicy,
  type EscalationTarget,
  type ReopenPolicy,
} from './case-lifecycle';
import { routingConfigSchema } from './routing';
import type { PlannedAction } from './rules';
import { httpsLinkSchema } from './url-policy';

/**
 * The follow-up service's settings besides the rules: who owns what, how to reach them, SLAs, escalation, reopening,
 * the re-survey and how internal notifications look. One document, versioned for optimistic concurrency.
 */

const ownerName = z.string().min(1).max(200);
/** A named target of the channel settings (`PUT /v1/followup-channels`), spelled as they spell it. */
const targetName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected a channel target name (1–64 letters, digits, "_" or "-")');
const slaHours = z
  .number()
  .positive()
  .max(24 * 30);

export const ownerContactSchema = z
  .object({
    slackTarget: targetName.optional().describe('Named Slack incoming webhook (PUT /v1/followup-channels)'),
    email: z.email().optional().describe('Mailbox of the owner or team'),
  })
  .strict();
export type OwnerContact = z.infer<typeof ownerContactSchema>;

export const escalationTargetSchema = z.union([
  z.object({ owner: ownerName }).strict().describe('Hand the case over to this owner'),
  z
    .object({ channel: z.enum(['slack', 'webhook']), target: targetName.optional() })
    .strict()
    .describe('Tell a Slack channel or a webhook endpoint (named target; the default when absent)'),
]);

export const escalationPolicySchema = z
  .object({
    steps: z
      .array(
        z
          .object({
            afterHoursOverdue: z
              .number()
              .min(0)
              .max(24 * 30),
            to: escalationTargetSchema,
          })
          .strict(),
      )
      .max(10),
  })
  .strict()
  .refine(
    (policy) =>
      policy.steps.every(
        (step, index) => index === 0 || step.afterHoursOverdue > policy.steps[index - 1]!.afterHoursOverdue,
      ),
    { message: 'steps must come in increasing afterHoursOverdue', path: ['steps'] },
  );

export const reopenPolicySchema = z.object({ reopenWithinDays: z.number().min(0).max(365) }).strict();

export const caseUrlTemplateSchema = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((template) => template.includes('{caseId}'), 'expected a URL containing {caseId}');

export const followUpConfigSchema = z
  .object({
    routing: routingConfigSchema.prefault({ fallbackOwner: 'cx-team' }),
    owners: z
      .record(ownerName, ownerContactSchema)
      .default({})
      .describe('Owner or team → how to reach them; owners not listed get the default Slack target'),
    sla: z
      .object({
        defaultHours: slaHours.default(DEFAULT_SLA_HOURS),
        byReason: z.record(z.string().min(1), slaHours).default({}).describe('Case reason → first-contact SLA hours'),
      })
      .strict()
      .prefault({})
      .describe('For open_case actions that set no slaHours of their own'),
    outreach: z
      .object({ people: z.number().int().min(1).max(100).default(10) })
      .strict()
      .prefault({})
      .describe(
        'A metric alert for a segment opens a case for each of up to `people` recent detractors and passives of it (SLA: sla.byReason.segment_outreach)',
      ),
    escalation: escalationPolicySchema.prefault({ steps: [{ afterHoursOverdue: 0, to: { channel: 'slack' } }] }),
    reopen: reopenPolicySchema.prefault(defaultReopenPolicy),
    resurveySurveyId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Survey sent to the customer when their case is resolved (CaseResolved carries it)'),
    reviewUrl: httpsLinkSchema
      .optional()
      .describe('Where promoters are invited to leave a review, for invite_review actions without their own'),
    caseUrlTemplate: caseUrlTemplateSchema
      .optional()
      .describe('Link to a case in notifications; default <API URL>/dashboard/#/cases/{caseId}'),
    locale: z.enum(['ru', 'en']).default('en').describe('Language of internal notifications (Slack)'),
    alertSlackTarget: targetName.optional().describe('Slack target for metric alerts; the default when absent'),
    caseWebhooks: z.boolean().default(false).describe('Also send case.opened / case.escalated to the default webhook'),
    alertWebhooks: z.boolean().default(false).describe('Also send metric.alert to the default webhook'),
  })
  .strict();
export type FollowUpConfig = z.infer<typeof followUpConfigSchema>;
export type FollowUpConfigInput = z.input<typeof followUpConfigSchema>;

export const defaultFollowUpConfig: FollowUpConfig = followUpConfigSchema.parse({});

export function escalationPolicyOf(config: FollowUpConfig): EscalationPolicy {
  return { steps: config.escalation.steps as { afterHoursOverdue: number; to: EscalationTarget }[] };
}

export function reopenPolicyOf(config: FollowUpConfig): ReopenPolicy {
  return config.reopen;
}

/** The rule's SLA when it sets one, else the configured SLA for the case reason, else the configured default. */
export function slaHoursFor(action: Extract<PlannedAction, { type: 'open_case' }>, config: FollowUpConfig): number {
  return action.slaHours ?? config.sla.byReason[action.reason] ?? config.sla.defaultHours;
}

/** The dashboard link of a case: the configured template, else the dashboard the API serves. */
export function caseUrlOf(
  config: Pick<FollowUpConfig, 'caseUrlTemplate'>,
  caseId: string,
  publicApiUrl: string,
): string {
  const template = config.caseUrlTemplate ?? `${publicApiUrl.replace(/\/+$/, '')}/dashboard/#/cases/{caseId}`;
  return template.replaceAll('{caseId}', encodeURIComponent(caseId));
}

/** The Slack target of an owner, if the directory names one. */
export function slackTargetOf(config: Pick<FollowUpConfig, 'owners'>, owner: string | undefined): string | undefined {
  return owner === undefined ? undefined : config.owners[owner]?.slackTarget;
}
