import { formatPath, InvalidEventPatternError, type PathSegment } from './errors';
import { cidrContains, parseCidr, parseIpAddress, sameIpAddress } from './ip';
import { type Anchor, compileIgnoreCase, compileWildcard, type StringTest } from './strings';

/** Whether one event matches the pattern it was compiled from. */
export type EventMatcher = (event: unknown) => boolean;

type EventObject = Readonly<Record<string, unknown>>;
type ObjectMatcher = (candidate: EventObject) => boolean;
/** Tests one leaf value of the event: a string, number, boolean or null. */
type LeafTest = (leaf: unknown) => boolean;
type Condition = LeafTest | typeof MUST_EXIST | typeof MUST_NOT_EXIST;

const MUST_EXIST = Symbol('exists: true');
const MUST_NOT_EXIST = Symbol('exists: false');
const NO_FIELDS: EventObject = Object.freeze({});

// Field names Event Ruler refuses inside `$or`, so that `"$or": [{ "prefix": "a" }, ...]` (an operator put where a
// field belongs) fails loudly instead of matching a field literally named "prefix".
const RESERVED_IN_OR = new Set([
  ...['exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr'],
  ...['html', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after'],
  ...['date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range'],
  'ip-address-not-in-range',
]);
const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'wildcard', 'cidr'];
const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const COMPARISONS = new Set(['=', ...LOWER_BOUNDS, ...UPPER_BOUNDS]);

/** Validates the whole pattern (throwing {@link InvalidEventPatternError}) and returns its matcher. */
export function compilePattern(pattern: unknown): EventMatcher {
  if (!isObject(pattern)) fail([], 'the pattern must be a JSON object');
  const matchRoot = compileObject(pattern, [], false);
  return (event) => matchNested(matchRoot, event);
}

function fail(path: readonly PathSegment[], reason: string): never {
  throw new InvalidEventPatternError(formatPath(path), reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldOf(candidate: EventObject, key: string): unknown {
  return Object.hasOwn(candidate, key) ? candidate[key] : undefined;
}

/**
 * A nested pattern object is offered each object the event has there (every element, when it is an array), and
 * matches if one of them satisfies all of it: two fields are never taken from different array elements, as with
 * EventBridge. Where the event has no object at all, the pattern still runs against no fields, so that
 * `exists: false` below it can match.
 */
function matchNested(matcher: ObjectMatcher, value: unknown): boolean {
  const candidates = objectsIn(value);
  return candidates.length === 0 ? matcher(NO_FIELDS) : candidates.some(matcher);
}

function objectsIn(value: unknown): EventObject[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return isObject(value) ? [value] : [];
}

/** The leaf values at a field: scalars, looked for through arrays (of arrays); objects are not leaves. */
function leavesIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leavesIn);
  return isLeaf(value) ? [value] : [];
}

function isLeaf(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function compileObject(pattern: Record<string, unknown>, path: PathSegment[], insideOr: boolean): ObjectMatcher {
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path, 'empty objects are not allowed');
  const checks = keys.map((key): ObjectMatcher => {
    const value = pattern[key];
    const at = [...path, key];
    if (key === '$or') return compileOr(value, at);
    if (insideOr && RESERVED_IN_OR.has(key)) fail(at, `"${key}" is an operator name and cannot be a field inside $or`);
    if (Array.isArray(value)) return compileField(key, value, at);
    if (isObject(value)) {
      const matchValue = compileObject(value, at, insideOr);
      return (candidate) => matchNested(matchValue, fieldOf(candidate, key));
    }
    return fail(at, 'must be an object (nested pattern) or an array (values to match)');
  });
  return (candidate) => checks.every((check) => check(candidate));
}

function compileOr(alternatives: unknown, path: PathSegment[]): ObjectMatcher {
  if (!Array.isArray(alternatives) || alternatives.length < 2) fail(path, '$or must be an array of at least 2 objects');
  const matchers = alternatives.map((alternative, index) => {
    if (!isObject(alternative)) fail([...path, index], 'each $or alternative must be an object');
    return compileObject(alternative, [...path, index], true);
  });
  return (candidate) => matchers.some((matcher) => matcher(candidate));
}

/** A field's list of conditions, any one of which is enough. */
function compileField(key: string, conditions: unknown[], path: PathSegment[]): ObjectMatcher {
  if (conditions.length === 0) fail(path, 'empty arrays are not allowed');
  const compiled = conditions.map((condition, index) => compileCondition(condition, [...path, index]));
  const matchesPresent = compiled.includes(MUST_EXIST);
  const matchesAbsent = compiled.includes(MUST_NOT_EXIST);
  const tests = compiled.filter((condition): condition is LeafTest => typeof condition === 'function');
  return (candidate) => {
    const leaves = leavesIn(fieldOf(candidate, key));
    if (leaves.length === 0) return matchesAbsent;
    return matchesPresent || leaves.some((leaf) => tests.some((test) => test(leaf)));
  };
}

function compileCondition(condition: unknown, path: PathSegment[]): Condition {
  if (typeof condition === 'string') return exactString(condition);
  if (typeof condition === 'number') {
    requireFiniteNumber(condition, path);
    return (leaf) => leaf === condition;
  }
  if (typeof condition === 'boolean' || condition === null) return (leaf) => leaf === condition;
  if (isObject(condition)) return compileOperator(condition, path);
  return fail(path, 'a value to match must be a string, number, boolean, null or an operator object');
}

/** An IP address written as a plain string matches any spelling of the same address, as in Event Ruler. */
function exactString(expected: string): LeafTest {
  const address = parseIpAddress(expected);
  if (address === undefined) return (leaf) => leaf === expected;
  return (leaf) => {
    if (typeof leaf !== 'string') return false;
    if (leaf === expected) return true;
    const leafAddress = parseIpAddress(leaf);
    return leafAddress !== undefined && sameIpAddress(address, leafAddress);
  };
}

function compileOperator(expression: Record<string, unknown>, path: PathSegment[]): Condition {
  const keys = Object.keys(expression);
  if (keys.length !== 1) fail(path, `an operator object must have exactly one key, found ${keys.length}`);
  const operator = keys[0] as string;
  const operand = expression[operator];
  const at = [...path, operator];
  switch (operator) {
    case 'prefix':
      return onStrings(compileAffix(operand, 'start', at));
    case 'suffix':
      return onStrings(compileAffix(operand, 'end', at));
    case 'equals-ignore-case':
      return onStrings(compileIgnoreCase(requireString(operand, at), 'whole'));
    case 'wildcard':
      return onStrings(wildcard(requireString(operand, at), at));
    case 'anything-but':
      return compileAnythingBut(operand, at);
    case 'numeric':
      return compileNumeric(operand, at);
    case 'exists':
      if (typeof operand !== 'boolean') fail(at, 'exists takes true or false');
      return operand ? MUST_EXIST : MUST_NOT_EXIST;
    case 'cidr':
      return compileCidr(requireString(operand, at), at);
    default:
      return fail(at, `unknown operator "${operator}" (supported: ${OPERATORS.join(', ')})`);
  }
}

function onStrings(test: StringTest): LeafTest {
  return (leaf) => typeof leaf === 'string' && test(leaf);
}

function requireString(operand: unknown, path: PathSegment[]): string {
  if (typeof operand !== 'string') fail(path, 'must be a string');
  return operand;
}

function requireFiniteNumber(operand: unknown, path: PathSegment[]): number {
  if (typeof operand !== 'number' || !Number.isFinite(operand)) fail(path, 'must be a finite number');
  return operand;
}

/** `prefix`/`suffix`: a string, or `{ "equals-ignore-case": string }` for the case-insensitive form. */
function compileAffix(operand: unknown, anchor: Exclude<Anchor, 'whole'>, path: PathSegment[]): StringTest {
  if (typeof operand === 'string') {
    return anchor === 'start' ? (value) => value.startsWith(operand) : (value) => value.endsWith(operand);
  }
  if (isObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    return compileIgnoreCase(requireString(operand['equals-ignore-case'], [...path, 'equals-ignore-case']), anchor);
  }
  return fail(path, 'must be a string or { "equals-ignore-case": string }');
}

function wildcard(pattern: string, path: PathSegment[]): StringTest {
  const compiled = compileWildcard(pattern);
  if (typeof compiled === 'string') fail(path, compiled);
  return compiled;
}

/**
 * `anything-but` matches a leaf unless it is one of the excluded values. Exclusions only ever apply to leaves of
 * their own type (a string list never excludes a number), and a missing field has no leaf, so it never matches.
 */
function compileAnythingBut(operand: unknown, path: PathSegment[]): LeafTest {
  if (typeof operand === 'string') return (leaf) => leaf !== operand;
  if (typeof operand === 'number') {
    requireFiniteNumber(operand, path);
    return (leaf) => leaf !== operand;
  }
  if (Array.isArray(operand)) {
    const excluded = new Set(excludedValues(operand, path));
    return (leaf) => !excluded.has(leaf as string | number);
  }
  if (isObject(operand)) {
    const excludes = compileAnythingButOperator(operand, path);
    return (leaf) => typeof leaf !== 'string' || !excludes(leaf);
  }
  return fail(path, 'must be a string, a number, a list of strings or of numbers, or an operator object');
}

function excludedValues(values: unknown[], path: PathSegment[]): readonly (string | number)[] {
  if (values.length === 0) fail(path, 'the list of excluded values must not be empty');
  values.forEach((value, index) => {
    if (typeof value === 'number') requireFiniteNumber(value, [...path, index]);
    else if (typeof value !== 'string') fail([...path, index], 'excluded values must be strings or numbers');
  });
  if (new Set(values.map((value) => typeof value)).size > 1) fail(path, 'mix of strings and numbers is not allowed');
  return values as (string | number)[];
}

const ANYTHING_BUT_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];

/** `anything-but` of `prefix`, `suffix`, `equals-ignore-case` or `wildcard`, each with one string or a list. */
function compileAnythingButOperator(expression: Record<string, unknown>, path: PathSegment[]): StringTest {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (keys.length !== 1 || operator === undefined || !ANYTHING_BUT_OPERATORS.includes(operator)) {
    fail(path, `must have exactly one key, one of ${ANYTHING_BUT_OPERATORS.join(', ')}`);
  }
  const at = [...path, operator];
  const operand = expression[operator];
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) fail(at, 'the list of excluded values must not be empty');
  const tests = values.map((value, index) => {
    const valuePath = Array.isArray(operand) ? [...at, index] : at;
    const text = requireString(value, valuePath);
    if (operator === 'prefix' || operator === 'suffix') {
      if (text === '') fail(valuePath, `an empty ${operator} is not allowed inside anything-but`);
      return operator === 'prefix' ? (leaf: string) => leaf.startsWith(text) : (leaf: string) => leaf.endsWith(text);
    }
    return operator === 'wildcard' ? wildcard(text, valuePath) : compileIgnoreCase(text, 'whole');
  });
  return (leaf) => tests.some((test) => test(leaf));
}

/**
 * `numeric` is one comparison (`=`, `<`, `<=`, `>`, `>=` and a number) or a range written lower bound first
 * (`>`/`>=` lower, then `<`/`<=` upper), as EventBridge's parser reads it. Only JSON numbers match.
 */
function compileNumeric(operand: unknown, path: PathSegment[]): LeafTest {
  if (!Array.isArray(operand) || operand.length === 0) fail(path, 'must be a non-empty array');
  const [operator, bound, upperOperator, upperBound] = operand;
  const lower = comparison(operator, bound, COMPARISONS, path, 0);
  if (operand.length === 2) return (leaf) => typeof leaf === 'number' && lower(leaf);
  if (!LOWER_BOUNDS.has(operator)) fail([...path, 2], `nothing may follow "${operator}" and its value`);
  if (operand.length !== 4) fail(path, 'a range is [">" or ">=", lower, "<" or "<=", upper]');
  const upper = comparison(upperOperator, upperBound, UPPER_BOUNDS, path, 2);
  if (!((bound as number) < (upperBound as number))) fail(path, 'the lower bound must be less than the upper bound');
  return (leaf) => typeof leaf === 'number' && lower(leaf) && upper(leaf);
}

function comparison(
  operator: unknown,
  bound: unknown,
  allowed: ReadonlySet<string>,
  path: PathSegment[],
  index: number,
): (value: number) => boolean {
  if (typeof operator !== 'string' || !allowed.has(operator)) {
    fail([...path, index], `expected one of ${[...allowed].map((op) => `"${op}"`).join(', ')}`);
  }
  const limit = requireFiniteNumber(bound, [...path, index + 1]);
  switch (operator) {
    case '=':
      return (value) => value === limit;
    case '<':
      return (value) => value < limit;
    case '<=':
      return (value) => value <= limit;
    case '>':
      return (value) => value > limit;
    default:
      return (value) => value >= limit;
  }
}

function compileCidr(operand: string, path: PathSegment[]): LeafTest {
  const block = parseCidr(operand);
  if (typeof block === 'string') fail(path, block);
  return (leaf) => {
    const address = typeof leaf === 'string' ? parseIpAddress(leaf) : undefined;
    return address !== undefined && cidrContains(block, address);
  };
}
