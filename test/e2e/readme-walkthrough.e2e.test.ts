import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, TEST_ADMIN_KEY, type TestRuntime } from '../support/runtime';
import { runWalkthrough, walkthroughSteps } from '../support/walkthrough';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README walk-through, run as written against the local runtime', () => {
  let system: TestRuntime;

  beforeAll(async () => {
    system = await startTestRuntime();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('does what each step says it shows', async () => {
    // The README's runtime is on localhost:3000; this one is on a free port.
    const steps = walkthroughSteps(readme.replaceAll('http://localhost:3000', system.runtime.url));
    expect(steps.length).toBeGreaterThanOrEqual(5);
    const results = await runWalkthrough(steps, {
      env: { KEY: TEST_ADMIN_KEY },
      between: () => system.runtime.idle(30_000),
    });
    const report = results.map(
      ({ step, output, problems }) =>
        `README.md:${step.line} ${problems.length === 0 ? 'ok' : problems.join('; ')}\n${output.trim()}`,
    );
    expect(
      results.every((result) => result.problems.length === 0) && results.length === steps.length,
      report.join('\n\n'),
    ).toBe(true);
  });
});
