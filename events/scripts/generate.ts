/**
 * Writes the JSON Schemas, examples and CATALOG.md generated from `allEvents`, and freezes the schema of every
 * version not yet published. `--check` writes nothing and exits 1 when a file is stale, missing or orphaned.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allEvents } from '@cxloop/events';
import { generatedDir, publishedDir, publishedSchemaPath, renderArtefacts, renderSchema } from './artefacts';

const eventsDir = fileURLToPath(new URL('..', import.meta.url));
const checkOnly = process.argv.includes('--check');

const readOrUndefined = (path: string): string | undefined =>
  existsSync(join(eventsDir, path)) ? readFileSync(join(eventsDir, path), 'utf8') : undefined;

const expected = renderArtefacts(allEvents);
const stale = [...expected].filter(([path, content]) => readOrUndefined(path) !== content).map(([path]) => path);
const orphans = existsSync(join(eventsDir, generatedDir))
  ? readdirSync(join(eventsDir, generatedDir))
      .map((name) => `${generatedDir}/${name}`)
      .filter((path) => !expected.has(path))
  : [];
const unfrozen = allEvents.filter((contract) => readOrUndefined(publishedSchemaPath(contract)) === undefined);

if (checkOnly) {
  const problems = [
    ...stale.map((path) => `stale: events/${path}`),
    ...orphans.map((path) => `orphan: events/${path}`),
    ...unfrozen.map((contract) => `not frozen: events/${publishedSchemaPath(contract)}`),
  ];
  if (problems.length > 0) {
    console.error(`Event artefacts are out of date; run \`npm run events:generate\`.\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log('Event artefacts are up to date.');
} else {
  mkdirSync(join(eventsDir, generatedDir), { recursive: true });
  for (const path of stale) writeFileSync(join(eventsDir, path), expected.get(path)!);
  for (const path of orphans) rmSync(join(eventsDir, path));
  mkdirSync(join(eventsDir, publishedDir), { recursive: true });
  for (const contract of unfrozen) {
    // 'wx' fails instead of overwriting: a published version is frozen for good.
    writeFileSync(join(eventsDir, publishedSchemaPath(contract)), renderSchema(contract), { flag: 'wx' });
  }
  const report = [
    ...stale.map((path) => `wrote events/${path}`),
    ...orphans.map((path) => `removed events/${path}`),
    ...unfrozen.map((contract) => `froze events/${publishedSchemaPath(contract)}`),
  ];
  console.log(report.length > 0 ? report.join('\n') : 'Event artefacts were already up to date.');
}
