import {
  adminApiEnvironment,
  authorizerEnvironment,
  delightedApiEnvironment,
  erasureConsumerEnvironment,
  importApiEnvironment,
  pagesEnvironment,
  pollerEnvironment,
  publicApiEnvironment,
  webhookApiEnvironment,
} from '@cxloop/collection/environment';
import {
  collectionAdminRoutes,
  collectionDelightedRoutes,
  collectionImportRoutes,
  collectionPageRoutes,
  collectionPublicRoutes,
  collectionWebhookRoutes,
} from '@cxloop/collection/routes';
import { Duration, Validations } from 'aws-cdk-lib';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { addErasureConsumer } from '../erasure-consumer';
import type { EventConsumer } from '../event-consumer';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';

/** Where the pollers and the Business Profile fetcher reach the providers; tests point these at local servers. */
export interface ProviderEndpoints {
  readonly googleOAuthTokenUrl: string;
  readonly googlePlayApiUrl: string;
  readonly googleBusinessProfileApiUrl: string;
  readonly appStoreConnectApiUrl: string;
  /** Google's OIDC signing keys, which sign Pub/Sub push tokens. */
  readonly googleOidcCertsUrl: string;
}

export const defaultProviderEndpoints: ProviderEndpoints = {
  googleOAuthTokenUrl: 'https://oauth2.googleapis.com/token',
  googlePlayApiUrl: 'https://androidpublisher.googleapis.com',
  googleBusinessProfileApiUrl: 'https://mybusiness.googleapis.com',
  appStoreConnectApiUrl: 'https://api.appstoreconnect.apple.com',
  googleOidcCertsUrl: 'https://www.googleapis.com/oauth2/v3/certs',
};

/**
 * Reserved concurrency of the functions the internet can call, so that a flood on them cannot take the concurrency
 * the pipeline's consumers need (and a flood on one cannot starve the others); for imports it is also a cap, so that
 * a large import cannot flood the pipeline ahead of live answers. An account has 1,000 concurrent
 * executions by default, a new one may have far less, and Lambda keeps 100 unreserved: raise the quota before raising
 * these. Override with CDK context (`cdk.json` or `-c`); `false` reserves nothing (an account whose quota is too small).
 */
export const defaultReservedConcurrency = { publicApi: 50, pages: 20, webhookApi: 20, importApi: 2 } as const;
export type PublicFunction = keyof typeof defaultReservedConcurrency;
export const reservedConcurrencyContextKeys: Record<PublicFunction, string> = {
  publicApi: 'cxloop:collection:publicApiConcurrency',
  pages: 'cxloop:collection:pagesConcurrency',
  webhookApi: 'cxloop:collection:webhookConcurrency',
  importApi: 'cxloop:collection:importConcurrency',
};

function reservedConcurrency(scope: Construct, name: PublicFunction): number | undefined {
  const key = reservedConcurrencyContextKeys[name];
  const value: unknown = scope.node.tryGetContext(key) ?? defaultReservedConcurrency[name];
  if (value === false || value === 'false') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`Context ${key} must be a whole number of executions (at least 1), or false; got ${String(value)}`);
  }
  return count;
}

export interface CollectionServiceProps {
  readonly bus: IEventBus;
  /** Default: the providers' public APIs. */
  readonly providerEndpoints?: ProviderEndpoints;
  /** How often pull sources (Google Play, App Store) are polled; default 15 minutes. */
  readonly pollInterval?: Duration;
  /** The deployment's invitation key: hosted pages also accept invitation links signed with it (by follow-up). */
  readonly invitationKey: ISecret;
  /** The HTTP API's endpoint (made after the services, so a lazy value): webhook URLs shown to admins start with it. */
  readonly publicApiUrl: string;
}

/** Surveys, responses, integrations and API keys; the only publisher of FeedbackReceived; owns the API-key authorizer. */
export class CollectionService extends Construct {
  readonly table: ServiceTable;
  readonly adminKeySecret: Secret;
  /** Key material of the secret box that seals integration secrets and survey identity secrets in the table. */
  readonly secretsKey: Secret;
  readonly authorizer: CxFunction;
  readonly adminApi: CxFunction;
  readonly publicApi: CxFunction;
  readonly webhookApi: CxFunction;
  /** Admin imports of past answers, apart from the admin API so that an import's concurrency is bounded. */
  readonly importApi: CxFunction;
  /** Delighted's survey responses routes (`/delighted/v1/survey_responses`). */
  readonly delightedApi: CxFunction;
  /** The widget script, hosted survey pages (and their form posts), the demo page and public survey definitions. */
  readonly pages: CxFunction;
  readonly poller: CxFunction;
  readonly pollSchedule: Rule;
  readonly erasureConsumer: CxFunction;
  readonly erasureRequests: EventConsumer;

  constructor(scope: Construct, id: string, props: CollectionServiceProps) {
    super(scope, id);
    const endpoints = props.providerEndpoints ?? defaultProviderEndpoints;
    this.table = new ServiceTable(this, 'Table');
    this.adminKeySecret = new Secret(this, 'AdminKey', {
      description: 'cxloop bootstrap admin API key: use it to create scoped API keys, then keep it for emergencies',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.adminKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A bearer API key held by people, not a credential a service can rotate; revoke by rotating by hand',
    });
    this.secretsKey = new Secret(this, 'SecretsKey', {
      description: 'cxloop collection: key of the secret box that seals integration and survey secrets in the table',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secretsKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Key material of values sealed in the table: rotating it without re-sealing them would make them unreadable',
    });

    const environment = { TABLE_NAME: this.table.tableName };
    const bus = { EVENT_BUS_NAME: props.bus.eventBusName };
    // Functions that store responses, feedback or respondents first write their person-index pointers in a batch.
    const personIndexWrite = 'dynamodb:BatchWriteItem';
    const withSecretsKey = { ...environment, SECRETS_KEY_SECRET_ID: this.secretsKey.secretArn };
    const googleTokenUrl = { GOOGLE_OAUTH_TOKEN_URL: endpoints.googleOAuthTokenUrl };

    this.authorizer = new CxFunction(this, 'Authorizer', {
      entry: 'services/collection/src/handlers/authorizer.ts',
      service: 'collection',
      description: 'Checks admin API keys (Authorization: Bearer) for every admin route',
      reads: authorizerEnvironment,
      environment: { ...environment, ADMIN_KEY_SECRET_ID: this.adminKeySecret.secretArn },
    });
    this.table.grantTo(this.authorizer, 'dynamodb:GetItem');
    this.adminKeySecret.grantRead(this.authorizer);

    this.adminApi = new CxFunction(this, 'AdminApi', {
      entry: 'services/collection/src/handlers/admin-api.ts',
      service: 'collection',
      description: 'Admin API of surveys, API keys, integrations and the retention policy',
      reads: adminApiEnvironment,
      environment: { ...withSecretsKey, ...bus, PUBLIC_API_URL: props.publicApiUrl },
    });
    this.table.grantTo(
      this.adminApi,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    );
    this.secretsKey.grantRead(this.adminApi);
    // RetentionPolicyChanged.
    props.bus.grantPutEventsTo(this.adminApi);

    this.publicApi = new CxFunction(this, 'PublicApi', {
      entry: 'services/collection/src/handlers/public-api.ts',
      service: 'collection',
      description: 'Public survey responses and ask decisions from widgets and hosted pages',
      reads: publicApiEnvironment,
      environment: { ...withSecretsKey, ...bus },
      reservedConcurrentExecutions: reservedConcurrency(this, 'publicApi'),
    });
    this.table.grantTo(this.publicApi, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', personIndexWrite);
    this.secretsKey.grantRead(this.publicApi);
    props.bus.grantPutEventsTo(this.publicApi);

    this.importApi = new CxFunction(this, 'ImportApi', {
      entry: 'services/collection/src/handlers/import-api.ts',
      service: 'collection',
      description: 'Imports past answers from another system (admin), marked historical',
      reads: importApiEnvironment,
      environment: { ...environment, ...bus },
      timeout: Duration.seconds(30),
      // Two batches at once are a few hundred answers a second: the pipeline keeps up, and live answers with it.
      reservedConcurrentExecutions: reservedConcurrency(this, 'importApi'),
    });
    this.table.grantTo(this.importApi, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', personIndexWrite);
    props.bus.grantPutEventsTo(this.importApi);

    this.delightedApi = new CxFunction(this, 'DelightedApi', {
      entry: 'services/collection/src/handlers/delighted-api.ts',
      service: 'collection',
      description: "Delighted's survey responses API for delighted keys: adds and lists the key's survey's responses",
      reads: delightedApiEnvironment,
      environment: { ...environment, ...bus },
    });
    this.table.grantTo(
      this.delightedApi,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      personIndexWrite,
    );
    props.bus.grantPutEventsTo(this.delightedApi);

    this.pages = new CxFunction(this, 'Pages', {
      entry: 'services/collection/src/handlers/pages.ts',
      service: 'collection',
      description: 'Widget script, hosted survey pages and their answers, demo page, public survey definitions',
      reads: pagesEnvironment,
      environment: {
        ...withSecretsKey,
        ...bus,
        INVITATION_KEY_SECRET_ID: props.invitationKey.secretArn,
      },
      reservedConcurrentExecutions: reservedConcurrency(this, 'pages'),
    });
    this.table.grantTo(this.pages, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', personIndexWrite);
    // Invitation tokens are signed with the survey's identity secret, which is sealed under the secrets key, or with
    // the deployment's invitation key (follow-up's survey invitations).
    this.secretsKey.grantRead(this.pages);
    props.invitationKey.grantRead(this.pages);
    props.bus.grantPutEventsTo(this.pages);

    this.webhookApi = new CxFunction(this, 'WebhookApi', {
      entry: 'services/collection/src/handlers/webhook-api.ts',
      service: 'collection',
      description: 'Signed webhooks of helpdesks, review sites and survey tools',
      reads: webhookApiEnvironment,
      environment: {
        ...withSecretsKey,
        ...googleTokenUrl,
        GOOGLE_BUSINESS_PROFILE_API_URL: endpoints.googleBusinessProfileApiUrl,
        GOOGLE_OIDC_CERTS_URL: endpoints.googleOidcCertsUrl,
        ...bus,
      },
      timeout: Duration.seconds(20),
      reservedConcurrentExecutions: reservedConcurrency(this, 'webhookApi'),
    });
    this.table.grantTo(
      this.webhookApi,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      personIndexWrite,
    );
    this.secretsKey.grantRead(this.webhookApi);
    props.bus.grantPutEventsTo(this.webhookApi);

    this.poller = new CxFunction(this, 'Poller', {
      entry: 'services/collection/src/handlers/poller.ts',
      service: 'collection',
      description: 'Polls Google Play and App Store reviews of every pull integration from its cursor',
      reads: pollerEnvironment,
      environment: {
        ...withSecretsKey,
        ...googleTokenUrl,
        GOOGLE_PLAY_API_URL: endpoints.googlePlayApiUrl,
        APP_STORE_CONNECT_API_URL: endpoints.appStoreConnectApiUrl,
        ...bus,
      },
      timeout: Duration.minutes(5),
    });
    // The next scheduled run is the retry: Lambda's own async retries would only poll twice more at once.
    this.poller.configureAsyncInvoke({ retryAttempts: 0 });
    this.table.grantTo(
      this.poller,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      personIndexWrite,
    );
    this.secretsKey.grantRead(this.poller);
    props.bus.grantPutEventsTo(this.poller);
    this.pollSchedule = new Rule(this, 'PollSchedule', {
      description: 'Polls pull review sources (Google Play, App Store)',
      schedule: Schedule.rate(props.pollInterval ?? Duration.minutes(15)),
      targets: [new LambdaFunction(this.poller, { retryAttempts: 0 })],
    });
    ({ handler: this.erasureConsumer, requests: this.erasureRequests } = addErasureConsumer(this, {
      bus: props.bus,
      table: this.table,
      entry: 'services/collection/src/handlers/erasure-consumer.ts',
      service: 'collection',
      description: "Anonymises a person's responses and feedback, deletes their throttle state; reports PersonErased",
      reads: erasureConsumerEnvironment,
      environment: { ...environment, ...bus },
      // A few writes per item of the person: ample for thousands of them; a redelivery goes on where it stopped.
      timeout: Duration.minutes(1),
    }));
  }

  addRoutes(api: CxHttpApi): void {
    api.addRoutes(collectionAdminRoutes, this.adminApi);
    api.addRoutes(collectionPublicRoutes, this.publicApi);
    api.addRoutes(collectionImportRoutes, this.importApi);
    api.addRoutes(collectionDelightedRoutes, this.delightedApi);
    api.addRoutes(collectionWebhookRoutes, this.webhookApi);
    api.addRoutes(collectionPageRoutes, this.pages);
  }
}
