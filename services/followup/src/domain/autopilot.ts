import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * Autopilot (Delighted's recurring surveys): a person enrolled in a survey's Autopilot on a platform is invited at
 * enrolment and then every `frequency` seconds, each invitation decided like any other (suppressions, fatigue limits,
 * quiet hours). Each run is a one-time schedule that decides one invitation and schedules the next run.
 */
export const autopilotPlatforms = ['email', 'sms'] as const;
export type AutopilotPlatform = (typeof autopilotPlatforms)[number];

const DAY_SECONDS = 86_400;
export const DEFAULT_AUTOPILOT_FREQUENCY_SECONDS = 90 * DAY_SECONDS;

/** `PUT /v1/followup-autopilot/{surveyId}/{platform}`: how often the survey's Autopilot asks on that platform. */
export const autopilotSettingsSchema = z.object({
  active: z.boolean().default(true).describe('While false, runs are skipped (and the next one is scheduled)'),
  frequency: z
    .number()
    .int()
    .min(DAY_SECONDS)
    .max(365 * DAY_SECONDS)
    .default(DEFAULT_AUTOPILOT_FREQUENCY_SECONDS)
    .describe('Seconds between two invitations of an enrolled person'),
});
export type AutopilotSettings = z.output<typeof autopilotSettingsSchema>;

export interface AutopilotConfiguration extends AutopilotSettings {
  surveyId: string;
  platform: AutopilotPlatform;
  /** Unset while the defaults apply (nobody configured this survey's Autopilot on this platform). */
  createdAt?: string;
  updatedAt?: string;
}

export interface AutopilotMembership {
  membershipId: string;
  surveyId: string;
  platform: AutopilotPlatform;
  personKey: string;
  /** The address or phone number the platform reaches the person at. */
  to: string;
  properties: Record<string, string | number | boolean>;
  createdAt: string;
  updatedAt: string;
  /** When the next run decides the next invitation; unset once a permanent suppression ended the recurrence. */
  nextRunAt?: string;
  /** The invitation the latest run decided. */
  lastInvitationId?: string;
}

/**
 * One membership per survey, platform and person: the same id for every enrolment, so enrolling again updates it.
 * A hash, so that the id (and the run schedules named after it) carry no address.
 */
export function autopilotMembershipId(surveyId: string, platform: AutopilotPlatform, personKey: string): string {
  const digest = createHash('sha256').update(`autopilot\u0000${surveyId}\u0000${platform}\u0000${personKey}`);
  return `apm_${digest.digest('hex').slice(0, 32)}`;
}

/**
 * The one-time schedule of a run (names: 1–64 of [0-9A-Za-z-_.]). Named after its time as well: a run schedules the
 * next one while its own schedule still exists (Scheduler deletes it after completion).
 */
export const autopilotRunScheduleName = (membershipId: string, at: string) =>
  `${membershipId}-${Math.floor(Date.parse(at) / 1000)}`;

/** What one run's invitation came to, as far as the recurrence cares. */
export type AutopilotRunOutcome =
  | { status: 'sent' | 'scheduled'; sendAt: string }
  | { status: 'suppressed'; until?: string }
  | { status: 'skipped' };

/**
 * When the run after this one decides: a frequency after the invitation goes out; when the fatigue limits held
 * the person back, as soon as they allow; a frequency later when nothing was sent (Autopilot paused, no address);
 * never again after a suppression without end (unsubscribed, bounced, complained, erased).
 */
export function nextAutopilotRun(outcome: AutopilotRunOutcome, decidedAt: Date, frequencySeconds: number) {
  const frequencyMs = frequencySeconds * 1000;
  switch (outcome.status) {
    case 'sent':
    case 'scheduled':
      return new Date(Date.parse(outcome.sendAt) + frequencyMs);
    case 'suppressed':
      return outcome.until ? new Date(outcome.until) : undefined;
    case 'skipped':
      return new Date(decidedAt.getTime() + frequencyMs);
  }
}
