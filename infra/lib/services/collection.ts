import { collectionAdminRoutes, collectionPublicRoutes } from '@cxloop/collection/routes';
import { Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CxFunction } from '../function';
import type { CxHttpApi } from '../http-api';
import { ServiceTable } from '../service-table';

export interface CollectionServiceProps {
  readonly bus: IEventBus;
}

/** Surveys, responses, integrations and API keys; the only publisher of FeedbackReceived; owns the API-key authorizer. */
export class CollectionService extends Construct {
  readonly table: ServiceTable;
  readonly adminKeySecret: Secret;
  readonly authorizer: CxFunction;
  readonly adminApi: CxFunction;
  readonly publicApi: CxFunction;

  constructor(scope: Construct, id: string, props: CollectionServiceProps) {
    super(scope, id);
    this.table = new ServiceTable(this, 'Table');
    this.adminKeySecret = new Secret(this, 'AdminKey', {
      description: 'cxloop bootstrap admin API key: use it to create scoped API keys, then keep it for emergencies',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.adminKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A bearer API key held by people, not a credential a service can rotate; revoke by rotating by hand',
    });

    const environment = { TABLE_NAME: this.table.tableName };
    this.authorizer = new CxFunction(this, 'Authorizer', {
      entry: 'services/collection/src/handlers/authorizer.ts',
      service: 'collection',
      description: 'Checks admin API keys (Authorization: Bearer) for every admin route',
      environment: { ...environment, ADMIN_KEY_SECRET_ID: this.adminKeySecret.secretArn },
    });
    this.table.grantTo(this.authorizer, 'dynamodb:GetItem');
    this.adminKeySecret.grantRead(this.authorizer);

    this.adminApi = new CxFunction(this, 'AdminApi', {
      entry: 'services/collection/src/handlers/admin-api.ts',
      service: 'collection',
      description: 'Admin API of surveys, API keys and integrations',
      environment,
    });
    this.table.grantTo(
      this.adminApi,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    );

    this.publicApi = new CxFunction(this, 'PublicApi', {
      entry: 'services/collection/src/handlers/public-api.ts',
      service: 'collection',
      description: 'Public survey responses from widgets and hosted pages',
      environment: { ...environment, EVENT_BUS_NAME: props.bus.eventBusName },
    });
    this.table.grantTo(this.publicApi, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    props.bus.grantPutEventsTo(this.publicApi);
  }

  addRoutes(api: CxHttpApi): void {
    api.addAdminRoutes(collectionAdminRoutes, this.adminApi);
    api.addPublicRoutes(collectionPublicRoutes, this.publicApi);
  }
}
