import { ArnFormat, CfnOutput, Duration, Lazy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { Dashboard } from './dashboard';
import { CxHttpApi } from './http-api';
import { alarmEmail, Operations } from './operations';
import { AggregationService } from './services/aggregation';
import { CategorisationService } from './services/categorisation';
import { CollectionService } from './services/collection';
import { FollowUpService } from './services/follow-up';

/** CDK context key of the event archive's retention in days (default {@link DEFAULT_ARCHIVE_RETENTION_DAYS}). */
export const archiveRetentionContextKey = 'cxloop:archiveRetentionDays';
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 30;

function archiveRetentionDays(scope: Construct): number {
  const value: unknown = scope.node.tryGetContext(archiveRetentionContextKey) ?? DEFAULT_ARCHIVE_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(
      `Context ${archiveRetentionContextKey} must be a whole number of days from 1 to 3650; got ${String(value)}`,
    );
  }
  return days;
}

/** The whole cxloop deployment: one event bus, one HTTP API, and the four services around them. */
export class CxloopStack extends Stack {
  readonly bus: EventBus;
  readonly api: CxHttpApi;
  readonly collection: CollectionService;
  readonly categorisation: CategorisationService;
  readonly aggregation: AggregationService;
  readonly followUp: FollowUpService;
  readonly dashboard: Dashboard;
  /** The CloudWatch dashboard and alarms, in a nested stack: made last, since it watches everything above. */
  readonly operations: Operations;
  /** Signs survey invitation links: follow-up makes them, collection's hosted pages accept them. */
  readonly invitationKey: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.bus = new EventBus(this, 'Bus', { description: 'cxloop: every event between the services' });
    this.bus.archive('Archive', {
      description: 'Replayable history of every cxloop event, kept as long as the retention context says',
      eventPattern: { source: [{ prefix: 'cxloop.' }] as never },
      // Events carry comments and contact details: an erased person is gone from the archive after this many days.
      retention: Duration.days(archiveRetentionDays(this)),
    });

    this.invitationKey = new Secret(this, 'InvitationKey', {
      description: 'cxloop: HMAC key of survey invitation links (signed by follow-up, checked by hosted survey pages)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.invitationKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating it would break the survey links in every invitation already sent',
    });

    // The API comes after the services (its authorizer is collection's): functions that link to it get a lazy value.
    const publicApiUrl = Lazy.string({ produce: () => this.api.api.apiEndpoint });
    const shared = { bus: this.bus, invitationKey: this.invitationKey, publicApiUrl };
    this.collection = new CollectionService(this, 'Collection', shared);
    this.categorisation = new CategorisationService(this, 'Categorisation', { bus: this.bus });
    this.aggregation = new AggregationService(this, 'Aggregation', { bus: this.bus });
    this.followUp = new FollowUpService(this, 'FollowUp', shared);

    this.api = new CxHttpApi(this, 'Http', { authorizerHandler: this.collection.authorizer });
    for (const service of [this.collection, this.categorisation, this.aggregation, this.followUp]) {
      service.addRoutes(this.api);
    }
    this.dashboard = new Dashboard(this, 'Dashboard', { apiEndpoint: this.api.api.apiEndpoint });
    const operationsDashboardName = `${this.stackName}-operations`;
    const alarmTopicName = `${this.stackName}-alarms`;
    this.operations = new Operations(this, 'Operations', {
      watched: this,
      api: this.api.api,
      dashboardName: operationsDashboardName,
      topicName: alarmTopicName,
      alarmEmail: alarmEmail(this),
    });

    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.url, description: 'The CX dashboard' });
    // Built from names, not read from the nested stack's outputs: the local runtime does not run nested stacks.
    new CfnOutput(this, 'OperationsDashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${operationsDashboardName}`,
      description: 'The CloudWatch dashboard of the deployment (ingest, lag, dead letters, errors, business metrics)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.formatArn({ service: 'sns', resource: alarmTopicName, arnFormat: ArnFormat.NO_RESOURCE_NAME }),
      description: 'Every alarm notifies it on ALARM and OK: subscribe the on-call (or -c cxloop:alarmEmail=…)',
    });
    new CfnOutput(this, 'AdminApiKeySecretArn', {
      value: this.collection.adminKeySecret.secretArn,
      description: 'aws secretsmanager get-secret-value --secret-id <this> gives the bootstrap admin API key',
    });
    new CfnOutput(this, 'AdminApiKeySecretLogicalId', {
      value: this.getLogicalId(this.collection.adminKeySecret.node.defaultChild as never),
      description: 'Used by the local runtime to set the admin key',
    });
  }
}
