import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReliabilityDrill } from '../support/reliability-drill';
import { startTestRuntime, TEST_ADMIN_KEY, type TestRuntime } from '../support/runtime';

/**
 * `npm run bench:reliability` in small: every function fails 10 % of its invocations in each fault mode (before, after,
 * sdk, timeout) while answers arrive, some twice, some changed later, two of them poison; once the faults are cleared
 * and every dead-letter queue redriven, the metrics count each final revision once and no e-mail or Slack post went
 * out twice.
 */
describe('reliability drill: faults at any point, duplicates, revisions and poison', () => {
  let system: TestRuntime;

  beforeAll(async () => {
    system = await startTestRuntime();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('ends exact, with nothing lost, nothing sent twice and every dead-letter queue empty', async () => {
    const report = await runReliabilityDrill(system.runtime, TEST_ADMIN_KEY, {
      responses: 100,
      duplicateShare: 0.3,
      revisionShare: 0.05,
      poisonShare: 0.02,
      faultRate: 0.1,
      idleTimeoutMs: 120_000,
      log: () => {},
    });
    expect(report.counted).toEqual(report.expected);
    expect(report, JSON.stringify(report.leftByQueue)).toMatchObject({
      exact: true,
      lost: 0,
      duplicateSends: 0,
      dlqAfterRedrive: 0,
    });
    expect(report.expected.responses).toBe(100);
    expect(report.deadLettered.poison).toBeGreaterThanOrEqual(2);
  }, 240_000);
});
