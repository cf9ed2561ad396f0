/** Hello world with the AWS SDK clients the categoriser creates: the baseline of `npm run bench:bundles`. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new EventBridgeClient({}), new SQSClient({})];

export const handler = async () => ({ hello: 'world', clients: clients.length });
