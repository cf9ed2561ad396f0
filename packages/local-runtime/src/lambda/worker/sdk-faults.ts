/**
 * Injected faults on a function's AWS SDK requests. A middleware added to every client (next to the HTTP handler,
 * after signing and inside the SDK's retries) answers a failing attempt with the HTTP response the service itself
 * sends, so the SDK's own deserializer makes the real error class, with `$metadata` and `$retryable`, and its retry
 * strategy handles it as it would in AWS. It also cuts an invocation that is to time out at one of its requests.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { InvocationFaults } from './protocol';

interface HttpRequestLike {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}
interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}
type Handler = (args: { request: unknown }) => Promise<{ response: unknown }>;
interface Smithy {
  Client: { prototype: { send: (this: { middlewareStack: MiddlewareStack }, ...args: unknown[]) => unknown } };
  HttpRequest: {
    isInstance(value: unknown): value is HttpRequestLike;
    clone(request: HttpRequestLike): HttpRequestLike;
  };
  HttpResponse: new (options: HttpResponseLike) => HttpResponseLike;
}
interface MiddlewareStack {
  add(middleware: (next: Handler) => Handler, options: { step: string; priority: string; name: string }): void;
}

interface Invocation {
  faults: InvocationFaults;
  requests: number;
  cut: () => void;
}

let current: Invocation | undefined;

/** The faults of the invocation now running (one at a time per worker); `cut` ends it as its timeout would. */
export function beginInvocation(faults: InvocationFaults | undefined, cut: () => void): { endsCut: () => boolean } {
  current = faults ? { faults, requests: 0, cut } : undefined;
  const invocation = current;
  return {
    /** Called as the handler returns: true when the timeout was to strike by now (the result is then lost). */
    endsCut: () => {
      if (current === invocation) current = undefined;
      return invocation?.faults.cutAtRequest !== undefined;
    },
  };
}

/** Adds the fault middleware to every SDK client the function creates (the SDK that `sdkParentUrl` resolves). */
export function installSdkFaults(sdkParentUrl: string): void {
  const require = createRequire(sdkParentUrl);
  const smithy: Smithy = {
    ...(require('@smithy/core/client') as Pick<Smithy, 'Client'>),
    ...(require('@smithy/core/protocols') as Pick<Smithy, 'HttpRequest' | 'HttpResponse'>),
  };
  const stacks = new WeakSet<MiddlewareStack>();
  const send = smithy.Client.prototype.send;
  smithy.Client.prototype.send = function (...args) {
    if (!stacks.has(this.middlewareStack)) {
      stacks.add(this.middlewareStack);
      this.middlewareStack.add((next) => faultMiddleware(smithy, next), {
        step: 'deserialize',
        priority: 'low',
        name: 'cxloopInjectedFaults',
      });
    }
    return send.apply(this, args);
  };
}

function faultMiddleware(smithy: Smithy, next: Handler): Handler {
  return async (args) => {
    const invocation = current;
    const { request } = args;
    if (!invocation || !smithy.HttpRequest.isInstance(request)) return next(args);
    invocation.requests += 1;
    if (invocation.requests === invocation.faults.cutAtRequest) {
      invocation.cut();
      // Frozen here until the runtime ends the worker, as Lambda stops a function at its timeout.
      await new Promise(() => {});
    }
    const body =
      typeof request.body === 'string'
        ? request.body
        : request.body instanceof Uint8Array
          ? Buffer.from(request.body).toString('utf8')
          : '';
    const strikes = invocation.faults.sdk.some(
      (fault) => (fault.match === undefined || body.includes(fault.match)) && Math.random() < fault.failureRate,
    );
    if (!strikes) return next(args);
    const operation = operationOf(request);
    if (operation === 'AWSEvents.PutEvents' && Math.random() < 0.5) {
      return partlyFailedPutEvents(smithy, next, args, request, body);
    }
    const { status, code, extra } = serviceError(operation, body);
    return { response: errorResponse(smithy, status, code, extra) };
  };
}

/** `DynamoDB_20120810.TransactWriteItems`, `AmazonSQS.SendMessage`, … or, for REST services, the method and path. */
function operationOf(request: HttpRequestLike): string {
  const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
  return target ?? `${request.method} ${request.path}`;
}

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)] as T;

/** The retryable error each service answers with when it cannot take a request now. */
function serviceError(operation: string, body: string): { status: number; code: string; extra?: object } {
  if (operation === 'DynamoDB_20120810.TransactWriteItems') {
    const items = (JSON.parse(body || '{}') as { TransactItems?: unknown[] }).TransactItems ?? [];
    const conflict = Math.floor(Math.random() * Math.max(1, items.length));
    const reasons = items.map((_, index) =>
      index === conflict
        ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
        : { Code: 'None' },
    );
    return {
      status: 400,
      code: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      extra: {
        Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
        CancellationReasons: reasons,
      },
    };
  }
  if (operation.startsWith('DynamoDB_')) {
    const code = pick(['ThrottlingException', 'ProvisionedThroughputExceededException']);
    return { status: 400, code: `com.amazonaws.dynamodb.v20120810#${code}` };
  }
  if (operation.startsWith('AmazonSQS.')) return { status: 400, code: 'com.amazonaws.sqs#RequestThrottled' };
  if (operation.startsWith('AWSEvents.')) return { status: 400, code: 'ThrottlingException' };
  if (operation.includes('/v2/email/')) return { status: 429, code: 'TooManyRequestsException' };
  return { status: operation.includes('.') ? 400 : 429, code: 'ThrottlingException' };
}

function errorResponse(smithy: Smithy, status: number, code: string, extra: object = {}): HttpResponseLike {
  // A cancelled transaction says why in its own `Message`; the throttles say `Rate exceeded`.
  const text = JSON.stringify({
    __type: code,
    ...(Object.keys(extra).length > 0 ? extra : { message: 'Rate exceeded' }),
  });
  return new smithy.HttpResponse({
    statusCode: status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': code.slice(code.indexOf('#') + 1),
      ...(code.startsWith('com.amazonaws.sqs#') ? { 'x-amzn-query-error': `${code.slice(18)};Sender` } : {}),
    },
    body: Buffer.from(text),
  });
}

interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/**
 * PutEvents accepted in part, as EventBridge answers when some entries are throttled: those are not put on the bus
 * and come back with `ErrorCode: ThrottlingException` in a 200 response whose FailedEntryCount counts them.
 */
async function partlyFailedPutEvents(
  smithy: Smithy,
  next: Handler,
  args: { request: unknown },
  request: HttpRequestLike,
  body: string,
): Promise<{ response: unknown }> {
  const input = JSON.parse(body) as { Entries: unknown[] };
  const failing = input.Entries.map(() => Math.random() < 0.5);
  if (!failing.includes(true)) failing[Math.floor(Math.random() * failing.length)] = true;
  const kept = input.Entries.filter((_, index) => !failing[index]);
  let accepted: { FailedEntryCount: number; Entries: PutEventsResultEntry[] } = { FailedEntryCount: 0, Entries: [] };
  let headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  };
  if (kept.length > 0) {
    const forwarded = smithy.HttpRequest.clone(request);
    forwarded.body = JSON.stringify({ ...input, Entries: kept });
    forwarded.headers['content-length'] = String(Buffer.byteLength(forwarded.body as string));
    const result = await next({ ...args, request: forwarded });
    const response = result.response as HttpResponseLike;
    if (response.statusCode !== 200) return result;
    accepted = JSON.parse(await text(response.body));
    headers = response.headers;
  }
  const remaining = [...accepted.Entries];
  const entries = failing.map((fails) =>
    fails ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : (remaining.shift() ?? {}),
  );
  const merged = JSON.stringify({
    FailedEntryCount: accepted.FailedEntryCount + failing.filter(Boolean).length,
    Entries: entries,
  });
  return {
    response: new smithy.HttpResponse({
      statusCode: 200,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(merged)) },
      body: Buffer.from(merged),
    }),
  };
}

async function text(body: unknown): Promise<string> {
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
