import { readdirSync, readFileSync } from 'node:fs';
import { allEvents, contractId } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { eventJsonSchema, publishedDir, publishedSchemaPath } from '../scripts/artefacts';
import { findBreakingChanges } from '../scripts/compatibility';

const eventsDir = new URL('../', import.meta.url);
const publishedFiles = readdirSync(new URL(`${publishedDir}/`, eventsDir)).map((name) => `${publishedDir}/${name}`);

describe.each(allEvents.map((contract) => [contractId(contract), contract] as const))('%s', (id, contract) => {
  const path = publishedSchemaPath(contract);

  it('has a frozen published schema', () => {
    expect(publishedFiles, `events/${path} is missing: run \`npm run events:generate\` to freeze it`).toContain(path);
  });

  it.runIf(publishedFiles.includes(path))('is backward compatible with its frozen published schema', () => {
    const frozen = JSON.parse(readFileSync(new URL(path, eventsDir), 'utf8'));
    const changes = findBreakingChanges(frozen, eventJsonSchema(contract));
    const next = `${contract.detailType} version ${contract.version + 1}`;
    expect(
      changes.map((change) => `${change.path}: ${change.message}`),
      `${id} breaks consumers of events/${path}. Do not edit a published version: ship the change as ${next} ` +
        `(a new defineEvent in allEvents) and keep version ${contract.version} until no consumer needs it.`,
    ).toEqual([]);
  });
});

it('keeps a contract for every frozen published schema', () => {
  const contracted = new Set(allEvents.map(publishedSchemaPath));
  const retired = publishedFiles.filter((path) => !contracted.has(path));
  expect(
    retired,
    'a published version lost its contract: restore it in allEvents, or retire the version on purpose by deleting ' +
      'its frozen schema once no consumer needs it',
  ).toEqual([]);
});
