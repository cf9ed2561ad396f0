import { type BusDefinition, busesOf, type RuleDefinition, rulesOf } from './resources/events';
import {
  type CodeLocator,
  type EventSourceMappingDefinition,
  eventSourceMappingsOf,
  type FunctionDefinition,
  functionsOf,
  type InvokeConfigDefinition,
  invokeConfigsOf,
} from './resources/functions';
import { type HttpApiDefinition, httpApisOf } from './resources/http-apis';
import { type QueueDefinition, queuesOf } from './resources/queues';
import { readerOf } from './resources/reader';
import {
  type ScheduleDefinition,
  type ScheduleGroupDefinition,
  scheduleGroupsOf,
  schedulesOf,
} from './resources/schedules';
import { type SecretDefinition, secretsOf } from './resources/secrets';
import { type TableDefinition, tablesOf } from './resources/tables';
import { type TopicDefinition, topicsOf } from './resources/topics';
import type { StackTemplate } from './stack-template';

/**
 * The resources the local runtime runs, read from the template with every value resolved; one module per resource
 * kind in `resources/`.
 */
export interface StackModel {
  tables: TableDefinition[];
  queues: QueueDefinition[];
  functions: FunctionDefinition[];
  invokeConfigs: InvokeConfigDefinition[];
  eventSourceMappings: EventSourceMappingDefinition[];
  buses: BusDefinition[];
  rules: RuleDefinition[];
  httpApis: HttpApiDefinition[];
  secrets: SecretDefinition[];
  scheduleGroups: ScheduleGroupDefinition[];
  schedules: ScheduleDefinition[];
  topics: TopicDefinition[];
}

export function buildStackModel(template: StackTemplate, codeDirectoryOf: CodeLocator): StackModel {
  const reader = readerOf(template);
  return {
    tables: tablesOf(reader),
    queues: queuesOf(reader),
    functions: functionsOf(reader, codeDirectoryOf),
    invokeConfigs: invokeConfigsOf(reader),
    eventSourceMappings: eventSourceMappingsOf(reader),
    buses: busesOf(reader),
    rules: rulesOf(reader),
    httpApis: httpApisOf(template),
    secrets: secretsOf(reader),
    scheduleGroups: scheduleGroupsOf(reader),
    schedules: schedulesOf(reader),
    topics: topicsOf(reader),
  };
}
