/**
 * HTTP API route selection: `METHOD /path/{param}/{proxy+}` route keys, `ANY`, and `$default`. The most specific
 * route wins: full matches before greedy ones, literal segments before variables, a method before ANY.
 */
export interface RouteMatch<T> {
  routeKey: string;
  value: T;
  pathParameters: Record<string, string>;
}

type Segment = { literal: string } | { variable: string } | { greedy: string };

interface CompiledRoute<T> {
  routeKey: string;
  method: string;
  segments: Segment[];
  value: T;
}

export class RouteTable<T> {
  private readonly routes: CompiledRoute<T>[] = [];
  private defaultRoute: { value: T } | undefined;

  constructor(routes: Array<{ routeKey: string; value: T }>) {
    for (const { routeKey, value } of routes) {
      if (routeKey === '$default') {
        this.defaultRoute = { value };
        continue;
      }
      const [method = '', path = ''] = routeKey.split(' ');
      this.routes.push({ routeKey, method: method.toUpperCase(), segments: compilePath(path), value });
    }
  }

  match(method: string, path: string): RouteMatch<T> | undefined {
    const requestSegments = path.split('/').slice(1);
    let best: { route: CompiledRoute<T>; pathParameters: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== 'ANY' && route.method !== method.toUpperCase()) continue;
      const pathParameters = matchSegments(route.segments, requestSegments);
      if (pathParameters && (!best || compareSpecificity(route, best.route) < 0)) best = { route, pathParameters };
    }
    if (best) return { routeKey: best.route.routeKey, value: best.route.value, pathParameters: best.pathParameters };
    if (this.defaultRoute) return { routeKey: '$default', value: this.defaultRoute.value, pathParameters: {} };
    return undefined;
  }
}

function compilePath(path: string): Segment[] {
  if (path === '/') return [{ literal: '' }];
  return path
    .split('/')
    .slice(1)
    .map((segment) => {
      const variable = /^\{(.+?)(\+)?\}$/.exec(segment);
      if (!variable) return { literal: segment };
      return variable[2] ? { greedy: variable[1] as string } : { variable: variable[1] as string };
    });
}

function matchSegments(segments: Segment[], request: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as Segment;
    if ('greedy' in segment) {
      const rest = request.slice(index).join('/');
      if (rest === '') return undefined;
      parameters[segment.greedy] = decode(rest);
      return parameters;
    }
    const part = request[index];
    if (part === undefined) return undefined;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.variable] = decode(part);
    }
  }
  return segments.length === request.length ? parameters : undefined;
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity<T>(a: CompiledRoute<T>, b: CompiledRoute<T>): number {
  const greedy = (route: CompiledRoute<T>) => route.segments.some((segment) => 'greedy' in segment);
  if (greedy(a) !== greedy(b)) return greedy(a) ? 1 : -1;
  const rank = (segment: Segment | undefined) =>
    segment === undefined ? 3 : 'literal' in segment ? 0 : 'variable' in segment ? 1 : 2;
  for (let index = 0; index < Math.max(a.segments.length, b.segments.length); index += 1) {
    const difference = rank(a.segments[index]) - rank(b.segments[index]);
    if (difference !== 0) return difference;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
