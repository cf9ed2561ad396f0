/**
 * Reliability figures (issue 13): N responses (30 % posted twice, 5 % changed later, 1 % poison) through the local
 * runtime while every function fails 10 % of the time in each fault mode (before, after, sdk, timeout); then faults
 * cleared, every dead-letter queue redriven. Prints whether the metrics are exact, what was lost, duplicate e-mails
 * and Slack posts, the dead-letter queues before and after the redrive and the time to settle; ends with the line
 * `reliability: exact=<yes|no> lost=<n> duplicate-sends=<n> dlq-after-redrive=<n>`.
 *
 * Usage: npm run bench:reliability [-- --responses 10000 --fault-rate 0.1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { synthesizeApp } from '@cxloop/infra';
import { startLocalRuntime } from '@cxloop/local-runtime';
import { reportLines, runReliabilityDrill } from '../support/reliability-drill';

const { values } = parseArgs({
  options: {
    responses: { type: 'string', default: '10000' },
    'fault-rate': { type: 'string', default: '0.1' },
  },
});
const adminKey = 'bench-admin-key-0123456789abcdefghijkl';
const log = (line: string) => process.stdout.write(`${line}\n`);
// Failures once the faults are cleared are real: the bench names them. Before, it counts the record failures by
// function and error, to show where the injected faults strike.
const realFailures = new Map<string, number>();
const recordFailures = new Map<string, number>();
let faultsCleared = false;
const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const runtimeLog = (line: string) => {
  if (faultsCleared && line.includes('Invoke Error')) tally(realFailures, line.replace(/ERROR [0-9a-f-]{36} /, ''));
  const recordFailed = /^\[([^\]]+)\] (\{.*"Record failed".*\})$/.exec(line);
  if (!recordFailed) return;
  const { error } = JSON.parse(recordFailed[2] ?? '{}') as { error?: { name?: string; message?: string } };
  const fn = (recordFailed[1] ?? '').replace(/^Cxloop-/, '').replace(/[0-9A-Z]{8,}$/, '');
  tally(faultsCleared ? realFailures : recordFailures, `${fn}: ${error?.name}: ${error?.message?.slice(0, 120)}`);
};

const outdir = mkdtempSync(join(tmpdir(), 'cxloop-bench-reliability-'));
const synthesized = await synthesizeApp({ outdir: join(outdir, 'cdk.out') });
const runtime = await startLocalRuntime({
  assemblyDir: synthesized.assemblyDir,
  port: 0,
  secretValues: { [synthesized.adminKeySecretLogicalId]: adminKey },
  // Visibility timeouts, retry delays and batching windows at a fiftieth: redeliveries within a second or two.
  timeScale: 0.02,
  log: runtimeLog,
});
try {
  const report = await runReliabilityDrill(runtime, adminKey, {
    responses: Number(values.responses),
    duplicateShare: 0.3,
    revisionShare: 0.05,
    poisonShare: 0.01,
    faultRate: Number(values['fault-rate']),
    idleTimeoutMs: 3_600_000,
    log,
    onFaultsCleared: () => {
      faultsCleared = true;
    },
  });
  for (const [failure, count] of [...recordFailures].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    log(`record failures under faults (${count}×): ${failure}`);
  }
  for (const [failure, count] of realFailures) log(`failed after the faults were cleared (${count}×): ${failure}`);
  for (const line of reportLines(report)) log(line);
} finally {
  await runtime.stop();
  rmSync(outdir, { recursive: true, force: true });
}
