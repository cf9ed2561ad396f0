import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';
import { CaseManagement } from './follow-up/cases';
import { SurveyInvitations } from './follow-up/invitations';
import { OutboundDelivery } from './follow-up/outbound';

export interface FollowUpServiceProps {
  readonly bus: IEventBus;
}

/** Rules, cases with SLAs, messages and invitations: turns categorised feedback into action. */
export class FollowUpService extends Construct {
  readonly table: ServiceTable;
  readonly outbound: OutboundDelivery;
  readonly cases: CaseManagement;
  readonly invitations: SurveyInvitations;

  constructor(scope: Construct, id: string, props: FollowUpServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    this.outbound = new OutboundDelivery(this, 'Outbound', { table: this.table });
    this.cases = new CaseManagement(this, 'Cases', { bus: props.bus, table: this.table, outbound: this.outbound });
    this.invitations = new SurveyInvitations(this, 'Invitations', {
      bus: props.bus,
      table: this.table,
      outbound: this.outbound,
    });
  }

  addRoutes(api: CxHttpApi): void {
    this.outbound.addRoutes(api);
    this.cases.addRoutes(api);
    this.invitations.addRoutes(api);
  }
}
