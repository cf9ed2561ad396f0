/**
 * CloudFormation intrinsic functions, evaluated against hooks that know what `Ref` and `Fn::GetAtt` give for each
 * resource. Pure: the hooks decide every physical value.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface IntrinsicHooks {
  /** What `Ref` gives for a resource, parameter or pseudo parameter. */
  ref(name: string): Json;
  getAtt(logicalId: string, attribute: string): Json;
  /** Whether a named condition of the template holds. */
  condition(name: string): boolean;
  mappings?: Record<string, Record<string, Record<string, Json>>>;
  region: string;
}

export class IntrinsicError extends Error {
  override name = 'IntrinsicError';
}

/** `AWS::NoValue`: removes the property or list element that holds it. */
const noValue = Symbol('AWS::NoValue');
type Resolved = Json | typeof noValue;

export function resolveIntrinsics(value: unknown, hooks: IntrinsicHooks): Json {
  const resolved = resolve(value, hooks, '$');
  return resolved === noValue ? null : resolved;
}

/** Evaluates a condition body (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). */
export function evaluateCondition(body: unknown, hooks: IntrinsicHooks): boolean {
  const result = resolve(body, hooks, '$');
  if (typeof result !== 'boolean') throw new IntrinsicError(`condition does not evaluate to a boolean: ${show(body)}`);
  return result;
}

function resolve(value: unknown, hooks: IntrinsicHooks, path: string): Resolved {
  if (Array.isArray(value)) {
    return value.map((item, index) => resolve(item, hooks, `${path}[${index}]`)).filter((item) => item !== noValue);
  }
  if (value === null || typeof value !== 'object') return value as Json;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && isIntrinsicName(first[0])) {
    return resolveIntrinsic(first[0], first[1], hooks, `${path}.${first[0]}`);
  }
  const result: Record<string, Json> = {};
  for (const [key, item] of entries) {
    const resolved = resolve(item, hooks, `${path}.${key}`);
    if (resolved !== noValue) result[key] = resolved;
  }
  return result;
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');
}

function resolveIntrinsic(name: string, argument: unknown, hooks: IntrinsicHooks, path: string): Resolved {
  const arg = (value: unknown) => resolve(value, hooks, path);
  switch (name) {
    case 'Ref': {
      const target = arg(argument);
      if (target === 'AWS::NoValue') return noValue;
      return hooks.ref(expectString(target, path));
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] =
        typeof argument === 'string' ? splitOnce(argument, '.') : expectArray(arg(argument), path, 2);
      return hooks.getAtt(expectString(logicalId, path), expectString(attribute, path));
    }
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(arg(argument), path, 2);
      return expectArray(list, path)
        .map((item) => scalarText(item as Json, path))
        .join(expectString(delimiter, path));
    }
    case 'Fn::Sub':
      return substitute(argument, hooks, path);
    case 'Fn::Select': {
      const [index, list] = expectArray(arg(argument), path, 2);
      const items = expectArray(list, path);
      const position = Number(index);
      if (!Number.isInteger(position) || position < 0 || position >= items.length) {
        throw new IntrinsicError(`${path}: index ${show(index)} out of range for ${items.length} items`);
      }
      return items[position] as Json;
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(arg(argument), path, 2);
      return expectString(source, path).split(expectString(delimiter, path));
    }
    case 'Fn::If': {
      const [conditionName, whenTrue, whenFalse] = expectArray(argument, path, 3);
      return hooks.condition(expectString(conditionName, path)) ? arg(whenTrue) : arg(whenFalse);
    }
    case 'Fn::Equals': {
      const [left, right] = expectArray(arg(argument), path, 2);
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case 'Fn::And':
      return expectArray(arg(argument), path).every((item) => expectBoolean(item, path));
    case 'Fn::Or':
      return expectArray(arg(argument), path).some((item) => expectBoolean(item, path));
    case 'Fn::Not':
      return !expectBoolean(expectArray(arg(argument), path, 1)[0], path);
    case 'Condition':
      return hooks.condition(expectString(argument, path));
    case 'Fn::FindInMap': {
      const [map, top, second] = expectArray(arg(argument), path, 3).map((key) => expectString(key, path));
      const found = hooks.mappings?.[map as string]?.[top as string]?.[second as string];
      if (found === undefined) throw new IntrinsicError(`${path}: no mapping ${map}.${top}.${second}`);
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(expectString(arg(argument), path)).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${hooks.region}${zone}`);
    case 'Fn::ToJsonString':
      return JSON.stringify(arg(argument));
    case 'Fn::Length':
      return expectArray(arg(argument), path).length;
    default:
      throw new IntrinsicError(`${path}: ${name} is not supported by the local runtime`);
  }
}

function substitute(argument: unknown, hooks: IntrinsicHooks, path: string): string {
  const [template, variables] =
    typeof argument === 'string' ? [argument, {}] : (expectArray(argument, path, 2) as [unknown, unknown]);
  const resolvedVariables = resolve(variables, hooks, path);
  const bindings = (resolvedVariables ?? {}) as Record<string, Json>;
  return expectString(template, path).replace(/\$\{(!?)([^}]*)\}/g, (_match, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    const trimmed = name.trim();
    if (trimmed in bindings) return scalarText(bindings[trimmed] as Json, path);
    if (trimmed.includes('.') && !trimmed.startsWith('AWS::')) {
      const [logicalId, attribute] = splitOnce(trimmed, '.');
      return scalarText(hooks.getAtt(logicalId, attribute), path);
    }
    return scalarText(hooks.ref(trimmed), path);
  });
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  if (at < 0) throw new IntrinsicError(`expected "LogicalId${separator}Attribute", got ${show(text)}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function scalarText(value: Resolved, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new IntrinsicError(`${path}: expected a string, got ${show(value)}`);
}

function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new IntrinsicError(`${path}: expected a string, got ${show(value)}`);
  return value;
}

function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new IntrinsicError(`${path}: expected a boolean, got ${show(value)}`);
  return value;
}

function expectArray(value: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new IntrinsicError(`${path}: expected a list${length ? ` of ${length}` : ''}, got ${show(value)}`);
  }
  return value;
}

function show(value: unknown): string {
  return typeof value === 'symbol' ? 'AWS::NoValue' : JSON.stringify(value);
}
