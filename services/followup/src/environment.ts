import { defineEnvironment, type EnvironmentValues, optional } from '@cxloop/lambda-kit/config';

/**
 * The environment of each follow-up function, read by its handler and supplied by `infra/lib/services/follow-up/*.ts`.
 */

const table = { TABLE_NAME: 'the follow-up table' };
const bus = { EVENT_BUS_NAME: 'the cxloop event bus' };
const outbound = { OUTBOUND_QUEUE_URL: 'the outbound queue every message goes through' };
const publicApi = { PUBLIC_API_URL: "the API's endpoint: dashboard, survey and unsubscribe links start with it" };
const slaTimers = {
  SLA_SCHEDULE_GROUP: 'the schedule group of SLA timers',
  SLA_SCHEDULER_ROLE_ARN: 'the role SLA schedules invoke the SlaTimer as',
  SLA_DEAD_LETTER_ARN: 'where SLA timer invocations that failed are parked',
};
const invitationSchedules = {
  SCHEDULE_GROUP_NAME: 'the schedule group of delayed invitations',
  INVITATION_DUE_FUNCTION_ARN: 'the InvitationDue function the schedules invoke',
  SCHEDULER_ROLE_ARN: 'the role the invitation schedules invoke it as',
  SCHEDULER_DEAD_LETTER_ARN: 'where invitations that could not be delivered when due are parked',
};
const surveyLinks = {
  ...publicApi,
  INVITATION_KEY_SECRET_ID: "the deployment's invitation key, which signs survey links",
};
const unsubscribeKey = { UNSUBSCRIBE_KEY_SECRET_ID: 'the HMAC key of one-click unsubscribe links' };
const channelSettings = { CHANNEL_SETTINGS_SECRET_ID: 'the channel settings (Slack, webhooks, Zendesk, SES sender)' };

export type InvitationSchedulesEnvironment = EnvironmentValues<typeof invitationSchedules>;
export type SurveyLinksEnvironment = EnvironmentValues<typeof surveyLinks>;
const invitations = { ...table, ...invitationSchedules, ...outbound, ...surveyLinks };
/** What `invitationDepsFromEnv` needs. */
export type InvitationEnvironment = EnvironmentValues<typeof invitations>;

export const slaTimerEnvironment = defineEnvironment({ ...table, ...bus, ...outbound, ...publicApi, ...slaTimers });
/** What a function that opens cases needs: their SLA timers, CaseOpened and the notifications. */
const caseOpening = {
  ...table,
  ...bus,
  ...outbound,
  ...publicApi,
  ...slaTimers,
  SLA_TIMER_ARN: 'the SlaTimer function the SLA schedules invoke',
};
export const feedbackConsumerEnvironment = defineEnvironment(caseOpening);
export const caseAdminApiEnvironment = defineEnvironment({
  ...table,
  ...bus,
  SLA_SCHEDULE_GROUP: slaTimers.SLA_SCHEDULE_GROUP,
});
export const alertConsumerEnvironment = defineEnvironment(caseOpening);

export const senderEnvironment = defineEnvironment({
  ...table,
  ...bus,
  ...outbound,
  ...unsubscribeKey,
  ...channelSettings,
  DEAD_LETTER_QUEUE_URL: 'the outbound dead-letter queue (a job deferred past its last attempt goes there)',
  MAX_ATTEMPTS: "deliveries of one job before it is parked (the queue's maxReceiveCount)",
  PUBLIC_API_URL: optional('without it, e-mails carry no one-click unsubscribe link'),
  SES_CONFIGURATION_SET: optional('without it, SES bounces and complaints are not published'),
  SMS_ORIGINATION_IDENTITY: optional('the phone number, sender id or pool ARN SMS go from; without it SMS fail'),
});
export const messagesApiEnvironment = defineEnvironment({ ...table, ...channelSettings });

// InvitationDue schedules too (an Autopilot run schedules the next one, with InvitationDue as the target): it takes
// its own ARN from its invocation, since a function's environment cannot name the function itself.
const { INVITATION_DUE_FUNCTION_ARN: _itself, ...schedulingAsTarget } = invitationSchedules;
export const invitationDueEnvironment = defineEnvironment({
  ...table,
  ...outbound,
  ...surveyLinks,
  ...schedulingAsTarget,
});
export const peopleApiEnvironment = defineEnvironment({ ...invitations, ...bus });
export const privacyConsumerEnvironment = defineEnvironment({ ...table, ...invitationSchedules, ...bus });
export const unsubscribePageEnvironment = defineEnvironment({ ...table, ...invitationSchedules, ...unsubscribeKey });
export const resurveyConsumerEnvironment = defineEnvironment(invitations);
export const sesEventsEnvironment = defineEnvironment(table);
export const smsRepliesEnvironment = defineEnvironment({ ...table, ...invitationSchedules });
export const smsLinksEnvironment = defineEnvironment({ ...table, ...surveyLinks });
