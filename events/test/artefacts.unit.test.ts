import { readdirSync, readFileSync } from 'node:fs';
import { allEvents, contractId, eventBridgeEventSchema } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { examplePath, generatedDir, renderArtefacts, schemaPath } from '../scripts/artefacts';

const eventsDir = new URL('../', import.meta.url);
const readCommitted = (path: string): string | undefined => {
  try {
    return readFileSync(new URL(path, eventsDir), 'utf8');
  } catch {
    return undefined;
  }
};
const expected = renderArtefacts(allEvents);

describe('generated artefacts', () => {
  it.each([...expected.keys()])('events/%s is up to date', (path) => {
    expect(readCommitted(path), `events/${path} is stale: run \`npm run events:generate\``).toBe(expected.get(path));
  });

  it('has no orphan files in events/generated', () => {
    const orphans = readdirSync(new URL(`${generatedDir}/`, eventsDir))
      .map((name) => `${generatedDir}/${name}`)
      .filter((path) => !expected.has(path));
    expect(orphans, 'orphan generated files: run `npm run events:generate` to remove them').toEqual([]);
  });

  it('renders byte-identical output every time', () => {
    expect(renderArtefacts(allEvents)).toEqual(renderArtefacts(allEvents));
  });
});

describe.each(allEvents.map((contract) => [contractId(contract), contract] as const))('%s example', (_, contract) => {
  it('is valid data for the contract', () => {
    expect(contract.dataSchema.safeParse(contract.example).error).toBeUndefined();
  });

  it('is a complete EventBridge event that the consumer schema parses', () => {
    const event = JSON.parse(readCommitted(examplePath(contract)) ?? 'null');
    expect(eventBridgeEventSchema(contract).safeParse(event).error).toBeUndefined();
    expect(contract.detailSchema.safeParse(event.detail).error).toBeUndefined();
  });

  it('carries the source and detail-type that its JSON Schema requires', () => {
    const event = JSON.parse(readCommitted(examplePath(contract)) ?? 'null');
    const schema = JSON.parse(readCommitted(schemaPath(contract)) ?? 'null');
    expect(schema.required).toEqual(expect.arrayContaining(['source', 'detail-type', 'detail']));
    expect(event.source).toBe(schema.properties.source.const);
    expect(event['detail-type']).toBe(schema.properties['detail-type'].const);
    expect(event.detail.metadata.schemaVersion).toBe(contract.version);
  });
});
