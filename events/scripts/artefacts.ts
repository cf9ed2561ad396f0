import { createHash } from 'node:crypto';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { contractId, type EventContract, publisherOf } from '@cxloop/events';
import { z } from 'zod';

/** Paths below are relative to the `events/` folder. */
export const generatedDir = 'generated';
export const publishedDir = 'published';
export const catalogPath = 'CATALOG.md';

export const schemaFileName = (contract: EventContract): string => `${contractId(contract)}.schema.json`;
export const exampleFileName = (contract: EventContract): string => `${contractId(contract)}.example.json`;
export const schemaPath = (contract: EventContract): string => `${generatedDir}/${schemaFileName(contract)}`;
export const examplePath = (contract: EventContract): string => `${generatedDir}/${exampleFileName(contract)}`;
export const publishedSchemaPath = (contract: EventContract): string => `${publishedDir}/${schemaFileName(contract)}`;

/** The whole EventBridge event as a consumer receives it, with `detail` parsed by the contract's envelope. */
export function eventBridgeEventSchema(contract: EventContract) {
  return EventBridgeSchema.extend({
    source: z.literal(contract.source),
    'detail-type': z.literal(contract.detailType),
    detail: contract.detailSchema,
  }).meta({ title: contractId(contract), description: contract.description });
}

/**
 * JSON Schema of what a consumer must accept, so `io: 'input'`: consumers parse with `detailSchema`, which accepts
 * its input shape — fields with a default may be absent (an older producer, a replay from the archive). The output
 * shape would also mark every plain `z.object` as `additionalProperties: false` (zod strips unknown keys on output),
 * so a consumer validating with it would reject the additive optional fields that versioning promises are safe.
 */
export function eventJsonSchema(contract: EventContract): z.core.JSONSchema.JSONSchema {
  return z.toJSONSchema(eventBridgeEventSchema(contract), { io: 'input' });
}

const exampleTime = '2026-11-20T09:15:01Z';

/** Distinct per contract, because consumers de-duplicate on these ids and examples may be replayed together. */
function exampleUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A complete, deterministic EventBridge event whose detail is the contract's example parsed by its envelope. */
export function exampleEvent(contract: EventContract): z.output<ReturnType<typeof eventBridgeEventSchema>> {
  const id = contractId(contract);
  const detail = contract.detailSchema.parse({
    metadata: {
      eventId: exampleUuid(`${id}#event`),
      schemaVersion: contract.version,
      occurredAt: exampleTime,
      correlationId: exampleUuid(`${id}#correlation`),
    },
    data: contract.example,
  });
  return eventBridgeEventSchema(contract).parse({
    version: '0',
    id: exampleUuid(`${id}#eventbridge`),
    'detail-type': contract.detailType,
    source: contract.source,
    account: '123456789012',
    time: exampleTime,
    region: 'eu-west-1',
    resources: [],
    detail,
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, child]) => [key, sortKeys(child)]),
    );
  }
  return value;
}

/** Keys sorted so the files depend only on the schema's meaning, not on the order a library emits keywords in. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

export const renderSchema = (contract: EventContract): string => canonicalJson(eventJsonSchema(contract));
export const renderExample = (contract: EventContract): string => canonicalJson(exampleEvent(contract));

function tableCell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}

function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function flowchart(contracts: readonly EventContract[]): string[] {
  const services = [...new Set(contracts.flatMap((c) => [publisherOf(c), ...c.consumers]))].sort();
  const lines = ['flowchart LR'];
  for (const service of services) lines.push(`  ${nodeId('svc', service)}([${service}])`);
  for (const contract of contracts) {
    const event = nodeId('evt', contractId(contract));
    lines.push(`  ${event}[/"${contract.detailType} v${contract.version}"/]`);
    lines.push(`  ${nodeId('svc', publisherOf(contract))} --> ${event}`);
    for (const consumer of contract.consumers) lines.push(`  ${event} --> ${nodeId('svc', consumer)}`);
  }
  return lines;
}

export function renderCatalog(contracts: readonly EventContract[]): string {
  const rows = contracts.map((c) =>
    [
      `\`${c.detailType}\``,
      String(c.version),
      c.source,
      publisherOf(c),
      c.consumers.length > 0 ? c.consumers.join(', ') : '—',
      tableCell(c.description),
      `[schema](${schemaPath(c)}) · [example](${examplePath(c)}) · [frozen](${publishedSchemaPath(c)})`,
    ].join(' | '),
  );
  return [
    '# Event catalog',
    '',
    '<!-- Generated by `npm run events:generate` from events/src; do not edit by hand. -->',
    '',
    'Every event on the cxloop bus. Each `detail` is the envelope `{ metadata, data }`; see [README](README.md).',
    '',
    '| Event | Version | Source | Publisher | Consumers | Description | Files |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
    '',
    '## Flow',
    '',
    '```mermaid',
    ...flowchart(contracts),
    '```',
    '',
  ].join('\n');
}

/** Every file the generator owns (generated schemas and examples, and the catalog), by path, rendered in memory. */
export function renderArtefacts(contracts: readonly EventContract[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const contract of contracts) {
    files.set(schemaPath(contract), renderSchema(contract));
    files.set(examplePath(contract), renderExample(contract));
  }
  files.set(catalogPath, renderCatalog(contracts));
  return files;
}
