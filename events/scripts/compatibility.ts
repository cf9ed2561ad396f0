import type * as z from 'zod';

type Schema = z.core.JSONSchema._JSONSchema;
type SchemaObject = z.core.JSONSchema.JSONSchema;

export type BreakingChangeKind =
  | 'property-removed'
  | 'property-newly-required'
  | 'type-changed'
  | 'enum-value-removed'
  | 'const-changed'
  | 'bound-narrowed'
  | 'pattern-changed'
  | 'format-changed'
  | 'additional-properties-closed';

export interface BreakingChange {
  kind: BreakingChangeKind;
  /** JSON path of the changed value in an instance, e.g. `$.detail.data.links[*].url`. */
  path: string;
  message: string;
}

/**
 * Lists what makes `current` break the consumers of `published`: a value `published` accepted that `current`
 * rejects (an event already on the bus or in the archive), or a property consumers may rely on that is gone.
 * Annotations (description, default, title) are ignored; additive optional properties pass.
 */
export function findBreakingChanges(published: Schema, current: Schema): BreakingChange[] {
  return new Comparison(published, current).compare(published, current, '$');
}

const lowerBounds = ['minLength', 'minItems', 'minProperties'] as const;
const upperBounds = ['maxLength', 'maxItems', 'maxProperties'] as const;

class Comparison {
  /** Pairs being compared up the stack, so a recursive `$ref` is compared once instead of forever. */
  private readonly inProgress: Array<[Schema, Schema]> = [];

  constructor(
    private readonly publishedRoot: Schema,
    private readonly currentRoot: Schema,
  ) {}

  compare(publishedNode: Schema, currentNode: Schema, path: string): BreakingChange[] {
    const before = resolveRef(this.publishedRoot, publishedNode);
    const after = resolveRef(this.currentRoot, currentNode);
    if (before === false || after === true) return [];
    if (this.inProgress.some(([b, a]) => b === before && a === after)) return [];
    if (after === false) return [{ kind: 'type-changed', path, message: 'no value is accepted any more' }];
    this.inProgress.push([before, after]);
    try {
      const old = before === true ? {} : before;
      return hasBranches(old) || hasBranches(after)
        ? this.compareUnions(old, after, path)
        : this.compareNodes(old, after, path);
    } finally {
      this.inProgress.pop();
    }
  }

  /** Every published branch must still be accepted by some current branch. */
  private compareUnions(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
    const currentBranches = branchesOf(after);
    return branchesOf(before).flatMap((publishedBranch) => {
      const candidates = currentBranches.map((branch) => this.compare(publishedBranch, branch, path));
      return candidates.reduce((fewest, changes) => (changes.length < fewest.length ? changes : fewest));
    });
  }

  private compareNodes(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
    return [
      ...compareTypes(before, after, path),
      ...compareValues(before, after, path),
      ...compareBounds(before, after, path),
      ...compareStringRules(before, after, path),
      ...this.compareObjects(before, after, path),
      ...(after.items !== undefined && !Array.isArray(after.items) && !Array.isArray(before.items)
        ? this.compare(before.items ?? true, after.items, `${path}[*]`)
        : []),
    ];
  }

  private compareObjects(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
    const changes: BreakingChange[] = [];
    const currentProperties = after.properties ?? {};
    for (const [name, publishedProperty] of Object.entries(before.properties ?? {})) {
      const childPath = propertyPath(path, name);
      const currentProperty = currentProperties[name];
      if (currentProperty === undefined) {
        changes.push({ kind: 'property-removed', path: childPath, message: 'property removed; consumers may use it' });
      } else {
        changes.push(...this.compare(publishedProperty, currentProperty, childPath));
      }
    }
    const publishedRequired = new Set(before.required ?? []);
    for (const name of after.required ?? []) {
      if (!publishedRequired.has(name)) {
        changes.push({
          kind: 'property-newly-required',
          path: propertyPath(path, name),
          message: 'property is now required; events published without it are rejected',
        });
      }
    }
    const publishedAdditional = before.additionalProperties ?? true;
    const currentAdditional = after.additionalProperties ?? true;
    if (currentAdditional === false && publishedAdditional !== false) {
      changes.push({
        kind: 'additional-properties-closed',
        path,
        message: 'additionalProperties is now false; properties not listed are rejected',
      });
    } else {
      changes.push(...this.compare(publishedAdditional, currentAdditional, `${path}.*`));
    }
    if (after.propertyNames !== undefined) {
      changes.push(...this.compare(before.propertyNames ?? true, after.propertyNames, `${path} (property names)`));
    }
    return changes;
  }
}

function resolveRef(root: Schema, node: Schema): Schema {
  let resolved = node;
  const seen = new Set<string>();
  while (typeof resolved === 'object' && typeof resolved.$ref === 'string' && !seen.has(resolved.$ref)) {
    seen.add(resolved.$ref);
    resolved = followPointer(root, resolved.$ref);
  }
  return resolved;
}

function followPointer(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) throw new Error(`Only local $ref is supported, got ${ref}`);
  const tokens = ref
    .slice(1)
    .split('/')
    .filter((token) => token !== '')
    .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = root;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object' || !(token in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = (node as Record<string, unknown>)[token];
  }
  return node as Schema;
}

function hasBranches(schema: SchemaObject): boolean {
  return schema.anyOf !== undefined || schema.oneOf !== undefined;
}

/** The alternatives of a union, each with the keywords that sit beside `anyOf`/`oneOf` (they apply to all). */
function branchesOf(schema: SchemaObject): Schema[] {
  const { anyOf, oneOf, ...shared } = schema;
  const branches = anyOf ?? oneOf;
  return branches === undefined ? [schema] : branches.map((branch) => ({ ...shared, ...branch }));
}

type TypeName = z.core.JSONSchema.SchemaType;

function typesOf(schema: SchemaObject): TypeName[] | undefined {
  return schema.type === undefined ? undefined : [schema.type].flat();
}

function compareTypes(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
  const currentTypes = typesOf(after);
  if (currentTypes === undefined) return [];
  const publishedTypes = typesOf(before);
  const accepted = (type: TypeName) =>
    currentTypes.includes(type) || (type === 'integer' && currentTypes.includes('number'));
  if (publishedTypes?.every(accepted)) return [];
  return [
    {
      kind: 'type-changed',
      path,
      message: `type ${publishedTypes?.join('|') ?? 'any'} → ${currentTypes.join('|')}`,
    },
  ];
}

type Value = string | number | boolean | null;

function allowedValues(schema: SchemaObject): Value[] | undefined {
  return schema.const !== undefined ? [schema.const] : schema.enum;
}

function compareValues(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
  const currentValues = allowedValues(after);
  if (currentValues === undefined) return [];
  const publishedValues = allowedValues(before);
  const removed = publishedValues?.filter((value) => !currentValues.includes(value));
  if (removed !== undefined && removed.length === 0) return [];
  const was = publishedValues?.map((value) => JSON.stringify(value)).join('|') ?? 'any value';
  if (after.const !== undefined) {
    return [{ kind: 'const-changed', path, message: `const ${was} → ${JSON.stringify(after.const)}` }];
  }
  return [
    {
      kind: 'enum-value-removed',
      path,
      message: removed
        ? `enum values removed: ${removed.map((value) => JSON.stringify(value)).join(', ')}`
        : `values restricted to ${currentValues.map((value) => JSON.stringify(value)).join('|')}`,
    },
  ];
}

interface NumericBound {
  value: number;
  exclusive: boolean;
}

function lowerBound(schema: SchemaObject): NumericBound | undefined {
  const inclusive = schema.minimum;
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  if (exclusive !== undefined && (inclusive === undefined || exclusive >= inclusive)) {
    return { value: exclusive, exclusive: true };
  }
  return inclusive === undefined ? undefined : { value: inclusive, exclusive: false };
}

function upperBound(schema: SchemaObject): NumericBound | undefined {
  const inclusive = schema.maximum;
  const exclusive = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  if (exclusive !== undefined && (inclusive === undefined || exclusive <= inclusive)) {
    return { value: exclusive, exclusive: true };
  }
  return inclusive === undefined ? undefined : { value: inclusive, exclusive: false };
}

const describeBound = (bound: NumericBound | undefined, side: '>' | '<'): string =>
  bound === undefined ? 'none' : `${side}${bound.exclusive ? '' : '='} ${bound.value}`;

function compareBounds(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const narrowed = (message: string) => changes.push({ kind: 'bound-narrowed', path, message });

  const [oldLow, newLow] = [lowerBound(before), lowerBound(after)];
  if (
    newLow !== undefined &&
    (oldLow === undefined ||
      newLow.value > oldLow.value ||
      (newLow.value === oldLow.value && newLow.exclusive && !oldLow.exclusive))
  ) {
    narrowed(`lower bound ${describeBound(oldLow, '>')} → ${describeBound(newLow, '>')}`);
  }
  const [oldHigh, newHigh] = [upperBound(before), upperBound(after)];
  if (
    newHigh !== undefined &&
    (oldHigh === undefined ||
      newHigh.value < oldHigh.value ||
      (newHigh.value === oldHigh.value && newHigh.exclusive && !oldHigh.exclusive))
  ) {
    narrowed(`upper bound ${describeBound(oldHigh, '<')} → ${describeBound(newHigh, '<')}`);
  }
  for (const keyword of lowerBounds) {
    const [was, now] = [before[keyword], after[keyword]];
    if (now !== undefined && now > (was ?? 0)) narrowed(`${keyword} ${was ?? 'none'} → ${now}`);
  }
  for (const keyword of upperBounds) {
    const [was, now] = [before[keyword], after[keyword]];
    if (now !== undefined && now < (was ?? Number.POSITIVE_INFINITY)) narrowed(`${keyword} ${was ?? 'none'} → ${now}`);
  }
  return changes;
}

/** Regular expressions and formats cannot be compared for inclusion, so any new or different one is reported. */
function compareStringRules(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  if (after.pattern !== undefined && after.pattern !== before.pattern) {
    changes.push({ kind: 'pattern-changed', path, message: `pattern ${before.pattern ?? 'none'} → ${after.pattern}` });
  }
  if (after.format !== undefined && after.format !== before.format) {
    changes.push({ kind: 'format-changed', path, message: `format ${before.format ?? 'none'} → ${after.format}` });
  }
  return changes;
}

function propertyPath(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}
