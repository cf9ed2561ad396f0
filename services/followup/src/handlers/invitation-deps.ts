import { documentClient, secretText } from '@cxloop/lambda-kit';
import type { SurveyInvitation } from '../domain/invitations';
import { shortCodeOfInvitationId, shortSurveyPath } from '../domain/sms';
import { surveyLink } from '../domain/survey-links';
import type { InvitationEnvironment, InvitationSchedulesEnvironment, SurveyLinksEnvironment } from '../environment';
import { outboundQueue } from '../outbound/enqueue';
import { autopilotConfigurationStore, autopilotMembershipStore } from '../store/autopilot';
import { autopilotRunSchedules, invitationSchedules, invitationStore } from '../store/invitations';
import { fatiguePolicyStore, peopleStore } from '../store/people';
import { currentRetention } from '../store/privacy';
import { suppressionStore } from '../store/suppressions';
import { surveyPeopleStore } from '../store/survey-people';
import type { AutopilotDeps } from '../use-cases/autopilot';

/** The stores of the invitations area on the function's table. */
export function invitationStores(tableName: string) {
  const db = documentClient();
  const retention = currentRetention(db, tableName);
  return {
    people: peopleStore(db, tableName, retention),
    invitations: invitationStore(db, tableName, retention),
    suppressions: suppressionStore(db, tableName),
    fatigue: fatiguePolicyStore(db, tableName),
    configurations: autopilotConfigurationStore(db, tableName),
    memberships: autopilotMembershipStore(db, tableName, retention),
    surveyPeople: surveyPeopleStore(db, tableName, retention),
  };
}

/** The invitation schedules of the construct's schedule group, targeting the InvitationDue function. */
export function schedulesFromEnv(env: InvitationSchedulesEnvironment) {
  return invitationSchedules(schedulesConfigOf(env));
}

/** The Autopilot runs' schedules: in the same group, targeting the same function. */
export function autopilotRunsFromEnv(env: InvitationSchedulesEnvironment) {
  return autopilotRunSchedules(schedulesConfigOf(env));
}

const schedulesConfigOf = (env: InvitationSchedulesEnvironment) => ({
  groupName: env.SCHEDULE_GROUP_NAME,
  targetArn: env.INVITATION_DUE_FUNCTION_ARN,
  roleArn: env.SCHEDULER_ROLE_ARN,
  deadLetterArn: env.SCHEDULER_DEAD_LETTER_ARN,
});

/** Signed hosted-page links: the deployment's invitation key and the API's public URL (`/s/{surveyId}`). */
export function signedSurveyLinksFromEnv(
  env: SurveyLinksEnvironment,
): (invitation: SurveyInvitation) => Promise<string> {
  const invitationKey = secretText(env.INVITATION_KEY_SECRET_ID);
  const publicApiUrl = env.PUBLIC_API_URL;
  return async (invitation) => surveyLink({ publicApiUrl, invitationKey: await invitationKey(), invitation });
}

/**
 * The link an invitation carries: the signed one, or in an SMS its short link (`/i/<code>`, which redirects to the
 * signed one), since the signed link alone would take up two segments of a Cyrillic text.
 */
export function surveyLinksFromEnv(env: SurveyLinksEnvironment): (invitation: SurveyInvitation) => Promise<string> {
  const signed = signedSurveyLinksFromEnv(env);
  return async (invitation) => {
    const code = invitation.channel === 'sms' ? shortCodeOfInvitationId(invitation.invitationId) : undefined;
    if (code) return `${env.PUBLIC_API_URL.replace(/\/+$/, '')}${shortSurveyPath(code)}`;
    return signed(invitation);
  };
}

/** Everything an invitation (and an Autopilot run) needs, from the function's environment. */
export function invitationDepsFromEnv(env: InvitationEnvironment): AutopilotDeps {
  return {
    ...invitationStores(env.TABLE_NAME),
    schedules: schedulesFromEnv(env),
    runs: autopilotRunsFromEnv(env),
    enqueue: outboundQueue(env.OUTBOUND_QUEUE_URL),
    surveyUrl: surveyLinksFromEnv(env),
  };
}
