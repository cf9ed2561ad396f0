/**
 * Prints the size of every Lambda bundle in the synthesized app (minified ESM, as deployed), gzipped, what its asset
 * carries beside it (modules required on first use) and whether it bundles the categoriser; then the categoriser's
 * cold start against a hello-world bundle with the same AWS SDK clients.
 * Usage: npm run bench:bundles [-- --runs=9]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { synthesizeApp } from '@cxloop/infra';
import { defineEnvironment } from '@cxloop/lambda-kit/config';
import { assetWorkDir, bundleFunction, readFunctionAsset } from '../../infra/test/support/function-asset';

const runs = Number(/^--runs=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 9);
/** A module only the categoriser's domain has: a bundle with it carries the categoriser. */
const CATEGORISER_MODULE = 'services/categorisation/src/domain/categorise.ts';

const outdir = assetWorkDir('cxloop-bench-');
const started = performance.now();
const { assemblyDir, stackName } = await synthesizeApp({ outdir });
const synthSeconds = (performance.now() - started) / 1000;

const template = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.template.json`), 'utf8')) as {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: { Runtime?: string } }>;
};
const functions = Object.values(template.Resources)
  // Our functions only: CDK's own handlers (the dashboard deployment's Python one) are not bundled by us.
  .filter(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      resource.Properties?.Runtime?.startsWith('nodejs') &&
      resource.Metadata?.['aws:asset:path'],
  )
  .map((resource) => ({
    name: resource.Metadata!['aws:cdk:path']!.split('/').slice(1, -1).join('/'),
    asset: readFunctionAsset(join(assemblyDir, resource.Metadata!['aws:asset:path']!)),
  }));
const kb = (bytes: number) => +(bytes / 1024).toFixed(1);
console.table(
  functions.map(({ name, asset }) => {
    const meta = readFileSync(join(asset.dir, 'index.meta.json'), 'utf8');
    return {
      function: name,
      minifiedKB: kb(statSync(asset.indexFile).size),
      gzippedKB: kb(gzipSync(readFileSync(asset.indexFile)).length),
      besideKB: kb([...asset.besideFiles.values()].reduce((sum, size) => sum + size, 0)),
      categoriser: meta.includes(CATEGORISER_MODULE) ? 'yes' : 'no',
    };
  }),
);
console.log(`synth with bundling: ${synthSeconds.toFixed(1)} s`);

const categoriser = functions.find(({ name }) => name === 'Categorisation/Categoriser')!.asset;
const hello = bundleFunction({
  entry: 'test/bench/hello-handler.ts',
  reads: defineEnvironment({}),
  environment: {},
  outdir: join(outdir, 'hello'),
});

/**
 * A fresh process's `import(file)`, the handler's init included: wall milliseconds, and the CPU milliseconds the
 * process spent meanwhile (steadier than wall time on a shared machine).
 */
function coldImport(file: string): { wallMs: number; cpuMs: number } {
  const probe =
    `const t = performance.now(), c = process.cpuUsage(); await import(${JSON.stringify(file)}); ` +
    'const used = process.cpuUsage(c); ' +
    'process.stdout.write(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 }));';
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    env: { ...process.env, TABLE_NAME: 'categorisation', EVENT_BUS_NAME: 'cxloop', AWS_REGION: 'eu-west-1' },
    encoding: 'utf8',
    // The SDK's warning about Node versions is not what this measures.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(output) as { wallMs: number; cpuMs: number };
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const samples = {
  categoriser: [] as { wallMs: number; cpuMs: number }[],
  hello: [] as { wallMs: number; cpuMs: number }[],
};
// Alternating, so that a busy moment of a shared machine weighs on both.
for (let run = 0; run < runs; run++) {
  samples.hello.push(coldImport(hello.indexFile));
  samples.categoriser.push(coldImport(categoriser.indexFile));
}
const figures = (key: 'wallMs' | 'cpuMs') => {
  const categoriserMs = median(samples.categoriser.map((sample) => sample[key]));
  const helloMs = median(samples.hello.map((sample) => sample[key]));
  return `${categoriserMs.toFixed(1)} ms vs ${helloMs.toFixed(1)} ms = ${(categoriserMs / helloMs).toFixed(2)}×`;
};
console.log(
  `cold start (a fresh node process imports index.mjs; the Categoriser's init compiles the default taxonomy and ` +
    `categorises one Russian and one English text), Categoriser vs hello world with the same SDK clients, median of ` +
    `${runs}: wall ${figures('wallMs')}, CPU ${figures('cpuMs')} [target ≤ 1.5×]`,
);
rmSync(outdir, { recursive: true, force: true });
