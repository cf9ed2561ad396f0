import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWalkthrough, walkthroughSteps } from './walkthrough';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** A README-like document whose walk-through needs nothing but bash. */
const document = `# Try it

\`\`\`sh
echo "an ordinary block: not part of the walk-through"
\`\`\`

\`\`\`sh walkthrough
GREETING=$(printf '{"greeting":"hello"}' | node -pe 'JSON.parse(fs.readFileSync(0)).greeting')
echo "$GREETING, world"
# shows: hello, world
\`\`\`

Then:

\`\`\`sh walkthrough
echo "{\\"status\\":\\"resolved\\",\\"said\\":\\"$GREETING\\"}"
# shows: "status":"resolved"
# shows: "said":"hello"
\`\`\`
`;

describe('the README walk-through extractor', () => {
  it('finds the blocks marked walkthrough, in order, with their lines and what each shows', () => {
    const steps = walkthroughSteps(document);
    expect(steps.map((step) => ({ line: step.line, shows: step.shows }))).toEqual([
      { line: 7, shows: ['hello, world'] },
      { line: 15, shows: ['"status":"resolved"', '"said":"hello"'] },
    ]);
  });

  it('finds the README’s own walk-through: demo, answer, figures, case, resolution, closed-loop figures', () => {
    const steps = walkthroughSteps(readme);
    const script = steps.map((step) => step.script).join('\n');
    for (const command of [
      '/demo?survey=',
      '/responses',
      '/v1/metrics',
      '"action":"resolve"',
      '/v1/followup-metrics',
    ]) {
      expect(script).toContain(command);
    }
    expect(steps.every((step) => step.shows.length > 0)).toBe(true);
  });

  it('passes when every step shows what it says, carrying variables from step to step', async () => {
    let settled = 0;
    const results = await runWalkthrough(walkthroughSteps(document), {
      between: async () => {
        settled++;
      },
    });
    expect(results.map((result) => result.problems)).toEqual([[], []]);
    expect(settled).toBe(2);
  });

  it('fails, naming the step, when a copy of the document has a wrong command', async () => {
    const broken = document.replace('echo "$GREETING, world"', 'echo "$GREETNG, world"');
    const results = await runWalkthrough(walkthroughSteps(broken));
    expect(results).toHaveLength(1);
    expect(results[0]?.step.line).toBe(7);
    expect(results[0]?.problems).toEqual(['does not show "hello, world"']);

    const failing = document.replace('node -pe', 'node --no-such-flag -pe');
    const [first] = await runWalkthrough(walkthroughSteps(failing));
    expect(first?.problems[0]).toMatch(/^exited with status [1-9]/);
  });

  it('fails when a command in a copy of the README is made wrong', async () => {
    // Only the HTTP boundary is stood in for: a `curl` that answers what POST /v1/surveys answers.
    const bin = mkdtempSync(join(tmpdir(), 'cxloop-curl-'));
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\necho '{"id":"srv_01TEST"}'\n`, { mode: 0o755 });
    const env = { KEY: 'test-key', PATH: `${bin}:${process.env.PATH}` };
    try {
      const [createSurvey] = walkthroughSteps(readme);
      expect((await runWalkthrough(createSurvey ? [createSurvey] : [], { env }))[0]?.problems).toEqual([]);
      const copy = readme.replace("fs.readFileSync(0)).id'", "fs.readFileSync(0)).surveyId'");
      const [wrong] = walkthroughSteps(copy);
      const [result] = await runWalkthrough(wrong ? [wrong] : [], { env });
      expect(result?.problems).toEqual(['does not show "demo page: http://localhost:3000/demo?survey=srv_"']);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
