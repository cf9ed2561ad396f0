import type { HttpRequest, HttpResponse } from '../http/http-message';
import { headerValue } from '../http/http-message';
import { localCredentials } from '../local-credentials';
import type { TableDefinition } from '../template/resources/tables';
import {
  type AttributeMap,
  itemSize,
  itemWriteUnits,
  keyOf,
  type ReadConsistency,
  readUnits,
  writeUnits,
} from './dynamodb-units';

/** What the proxy reports: the units one call of a function costs by AWS's rules. */
export type DynamoDbUsage = (caller: string | undefined, units: { read: number; write: number }) => void;

/** Where each function's SDK client sends its DynamoDB calls: the proxy's URL plus this path. */
export const dynamoDbCallerPath = (functionName: string) => `/fn/${encodeURIComponent(functionName)}`;

type Request = Record<string, unknown>;
type Send = (target: string, body: Request) => Promise<{ status: number; body: Request }>;

/**
 * Sits between the functions and DynamoDB Local: forwards every call unchanged (one shared database), and meters it
 * by AWS's rules, because DynamoDB Local's own ConsumedCapacity is wrong for transactions and ignores indexes. A write
 * reads the items it targets before (and an update after) to size them; those reads are not metered.
 */
export class DynamoDbMeteringProxy {
  private readonly tables: Map<string, TableDefinition>;

  constructor(
    private readonly dynamoEndpoint: string,
    private readonly region: string,
    tables: readonly TableDefinition[],
    private readonly usage: DynamoDbUsage,
  ) {
    this.tables = new Map(tables.map((table) => [table.name, table]));
  }

  readonly handle = async (request: HttpRequest): Promise<HttpResponse> => {
    const caller = /^\/fn\/([^/]+)/.exec(request.path)?.[1];
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    const operation = target.split('.')[1] ?? '';
    const input = request.body.length > 0 ? (JSON.parse(request.body.toString('utf8')) as Request) : {};
    const metered = caller === undefined ? undefined : decodeURIComponent(caller);
    const forward = () => this.forward(request);
    const { response, units } = await this.meter(operation, input, forward);
    if (units.read > 0 || units.write > 0) this.usage(metered, units);
    return response;
  };

  private async meter(
    operation: string,
    input: Request,
    forward: () => Promise<HttpResponse>,
  ): Promise<{ response: HttpResponse; units: { read: number; write: number } }> {
    const none = { read: 0, write: 0 };
    switch (operation) {
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem': {
        const table = this.tables.get(String(input.TableName));
        if (!table) return { response: await forward(), units: none };
        const key = operation === 'PutItem' ? keyOf(table, input.Item as AttributeMap) : (input.Key as AttributeMap);
        const before = await this.getItem(table.name, key);
        const response = await forward();
        if (response.statusCode !== 200) {
          // A write whose condition fails still costs the write (sized by the item that stayed).
          const failed = errorTypeOf(response) === 'ConditionalCheckFailedException';
          return { response, units: failed ? { read: 0, write: writeUnits(before ? itemSize(before) : 0) } : none };
        }
        const after =
          operation === 'PutItem'
            ? (input.Item as AttributeMap)
            : operation === 'UpdateItem'
              ? await this.getItem(table.name, key)
              : undefined;
        const { table: tableUnits, indexes } = itemWriteUnits(table, before, after);
        return { response, units: { read: 0, write: tableUnits + indexes } };
      }
      case 'BatchWriteItem':
        return this.batchWrite(input, forward);
      case 'TransactWriteItems':
        return this.transactWrite(input, forward);
      case 'GetItem': {
        const response = await forward();
        if (response.statusCode !== 200) return { response, units: none };
        const item = (bodyOf(response).Item as AttributeMap | undefined) ?? undefined;
        const consistency: ReadConsistency = input.ConsistentRead === true ? 'strong' : 'eventual';
        return { response, units: { read: readUnits(item ? itemSize(item) : 0, consistency), write: 0 } };
      }
      case 'BatchGetItem': {
        const response = await forward();
        if (response.statusCode !== 200) return { response, units: none };
        const requested = input.RequestItems as Record<string, { ConsistentRead?: boolean }>;
        const found = (bodyOf(response).Responses ?? {}) as Record<string, AttributeMap[]>;
        let read = 0;
        for (const [tableName, items] of Object.entries(found)) {
          const consistency = requested[tableName]?.ConsistentRead === true ? 'strong' : 'eventual';
          for (const item of items) read += readUnits(itemSize(item), consistency);
        }
        return { response, units: { read, write: 0 } };
      }
      case 'TransactGetItems': {
        const response = await forward();
        if (response.statusCode !== 200) return { response, units: none };
        const items = (bodyOf(response).Responses ?? []) as Array<{ Item?: AttributeMap }>;
        const read = items.reduce(
          (sum, entry) => sum + readUnits(entry.Item ? itemSize(entry.Item) : 0, 'transactional'),
          0,
        );
        return { response, units: { read, write: 0 } };
      }
      case 'Query':
      case 'Scan':
        return this.queryOrScan(input, forward);
      default:
        return { response: await forward(), units: none };
    }
  }

  /** Each put or delete of a batch is billed as the single write it is. */
  private async batchWrite(input: Request, forward: () => Promise<HttpResponse>) {
    const requests = input.RequestItems as Record<
      string,
      Array<{ PutRequest?: { Item: AttributeMap }; DeleteRequest?: { Key: AttributeMap } }>
    >;
    const targets = Object.entries(requests).flatMap(([tableName, writes]) => {
      const table = this.tables.get(tableName);
      return table
        ? writes.map((write) => ({
            table,
            key: write.PutRequest ? keyOf(table, write.PutRequest.Item) : (write.DeleteRequest?.Key as AttributeMap),
            after: write.PutRequest?.Item,
          }))
        : [];
    });
    const before = await this.getItems(targets);
    const response = await forward();
    if (response.statusCode !== 200) return { response, units: { read: 0, write: 0 } };
    const unprocessed = new Set(
      Object.entries((bodyOf(response).UnprocessedItems ?? {}) as typeof requests).flatMap(([tableName, writes]) =>
        writes.map((write) => {
          const table = this.tables.get(tableName) as TableDefinition;
          return identity(tableName, write.PutRequest ? keyOf(table, write.PutRequest.Item) : write.DeleteRequest?.Key);
        }),
      ),
    );
    let write = 0;
    for (const [index, target] of targets.entries()) {
      if (unprocessed.has(identity(target.table.name, target.key))) continue;
      const units = itemWriteUnits(target.table, before[index], target.after);
      write += units.table + units.indexes;
    }
    return { response, units: { read: 0, write } };
  }

  /**
   * A transaction writes every item twice (prepare and commit); its index updates once each. A cancelled one is
   * charged for its prepare phase: one write per item.
   */
  private async transactWrite(input: Request, forward: () => Promise<HttpResponse>) {
    type Action = { TableName: string; Item?: AttributeMap; Key?: AttributeMap };
    const actions = (input.TransactItems as Array<Record<string, Action>>).flatMap((entry) => {
      const [kind, action] = Object.entries(entry)[0] as [string, Action];
      const table = this.tables.get(action.TableName);
      if (!table) return [];
      return [{ kind, table, key: action.Item ? keyOf(table, action.Item) : (action.Key as AttributeMap), action }];
    });
    const before = await this.getItems(actions);
    const response = await forward();
    if (response.statusCode !== 200) {
      const cancelled = errorTypeOf(response) === 'TransactionCanceledException';
      const write = cancelled
        ? actions.reduce((sum, action, index) => {
            const existing = before[index];
            return (
              sum +
              writeUnits(
                Math.max(existing ? itemSize(existing) : 0, action.action.Item ? itemSize(action.action.Item) : 0),
              )
            );
          }, 0)
        : 0;
      return { response, units: { read: 0, write } };
    }
    const after = await this.getItems(actions);
    let write = 0;
    for (const [index, { kind, table }] of actions.entries()) {
      if (kind === 'ConditionCheck') {
        write += 2 * writeUnits(before[index] ? itemSize(before[index] as AttributeMap) : 0);
        continue;
      }
      const units = itemWriteUnits(table, before[index], after[index]);
      write += 2 * units.table + units.indexes;
    }
    return { response, units: { read: 0, write } };
  }

  /**
   * Query and Scan bill the size of every item read (before any filter), rounded up to 4 KB once per call: the items
   * returned are those read unless a filter, a projection or a count hides some, when DynamoDB Local's own figure
   * (the same rule, applied to what it read) is used.
   */
  private async queryOrScan(input: Request, forward: () => Promise<HttpResponse>) {
    const consistency: ReadConsistency = input.ConsistentRead === true ? 'strong' : 'eventual';
    const hidden =
      input.FilterExpression !== undefined ||
      input.ProjectionExpression !== undefined ||
      (input.Select !== undefined && input.Select !== 'ALL_ATTRIBUTES');
    if (!hidden) {
      const response = await forward();
      if (response.statusCode !== 200) return { response, units: { read: 0, write: 0 } };
      const items = (bodyOf(response).Items ?? []) as AttributeMap[];
      const bytes = items.reduce((sum, item) => sum + itemSize(item), 0);
      return { response, units: { read: readUnits(bytes, consistency), write: 0 } };
    }
    const asked = input.ReturnConsumedCapacity;
    const result = await this.send(`DynamoDB_20120810.${input.KeyConditionExpression ? 'Query' : 'Scan'}`, {
      ...input,
      ReturnConsumedCapacity: 'TOTAL',
    });
    const { ConsumedCapacity, ...rest } = result.body as { ConsumedCapacity?: { CapacityUnits?: number } };
    const body = asked === undefined || asked === 'NONE' ? rest : result.body;
    return {
      response: jsonResponse(result.status, body),
      units: { read: result.status === 200 ? (ConsumedCapacity?.CapacityUnits ?? 0) : 0, write: 0 },
    };
  }

  private async getItem(tableName: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    const result = await this.send('DynamoDB_20120810.GetItem', {
      TableName: tableName,
      Key: key,
      ConsistentRead: true,
    });
    return result.body.Item as AttributeMap | undefined;
  }

  /** The current items at these keys (undefined where none), in order, by BatchGetItem. */
  private async getItems(
    targets: ReadonlyArray<{ table: TableDefinition; key: AttributeMap }>,
  ): Promise<Array<AttributeMap | undefined>> {
    const found = new Map<string, AttributeMap>();
    const unique = [...new Map(targets.map((target) => [identity(target.table.name, target.key), target])).values()];
    for (let start = 0; start < unique.length; start += 100) {
      let requestItems: Record<string, { Keys: AttributeMap[]; ConsistentRead: true }> = {};
      for (const { table, key } of unique.slice(start, start + 100)) {
        requestItems[table.name] ??= { Keys: [], ConsistentRead: true };
        requestItems[table.name]?.Keys.push(key);
      }
      while (Object.keys(requestItems).length > 0) {
        const result = await this.send('DynamoDB_20120810.BatchGetItem', { RequestItems: requestItems });
        for (const [tableName, items] of Object.entries(
          (result.body.Responses ?? {}) as Record<string, AttributeMap[]>,
        )) {
          const table = this.tables.get(tableName) as TableDefinition;
          for (const item of items) found.set(identity(tableName, keyOf(table, item)), item);
        }
        requestItems = (result.body.UnprocessedKeys ?? {}) as typeof requestItems;
      }
    }
    return targets.map((target) => found.get(identity(target.table.name, target.key)));
  }

  private readonly send: Send = async (target, body) => {
    const response = await fetch(this.dynamoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': target,
        // DynamoDB Local reads the key id and region (its database, unless -sharedDb) and does not check the signature.
        authorization: `AWS4-HMAC-SHA256 Credential=${localCredentials.accessKeyId}/20240101/${this.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Request };
  };

  private async forward(request: HttpRequest): Promise<HttpResponse> {
    const headers = request.headers.filter(([name]) => !hopByHop.has(name.toLowerCase()));
    const response = await fetch(this.dynamoEndpoint, {
      method: request.method,
      headers,
      body: request.body.length > 0 ? new Uint8Array(request.body) : undefined,
    });
    return {
      statusCode: response.status,
      headers: [...response.headers].filter(([name]) => !hopByHop.has(name)),
      body: Buffer.from(await response.arrayBuffer()),
    };
  }
}

const hopByHop = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'content-encoding',
  'keep-alive',
]);

function identity(tableName: string, key: AttributeMap | undefined): string {
  return `${tableName}\u0000${JSON.stringify(Object.entries(key ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}

function bodyOf(response: HttpResponse): Request {
  return response.body.length > 0 ? (JSON.parse(response.body.toString('utf8')) as Request) : {};
}

function errorTypeOf(response: HttpResponse): string {
  const type = String(bodyOf(response).__type ?? '');
  return type.slice(type.lastIndexOf('#') + 1);
}

function jsonResponse(status: number, body: Request): HttpResponse {
  return {
    statusCode: status,
    headers: [['content-type', 'application/x-amz-json-1.0']],
    body: Buffer.from(JSON.stringify(body)),
  };
}
