/**
 * Prints the size of every Lambda bundle in the synthesized app (minified ESM, as deployed) and its gzipped size.
 * Usage: npm run bench:bundles
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { synthesizeApp } from '@cxloop/infra';

const outdir = mkdtempSync(join(tmpdir(), 'cxloop-bench-'));
const started = performance.now();
const { assemblyDir, stackName } = await synthesizeApp({ outdir });
const synthSeconds = (performance.now() - started) / 1000;

const template = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.template.json`), 'utf8')) as {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: { Runtime?: string } }>;
};
const rows = Object.values(template.Resources)
  // Our functions only: CDK's own handlers (the dashboard deployment's Python one) are not bundled by us.
  .filter(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      resource.Properties?.Runtime?.startsWith('nodejs') &&
      resource.Metadata?.['aws:asset:path'],
  )
  .map((resource) => {
    const file = join(assemblyDir, resource.Metadata!['aws:asset:path']!, 'index.mjs');
    const code = readFileSync(file);
    return {
      function: resource.Metadata!['aws:cdk:path']!.split('/').slice(1, -1).join('/'),
      minifiedKB: +(statSync(file).size / 1024).toFixed(1),
      gzippedKB: +(gzipSync(code).length / 1024).toFixed(1),
    };
  });
console.table(rows);
console.log(`synth with bundling: ${synthSeconds.toFixed(1)} s`);
rmSync(outdir, { recursive: true, force: true });
