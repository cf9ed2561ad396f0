import { documentClient, requiredEnv, secretText } from '@cxloop/lambda-kit';
import type { SurveyInvitation } from '../domain/invitations';
import { surveyLink } from '../domain/survey-links';
import { outboundQueue } from '../outbound/enqueue';
import { invitationSchedules, invitationStore } from '../store/invitations';
import { fatiguePolicyStore, peopleStore } from '../store/people';
import { currentRetention } from '../store/privacy';
import { suppressionStore } from '../store/suppressions';
import type { InvitationDeps } from '../use-cases/invite-person';

/** The stores of the invitations area on the function's table (`TABLE_NAME`). */
export function invitationStores() {
  const db = documentClient();
  const tableName = requiredEnv('TABLE_NAME');
  const retention = currentRetention(db, tableName);
  return {
    people: peopleStore(db, tableName, retention),
    invitations: invitationStore(db, tableName, retention),
    suppressions: suppressionStore(db, tableName),
    fatigue: fatiguePolicyStore(db, tableName),
  };
}

/** The invitation schedules of the construct's schedule group, targeting the InvitationDue function. */
export function schedulesFromEnv() {
  return invitationSchedules({
    groupName: requiredEnv('SCHEDULE_GROUP_NAME'),
    targetArn: requiredEnv('INVITATION_DUE_FUNCTION_ARN'),
    roleArn: requiredEnv('SCHEDULER_ROLE_ARN'),
    deadLetterArn: requiredEnv('SCHEDULER_DEAD_LETTER_ARN'),
  });
}

/** Signed hosted-page links: the deployment's invitation key and the API's public URL (`/s/{surveyId}`). */
export function surveyLinksFromEnv(): (invitation: SurveyInvitation) => Promise<string> {
  const invitationKey = secretText(requiredEnv('INVITATION_KEY_SECRET_ID'));
  const publicApiUrl = requiredEnv('PUBLIC_API_URL');
  return async (invitation) => surveyLink({ publicApiUrl, invitationKey: await invitationKey(), invitation });
}

/** Everything an invitation needs, from the function's environment. */
export function invitationDepsFromEnv(): InvitationDeps {
  return {
    ...invitationStores(),
    schedules: schedulesFromEnv(),
    enqueue: outboundQueue(requiredEnv('OUTBOUND_QUEUE_URL')),
    surveyUrl: surveyLinksFromEnv(),
  };
}
