/**
 * The JSONPath subset EventBridge accepts in InputPath and InputPathsMap: `$`, `$.a.b`, `$.a[0]`, `$['a-b']`.
 * Returns undefined when the path does not exist.
 */
export function readJsonPath(document: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`JSONPath must start with $: ${path}`);
  let value: unknown = document;
  for (const key of pathKeys(path.slice(1))) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function pathKeys(rest: string): Array<string | number> {
  const keys: Array<string | number> = [];
  const token = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let at = 0;
  while (at < rest.length) {
    token.lastIndex = at;
    const match = token.exec(rest);
    if (!match) throw new Error(`unsupported JSONPath syntax at "${rest.slice(at)}"`);
    keys.push(match[2] !== undefined ? Number(match[2]) : ((match[1] ?? match[3] ?? match[4]) as string));
    at = token.lastIndex;
  }
  return keys;
}
