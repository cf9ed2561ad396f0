import { Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';

import { CaseManagement } from './follow-up/cases';
import { SurveyInvitations } from './follow-up/invitations';
import { OutboundDelivery } from './follow-up/outbound';
import { SmsChannel, smsOriginationIdentityOf } from './follow-up/sms';

export interface FollowUpServiceProps {
  readonly bus: IEventBus;
  /** Signs the survey links of invitations (hosted survey pages accept them). */
  readonly invitationKey: ISecret;
  /** The HTTP API's endpoint (a lazy value): dashboard, survey and unsubscribe links start with it. */
  readonly publicApiUrl: string;
}

/** Rules, cases with SLAs, messages and invitations: turns categorised feedback into action. */
export class FollowUpService extends Construct {
  readonly table: ServiceTable;
  readonly outbound: OutboundDelivery;
  readonly cases: CaseManagement;
  readonly invitations: SurveyInvitations;
  readonly sms: SmsChannel;
  /** Signs the one-click unsubscribe links: the sender makes them, the unsubscribe endpoint checks them. */
  readonly unsubscribeKey: Secret;

  constructor(scope: Construct, id: string, props: FollowUpServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    this.unsubscribeKey = new Secret(this, 'UnsubscribeKey', {
      description: 'cxloop follow-up: HMAC key of one-click unsubscribe links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.unsubscribeKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating it would break the unsubscribe links in every message already sent',
    });
    const shared = {
      bus: props.bus,
      table: this.table,
      unsubscribeKey: this.unsubscribeKey,
      publicApiUrl: props.publicApiUrl,
    };
    const smsOriginationIdentity = smsOriginationIdentityOf(this);
    this.outbound = new OutboundDelivery(this, 'Outbound', {
      ...shared,
      ...(smsOriginationIdentity ? { smsOriginationIdentity } : {}),
    });
    this.cases = new CaseManagement(this, 'Cases', { ...shared, outbound: this.outbound });
    this.invitations = new SurveyInvitations(this, 'Invitations', {
      ...shared,
      outbound: this.outbound,
      invitationKey: props.invitationKey,
    });
    this.sms = new SmsChannel(this, 'Sms', {
      table: this.table,
      invitations: this.invitations,
      invitationKey: props.invitationKey,
      publicApiUrl: props.publicApiUrl,
    });
  }

  addRoutes(api: CxHttpApi): void {
    this.outbound.addRoutes(api);
    this.cases.addRoutes(api);
    this.invitations.addRoutes(api);
    this.sms.addRoutes(api);
  }
}
