import { launchDynamoDbLocal } from '@cxloop/local-runtime';
import type { TestProject } from 'vitest/node';

/**
 * One in-memory DynamoDB Local (AWS's own, on Java) for the integration project; tests create their own tables. The
 * JVM dies with vitest even when vitest is killed before this teardown runs.
 */
export default async function setup(project: TestProject) {
  const dynamo = await launchDynamoDbLocal({ log: () => {} });
  try {
    await dynamo.ready;
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
