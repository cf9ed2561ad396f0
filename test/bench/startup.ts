/**
 * Measures how long the local runtime takes to start: synthesis (with bundling), then the runtime itself
 * (DynamoDB Local, tables, workers, HTTP server), until the first admin request answers.
 * Usage: npm run bench:startup
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeApp } from '@cxloop/infra';
import { startLocalRuntime } from '@cxloop/local-runtime';

const adminKey = 'bench-admin-key-0123456789abcdefghijkl';
const outdir = mkdtempSync(join(tmpdir(), 'cxloop-bench-'));
const t0 = performance.now();
const synthesized = await synthesizeApp({ outdir });
const t1 = performance.now();
const runtime = await startLocalRuntime({
  assemblyDir: synthesized.assemblyDir,
  port: 0,
  secretValues: { [synthesized.adminKeySecretLogicalId]: adminKey },
  log: () => {},
});
const t2 = performance.now();
const response = await fetch(`${runtime.url}/v1/surveys`, { headers: { authorization: `Bearer ${adminKey}` } });
const t3 = performance.now();
await runtime.stop();
rmSync(outdir, { recursive: true, force: true });

console.table({
  'synth (with bundling)': { seconds: +((t1 - t0) / 1000).toFixed(2) },
  'runtime start': { seconds: +((t2 - t1) / 1000).toFixed(2) },
  [`first admin request (${response.status}, cold functions)`]: { seconds: +((t3 - t2) / 1000).toFixed(2) },
  total: { seconds: +((t3 - t0) / 1000).toFixed(2) },
});
