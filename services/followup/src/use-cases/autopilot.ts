import {
  type AutopilotMembership,
  type AutopilotPlatform,
  type AutopilotRunOutcome,
  autopilotMembershipId,
  nextAutopilotRun,
} from '../domain/autopilot';
import type { SurveyInvitation } from '../domain/invitations';
import { personKeyOfContact } from '../domain/person';
import { type AutopilotConfigurationStore, type AutopilotMembershipStore, autopilotKeys } from '../store/autopilot';
import type { AutopilotRunSchedules } from '../store/invitations';
import type { SurveyPeopleStore } from '../store/survey-people';
import { cancelInvitation } from './cancel-invitations';
import { type InvitationDeps, type InvitePersonResult, invitePerson } from './invite-person';

export interface AutopilotDeps extends InvitationDeps {
  configurations: AutopilotConfigurationStore;
  memberships: AutopilotMembershipStore;
  runs: AutopilotRunSchedules;
  surveyPeople: SurveyPeopleStore;
}

export interface Enrolment {
  surveyId: string;
  platform: AutopilotPlatform;
  /** The e-mail address (`email`) or E.164 phone number (`sms`) to reach the person at. */
  to: string;
  name?: string;
  properties?: Record<string, string | number | boolean>;
}

export interface EnrolmentResult {
  membership: AutopilotMembership;
  /** The invitation the enrolment's first run decided; none for a person enrolled already. */
  invitation?: SurveyInvitation;
}

/**
 * Enrols a person in a survey's Autopilot: a new member is invited at once (within the fatigue limits and quiet
 * hours) and then every `frequency`; enrolling a member again only replaces their properties.
 */
export async function enrol(deps: AutopilotDeps, enrolment: Enrolment, now: Date): Promise<EnrolmentResult> {
  const { surveyId, platform, to } = enrolment;
  const personKey = personKeyOfContact(platform === 'email' ? { email: to } : { phone: to }) as string;
  const membershipId = autopilotMembershipId(surveyId, platform, personKey);
  const existing = await deps.memberships.get(membershipId);
  const membership: AutopilotMembership = existing
    ? { ...existing, properties: enrolment.properties ?? existing.properties, updatedAt: now.toISOString() }
    : {
        membershipId,
        surveyId,
        platform,
        personKey,
        to: platform === 'email' ? personKey.slice('email:'.length) : to,
        properties: enrolment.properties ?? {},
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
  await deps.people.upsert(
    personKey,
    { ...contactOf(membership), ...(enrolment.name ? { name: enrolment.name } : {}) },
    now,
  );
  await deps.surveyPeople.add(surveyId, personKey, now);
  await deps.memberships.put(membership, now);
  if (existing) return { membership };
  return runMembership(deps, membership, now);
}

/**
 * One run of a membership: decides one invitation through `invitePerson` (unless the survey's Autopilot is paused
 * on the platform), then schedules the next run (`nextAutopilotRun`). The next schedule is created before the
 * membership records it, and deleted again when the membership was removed meanwhile.
 */
export async function runMembership(
  deps: AutopilotDeps,
  membership: AutopilotMembership,
  now: Date,
): Promise<EnrolmentResult> {
  const configuration = await deps.configurations.get(membership.surveyId, membership.platform);
  const result = configuration.active
    ? await invitePerson(
        deps,
        {
          ...contactOf(membership),
          ...(Object.keys(membership.properties).length > 0 ? { properties: membership.properties } : {}),
          surveyId: membership.surveyId,
          delay: 0,
          send: true,
          channel: membership.platform,
        },
        now,
      )
    : undefined;
  const next = nextAutopilotRun(runOutcomeOf(result), now, configuration.frequency)?.toISOString();
  if (next) await deps.runs.create(membership.membershipId, next);
  const invitation = result && 'invitation' in result ? result.invitation : undefined;
  const changes = {
    ...(next ? { nextRunAt: next } : {}),
    ...(invitation ? { lastInvitationId: invitation.invitationId } : {}),
  };
  const recorded = await deps.memberships.recordRun(membership, changes, now);
  if (!recorded && next) await deps.runs.delete(membership.membershipId, next);
  const { nextRunAt: _previous, ...rest } = membership;
  return { membership: { ...rest, ...changes, updatedAt: now.toISOString() }, ...(invitation ? { invitation } : {}) };
}

const contactOf = (membership: Pick<AutopilotMembership, 'platform' | 'to'>) =>
  membership.platform === 'email' ? { email: membership.to } : { phone: membership.to };

function runOutcomeOf(result: InvitePersonResult | undefined): AutopilotRunOutcome {
  if (!result || result.status === 'saved') return { status: 'skipped' };
  if (result.status === 'suppressed') return { status: 'suppressed', ...(result.until ? { until: result.until } : {}) };
  return { status: result.status, sendAt: result.invitation.sendAt };
}

export type RunOutcome = 'ran' | 'stale' | 'unknown';

/**
 * A run's one-time schedule fired: runs the membership if this is still its next run. A redelivered or superseded
 * schedule finds `nextRunAt` moved on (or the membership gone) and does nothing.
 */
export async function deliverAutopilotRun(
  deps: AutopilotDeps,
  membershipId: string,
  runAt: string,
  now: Date,
): Promise<RunOutcome> {
  const membership = await deps.memberships.get(membershipId);
  if (!membership) return 'unknown';
  if (membership.nextRunAt !== runAt) return 'stale';
  await runMembership(deps, membership, now);
  return 'ran';
}

/**
 * Removes a person from a survey's Autopilot: no further runs, and the invitation it has pending is cancelled.
 * Undefined when they were not a member.
 */
export async function leave(
  deps: AutopilotDeps,
  surveyId: string,
  platform: AutopilotPlatform,
  personKey: string,
  now: Date,
): Promise<AutopilotMembership | undefined> {
  const membershipId = autopilotMembershipId(surveyId, platform, personKey);
  const membership = await deps.memberships.remove(autopilotKeys.membership(membershipId));
  if (!membership) return undefined;
  if (membership.nextRunAt) await deps.runs.delete(membershipId, membership.nextRunAt);
  if (membership.lastInvitationId) await cancelInvitation(deps, membership.lastInvitationId, now, 'autopilot_left');
  return membership;
}
