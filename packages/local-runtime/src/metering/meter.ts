import type { FunctionDefinition } from '../template/resources/functions';
import { type AwsApiCall, awsApiUsage } from './aws-api-usage';
import { isIngested, platformLogBytes } from './lambda-logs';
import { type LineItem, type Price, prices, sqsPollers, xraySampledShare } from './prices';

export type MeteredFunction = Pick<
  FunctionDefinition,
  | 'name'
  | 'memoryMb'
  | 'architecture'
  | 'logFormat'
  | 'applicationLogLevel'
  | 'systemLogLevel'
  | 'tracing'
  | 'constructPath'
>;

export interface LineItemCost extends Omit<Price, 'region' | 'date' | 'source' | 'note'> {
  item: LineItem;
  quantity: number;
}

export interface CostBreakdown {
  usd: number;
  /** Most expensive first. */
  lineItems: LineItemCost[];
  /** AWS service (`Lambda`, `DynamoDB`, …) → dollars. */
  byAwsService: Record<string, number>;
  /** cxloop service (the second segment of the construct path: `Collection`, `Aggregation`, …) → dollars. */
  byCxloopService: Record<string, number>;
  byFunction: Record<string, { cxloopService: string; usd: number; lineItems: LineItemCost[] }>;
}

export interface MeterReport extends CostBreakdown {
  /**
   * What the stack costs a month whatever the traffic: Lambda's long polls of every queue an event source mapping
   * reads, also while it is empty.
   */
  monthly: CostBreakdown;
}

/** Usage not caused by one function (a request no route matched, a schedule that targets no function). */
const unattributed = '(none)';
const bytesPerGb = 2 ** 30;
const secondsPerMonth = 30 * 24 * 3600;

/**
 * Counts every billable operation while the functions run, per function and line item, and prices it with
 * {@link prices}. The runtime feeds it from the HTTP API, the function pools, its AWS APIs, the SQS pollers, the
 * scheduler and the DynamoDB proxy.
 */
export class Meter {
  private usage = new Map<string, Map<LineItem, number>>();
  private readonly functions: Map<string, MeteredFunction>;

  constructor(
    functions: readonly MeteredFunction[],
    /** The functions an SQS event source mapping feeds, one entry per mapping. */
    private readonly polledBy: readonly string[] = [],
  ) {
    this.functions = new Map(functions.map((fn) => [fn.name, fn]));
  }

  add(functionName: string | undefined, item: LineItem, quantity: number): void {
    if (quantity === 0) return;
    const key = functionName ?? unattributed;
    let items = this.usage.get(key);
    if (!items) {
      items = new Map();
      this.usage.set(key, items);
    }
    items.set(item, (items.get(item) ?? 0) + quantity);
  }

  /** One invocation (fault-injected ones too: Lambda bills a failed invocation) and what Lambda logs and traces of it. */
  invoked(fn: MeteredFunction, durationMs: number): void {
    const billedSeconds = Math.ceil(durationMs) / 1000;
    this.add(fn.name, 'lambda.requests', 1);
    this.add(
      fn.name,
      fn.architecture === 'arm64' ? 'lambda.gb-seconds-arm' : 'lambda.gb-seconds-x86',
      (billedSeconds * fn.memoryMb) / 1024,
    );
    this.add(fn.name, 'cloudwatch.logs-ingested-gb', platformLogBytes(fn, durationMs, fn.memoryMb) / bytesPerGb);
    if (fn.tracing === 'Active') this.add(fn.name, 'xray.traces-recorded', xraySampledShare);
  }

  /** A line the function printed: ingested unless its log level filters it out. */
  printed(fn: MeteredFunction, line: string): void {
    if (isIngested(fn, line)) this.add(fn.name, 'cloudwatch.logs-ingested-gb', Buffer.byteLength(line) / bytesPerGb);
  }

  /** One HTTP API request, in 512 KB increments of request and response. */
  apiRequest(functionName: string | undefined, bytes: number): void {
    this.add(functionName, 'apigateway.http-requests', Math.max(1, Math.ceil(bytes / (512 * 1024))));
  }

  awsApiCall(caller: string | undefined, call: AwsApiCall): void {
    for (const [item, quantity] of awsApiUsage(call)) this.add(caller, item, quantity);
  }

  /**
   * A batch Lambda's poller received for a function: its ReceiveMessage calls (up to 10 messages, 64 KB chunks) and
   * the DeleteMessageBatch calls that follow; the empty long polls are in the report's `monthly` part.
   */
  polled(functionName: string, bodies: readonly string[]): void {
    const calls = Math.ceil(bodies.length / 10);
    const bytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
    this.add(functionName, 'sqs.requests', Math.max(calls, Math.ceil(bytes / (64 * 1024))) + calls);
  }

  scheduled(functionName: string | undefined): void {
    this.add(functionName, 'scheduler.invocations', 1);
  }

  dynamoDb(functionName: string | undefined, units: { read: number; write: number }): void {
    this.add(functionName, 'dynamodb.read-request-units', units.read);
    this.add(functionName, 'dynamodb.write-request-units', units.write);
  }

  reset(): void {
    this.usage = new Map();
  }

  report(): MeterReport {
    const monthly = new Map<string, Map<LineItem, number>>();
    const idlePolls = sqsPollers.perMapping * (secondsPerMonth / sqsPollers.waitSeconds);
    for (const functionName of this.polledBy) {
      const items = monthly.get(functionName) ?? new Map<LineItem, number>();
      items.set('sqs.requests', (items.get('sqs.requests') ?? 0) + idlePolls);
      monthly.set(functionName, items);
    }
    return { ...this.breakdown(this.usage), monthly: this.breakdown(monthly) };
  }

  private breakdown(usage: Map<string, Map<LineItem, number>>): CostBreakdown {
    const total = new Map<LineItem, number>();
    const byAwsService: Record<string, number> = {};
    const byCxloopService: Record<string, number> = {};
    const byFunction: CostBreakdown['byFunction'] = {};
    for (const [functionName, items] of usage) {
      const cxloopService = cxloopServiceOf(this.functions.get(functionName));
      const lineItems = costs(items);
      const usd = sum(lineItems);
      byFunction[functionName] = { cxloopService, usd, lineItems };
      byCxloopService[cxloopService] = (byCxloopService[cxloopService] ?? 0) + usd;
      for (const line of lineItems) {
        byAwsService[line.awsService] = (byAwsService[line.awsService] ?? 0) + line.usd;
        total.set(line.item, (total.get(line.item) ?? 0) + line.quantity);
      }
    }
    const lineItems = costs(total);
    return { usd: sum(lineItems), lineItems, byAwsService, byCxloopService, byFunction };
  }
}

/** `Cxloop/Aggregation/Aggregator/Resource` → `Aggregation`. */
function cxloopServiceOf(fn: MeteredFunction | undefined): string {
  return fn?.constructPath?.split('/')[1] ?? unattributed;
}

function costs(items: Map<LineItem, number>): LineItemCost[] {
  return [...items]
    .map(([item, quantity]) => {
      const { awsService, description, unit, usd } = prices[item];
      return { item, awsService, description, unit, quantity, usd: usd * quantity };
    })
    .sort((a, b) => b.usd - a.usd);
}

const sum = (lines: readonly { usd: number }[]) => lines.reduce((total, line) => total + line.usd, 0);
