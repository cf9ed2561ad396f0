import type { TargetDefinition } from '../template/resources/events';
import type { EventBridgeEvent } from './event';
import { readJsonPath } from './json-path';

export interface RuleIdentity {
  name: string;
  arn: string;
}

/**
 * The text EventBridge sends to a target for an event: the whole event, or the target's constant `Input`, or the part
 * its `InputPath` selects, or its `InputTransformer` template filled in.
 */
export function targetInput(
  target: TargetDefinition,
  event: EventBridgeEvent,
  rule: RuleIdentity,
  ingestedAt: Date,
): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) return JSON.stringify(readJsonPath(event, target.inputPath) ?? null);
  if (!target.inputTransformer) return JSON.stringify(event);
  const values: Record<string, unknown> = {
    'aws.events.rule-arn': rule.arn,
    'aws.events.rule-name': rule.name,
    'aws.events.event.ingestion-time': ingestedAt.toISOString(),
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
  for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) {
    values[name] = readJsonPath(event, path);
  }
  return fillTemplate(target.inputTransformer.inputTemplate, values);
}

/**
 * Replaces each `<name>` in an InputTemplate. Inside a JSON string a value is inserted as escaped text; elsewhere as
 * JSON (so strings get their quotes). Unknown names stay as they are, as EventBridge leaves them.
 */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  let output = '';
  let inString = false;
  for (let at = 0; at < template.length; at += 1) {
    const char = template[at] as string;
    if (char === '<') {
      const end = template.indexOf('>', at);
      const name = end > at ? template.slice(at + 1, end) : '';
      if (name in values) {
        const value = values[name];
        output += inString ? escapeForString(value) : JSON.stringify(value ?? null);
        at = end;
        continue;
      }
    }
    if (char === '\\' && inString) {
      output += char + (template[at + 1] ?? '');
      at += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    output += char;
  }
  return output;
}

function escapeForString(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
