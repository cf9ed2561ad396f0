import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, queryPage } from '@cxloop/lambda-kit';
import { ConcurrentChangeError } from '../domain/errors';
import { type Integration, isPullProvider } from '../domain/integrations';
import { collectionKeys, listingQuery } from './keys';

/** Secrets as stored: each sealed with the integration's secret context (see `integrationSecretContext`). */
export interface SealedIntegrationSecrets {
  secret?: string;
  credentials?: string;
}

export function integrationSecretContext(integrationId: string, field: keyof SealedIntegrationSecrets): string {
  return `integration:${integrationId}:${field}`;
}

export interface PollState {
  integrationId: string;
  provider: Integration['provider'];
  /** ISO time of the newest review already recorded; the next poll records only reviews from then on. */
  cursor?: string;
  lastPolledAt?: string;
  lastError?: string;
}

function integrationItem(integration: Integration) {
  return {
    ...collectionKeys.integration(integration.id),
    ...collectionKeys.integrationListing,
    gsi1sk: integration.id,
    integration,
  };
}

export function integrationStore(db: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The integration, its sealed secrets and (for pull providers) its poll state, together. */
    async create(integration: Integration, secrets: SealedIntegrationSecrets): Promise<void> {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: integrationItem(integration),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: { TableName: tableName, Item: { ...collectionKeys.integrationSecrets(integration.id), ...secrets } },
            },
            ...(isPullProvider(integration.provider)
              ? [
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        ...collectionKeys.integrationPoll(integration.id),
                        ...collectionKeys.pollListing,
                        gsi1sk: integration.id,
                        poll: { integrationId: integration.id, provider: integration.provider },
                      },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    },

    async get(integrationId: string): Promise<Integration | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: collectionKeys.integration(integrationId) }),
      );
      return result.Item?.integration as Integration | undefined;
    },

    /** The integration with its sealed secrets, in one query of its partition; for the webhook and the poller. */
    async getWithSecrets(
      integrationId: string,
    ): Promise<{ integration: Integration; sealed: SealedIntegrationSecrets } | undefined> {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': collectionKeys.integration(integrationId).pk },
        }),
      );
      const items = result.Items ?? [];
      const integration = items.find((item) => item.sk === collectionKeys.integration(integrationId).sk)?.integration;
      if (!integration) return undefined;
      const secrets = items.find((item) => item.sk === collectionKeys.integrationSecrets(integrationId).sk);
      return {
        integration: integration as Integration,
        sealed: {
          ...(typeof secrets?.secret === 'string' ? { secret: secrets.secret } : {}),
          ...(typeof secrets?.credentials === 'string' ? { credentials: secrets.credentials } : {}),
        },
      };
    },

    async list(limit: number, cursor?: Record<string, unknown>) {
      const page = await queryPage(db, listingQuery(tableName, collectionKeys.integrationListing, limit), cursor);
      return { integrations: page.items.map((item) => item.integration as Integration), next: page.next };
    },

    /** Replaces the integration if unchanged since `previous` was read, and sets the secrets given (others stay). */
    async update(previous: Integration, next: Integration, secrets: SealedIntegrationSecrets): Promise<void> {
      const setSecrets = Object.entries(secrets).filter(([, value]) => value !== undefined);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: integrationItem(next),
                  ConditionExpression: 'integration.updatedAt = :read',
                  ExpressionAttributeValues: { ':read': previous.updatedAt },
                },
              },
              ...(setSecrets.length > 0
                ? [
                    {
                      Update: {
                        TableName: tableName,
                        Key: collectionKeys.integrationSecrets(next.id),
                        UpdateExpression: `SET ${setSecrets.map(([field]) => `#${field} = :${field}`).join(', ')}`,
                        ExpressionAttributeNames: Object.fromEntries(setSecrets.map(([field]) => [`#${field}`, field])),
                        ExpressionAttributeValues: Object.fromEntries(
                          setSecrets.map(([field, value]) => [`:${field}`, value]),
                        ),
                      },
                    },
                  ]
                : []),
            ],
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new ConcurrentChangeError(
            `Integration ${previous.id} was changed by another request meanwhile: read it again`,
          );
        }
        throw error;
      }
    },

    async getPoll(integrationId: string): Promise<PollState | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: collectionKeys.integrationPoll(integrationId) }),
      );
      return result.Item?.poll as PollState | undefined;
    },

    async listPolls(): Promise<PollState[]> {
      const polls: PollState[] = [];
      let cursor: Record<string, unknown> | undefined;
      do {
        const result = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :listing',
            ExpressionAttributeValues: { ':listing': collectionKeys.pollListing.gsi1pk },
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        polls.push(...(result.Items ?? []).map((item) => item.poll as PollState));
        cursor = result.LastEvaluatedKey;
      } while (cursor);
      return polls;
    },

    async savePoll(poll: PollState): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...collectionKeys.integrationPoll(poll.integrationId),
            ...collectionKeys.pollListing,
            gsi1sk: poll.integrationId,
            poll,
          },
        }),
      );
    },
  };
}
export type IntegrationStore = ReturnType<typeof integrationStore>;
