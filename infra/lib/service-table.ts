import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';

/** Key attributes of every service table; the integration tests create their tables from the same description. */
export const serviceTableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const;

/** The CreateTable request for a table with these keys (DynamoDB Local in tests and scripts). */
export function serviceTableCreateInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      serviceTableKeys.partitionKey,
      serviceTableKeys.sortKey,
      ...serviceTableKeys.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: serviceTableKeys.partitionKey, KeyType: 'HASH' },
      { AttributeName: serviceTableKeys.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: serviceTableKeys.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/**
 * A service's single table: generic `pk`/`sk` keys built by the service's own key functions, two generic GSIs for
 * its other access patterns (sparse: only items that set their keys are in them), and `expiresAt` (epoch seconds) as TTL for de-duplication markers and other short-lived
 * items. On-demand, point-in-time recovery, retained on stack deletion (customers own this data).
 */
export class ServiceTable extends Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      partitionKey: { name: serviceTableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: serviceTableKeys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: serviceTableKeys.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of serviceTableKeys.indexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
  }

  /**
   * Grants exactly `actions` on this table and its indexes. CDK scopes index access to `<table arn>/index/*`, which
   * cdk-nag flags as a wildcard: it covers only this service's own indexes, so it is acknowledged here, once.
   */
  grantTo(grantee: IGrantable, ...actions: string[]): void {
    this.grant(grantee, ...actions);
    const logicalId = Stack.of(this).getLogicalId(this.node.defaultChild as never);
    Validations.of(grantee.grantPrincipal as unknown as IConstruct).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
      reason: "Access to the service's own table indexes only (CDK grants them as <table arn>/index/*)",
    });
  }
}
