import { PersonErasureRequested } from '@cxloop/events';
import type { EnvironmentDefinition, EnvironmentValues, EnvironmentVariables } from '@cxloop/lambda-kit/config';
import type { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { EventConsumer } from './event-consumer';
import { CxFunction } from './function';
import type { ServiceTable } from './service-table';

export interface ErasureConsumerProps<V extends EnvironmentVariables> {
  readonly bus: IEventBus;
  /** The service's own table, where its person index and the items it erases live. */
  readonly table: ServiceTable;
  readonly entry: string;
  readonly service: string;
  readonly description: string;
  readonly reads: EnvironmentDefinition<V>;
  readonly environment: EnvironmentValues<V>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  /** Beyond Query (the person index), GetItem (the erasure's progress), UpdateItem and DeleteItem (erasing). */
  readonly extraTableActions?: readonly string[];
  readonly unbundled?: readonly string[];
}

/**
 * A service's part of an erasure: PersonErasureRequested (rule → SQS + DLQ `ErasureRequests`, one request at a time) →
 * the `ErasureConsumer` function, which erases what the service holds and publishes its PersonErased. It may not Put
 * (unless `extraTableActions` says so), so it cannot create what it erases.
 */
export function addErasureConsumer<V extends EnvironmentVariables>(
  scope: Construct,
  props: ErasureConsumerProps<V>,
): { handler: CxFunction<V>; requests: EventConsumer } {
  const handler = new CxFunction(scope, 'ErasureConsumer', {
    entry: props.entry,
    service: props.service,
    description: props.description,
    reads: props.reads,
    environment: props.environment,
    timeout: props.timeout,
    ...(props.memorySize ? { memorySize: props.memorySize } : {}),
    ...(props.unbundled ? { unbundled: props.unbundled } : {}),
  });
  props.table.grantTo(
    handler,
    'dynamodb:Query',
    'dynamodb:GetItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    ...(props.extraTableActions ?? []),
  );
  props.bus.grantPutEventsTo(handler);
  const requests = new EventConsumer(scope, 'ErasureRequests', {
    bus: props.bus,
    contracts: [PersonErasureRequested],
    handler,
    batchSize: 1,
    maxConcurrency: 2,
  });
  return { handler, requests };
}
