/**
 * Builds the dashboard into a folder of static files: `index.html`, `app.js` (one minified ES module, Chart.js
 * included), `app.css`, `favicon.svg`, and `api.html`, the API reference rendered from the OpenAPI document. Synchronous, so that CDK's local bundling (infra/lib/dashboard.ts) can call it
 * during synthesis; `npm run build:dashboard` builds `packages/dashboard/dist/` and prints the sizes.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import openApiDocument from '../../services/collection/generated/openapi.json';
import { apiDocsPage } from './api-docs';

export const dashboardRoot = fileURLToPath(new URL('.', import.meta.url));
export const defaultOutdir = join(dashboardRoot, 'dist');

/** Browsers the bundle targets: the last two years of evergreen releases. */
const targets = ['es2022', 'chrome110', 'firefox115', 'safari16'];

export interface BuiltFile {
  name: string;
  bytes: number;
  gzipBytes: number;
}

export interface DashboardBuild {
  outdir: string;
  files: BuiltFile[];
  /** What Chart.js (and its colour helper) adds to app.js, minified. */
  chartJsBytes: number;
}

const gzipped = (content: Buffer) => gzipSync(content, { level: 9 }).length;

export function buildDashboard(outdir: string = defaultOutdir): DashboardBuild {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = buildSync({
    entryPoints: [
      { in: join(dashboardRoot, 'src/main.ts'), out: 'app' },
      { in: join(dashboardRoot, 'src/styles.css'), out: 'app' },
    ],
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: targets,
    charset: 'utf8',
    // Chart.js is MIT-licensed: its licence comment stays, at the end of the file.
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'favicon.svg']) {
    copyFileSync(join(dashboardRoot, 'src/static', file), join(outdir, file));
  }
  writeFileSync(join(outdir, 'api.html'), apiDocsPage(openApiDocument));
  const appOutput = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('app.js'))?.[1];
  const chartJsBytes = Object.entries(appOutput?.inputs ?? {})
    .filter(([path]) => /node_modules\/(chart\.js|@kurkle)\//.test(path))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const files = ['index.html', 'app.js', 'app.css', 'favicon.svg', 'api.html'].map((name) => {
    const content = readFileSync(join(outdir, name));
    return { name, bytes: content.length, gzipBytes: gzipped(content) };
  });
  return { outdir, files, chartJsBytes };
}

/** The sizes as a table: what a first visit downloads (raw and gzipped). */
export function sizeReport(build: DashboardBuild): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = build.files.map(
    (file) => `  ${file.name.padEnd(12)} ${kb(file.bytes).padStart(10)} ${kb(file.gzipBytes).padStart(10)}`,
  );
  const total = build.files.reduce((sum, file) => ({ raw: sum.raw + file.bytes, gzip: sum.gzip + file.gzipBytes }), {
    raw: 0,
    gzip: 0,
  });
  return [
    `dashboard built in ${build.outdir}`,
    `  ${'file'.padEnd(12)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}`,
    ...rows,
    `  ${'total'.padEnd(12)} ${kb(total.raw).padStart(10)} ${kb(total.gzip).padStart(10)}`,
    `  of app.js, Chart.js (tree-shaken: line, bar, filler, tooltip, legend): ${kb(build.chartJsBytes)} raw`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(sizeReport(buildDashboard(process.argv[2] ?? defaultOutdir)));
}
