export { launchDynamoDbLocal } from './dynamodb/dynamodb-local';
export type { EventBridgeEvent } from './events/event';
export type { FaultSpec } from './lambda/faults';
export { type AttributeMap, itemSize, readUnits, writeUnits } from './metering/dynamodb-units';
export type { CostBreakdown, LineItemCost, MeterReport } from './metering/meter';
export { type LineItem, type Price, prices } from './metering/prices';
export {
  type LocalRuntime,
  type LocalRuntimeOptions,
  type QueuedMessage,
  type RuntimeResources,
  startLocalRuntime,
} from './runtime';
export type { ScheduleInfo } from './scheduler/scheduler';
export type { SentEmail } from './ses/sesv2';
export type { InboundText, SentSms } from './sms/sms-voice-v2';
