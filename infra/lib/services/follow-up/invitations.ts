import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';
import type { OutboundDelivery } from './outbound';

export interface SurveyInvitationsProps {
  readonly bus: IEventBus;
  readonly table: ServiceTable;
  readonly unsubscribeKey: ISecret;
  readonly outbound: OutboundDelivery;
}

/** Survey invitations with fatigue limits, unsubscribes, and SES bounces and complaints. */
export class SurveyInvitations extends Construct {
  constructor(scope: Construct, id: string, _props: SurveyInvitationsProps) {
    super(scope, id);
  }

  addRoutes(_api: CxHttpApi): void {}
}
