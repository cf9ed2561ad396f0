import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

/** A fenced block of the README opened with ```sh walkthrough: the commands and what their output shows. */
export interface WalkthroughStep {
  /** 1-based line of the opening fence. */
  line: number;
  script: string;
  /** The `# shows: <text>` lines: each text must appear in what the step prints. */
  shows: string[];
}

export interface StepResult {
  step: WalkthroughStep;
  output: string;
  /** Why the step failed (exit status, missing text), empty when it passed. */
  problems: string[];
}

const fence = /^```sh walkthrough\s*$/;
const showsLine = /^\s*# shows: (.+)$/;

/** The walk-through's steps, in order. */
export function walkthroughSteps(markdown: string): WalkthroughStep[] {
  const lines = markdown.split('\n');
  const steps: WalkthroughStep[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!fence.test(lines[index] ?? '')) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] ?? '').startsWith('```'); index++)
      body.push(lines[index] ?? '');
    if (index === lines.length) throw new Error(`The walk-through block at line ${start + 1} is not closed`);
    const shows = body.flatMap((text) => showsLine.exec(text)?.[1]?.trim() ?? []);
    steps.push({ line: start + 1, script: body.join('\n'), shows });
  }
  return steps;
}

/** What is wrong with a step's output: every text it says it shows, and a zero exit status. */
export function stepProblems(step: WalkthroughStep, output: string, status: number | undefined): string[] {
  return [
    ...(status === 0 ? [] : [status === undefined ? 'did not finish' : `exited with status ${status}`]),
    ...step.shows.filter((text) => !output.includes(text)).map((text) => `does not show ${JSON.stringify(text)}`),
  ];
}

/**
 * Runs the steps in one bash (`set -eo pipefail`, so variables carry from step to step and a failing command stops
 * it), calling `between` after each step before the next starts (e.g. to let asynchronous processing settle).
 * Stops at the first step with a problem.
 */
export async function runWalkthrough(
  steps: WalkthroughStep[],
  options: { env?: Record<string, string>; between?: () => Promise<void>; stepTimeoutMs?: number } = {},
): Promise<StepResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-walkthrough-'));
  const marker = `@@cxloop-step-${process.pid}`;
  const file = join(dir, 'walkthrough.sh');
  // Each step ends by printing a marker and waiting on fd 3 for the go-ahead; stdin stays free for the commands.
  writeFileSync(
    file,
    ['set -eo pipefail', ...steps.flatMap((step) => [step.script, `echo; echo "${marker}"; read -r -u 3 _`])].join(
      '\n',
    ),
  );
  const child = spawn('bash', [file], {
    cwd: dir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const goAhead = child.stdio[3] as Writable;
  // bash closes fd 3 when it stops, in the middle of a step when one fails: nothing to report beyond that step.
  goAhead.on('error', () => {});
  let buffer = '';
  let wake: (() => void) | undefined;
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    wake?.();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exitStatus: number | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('close', (code) => {
      exitStatus = code ?? 1;
      resolve();
    }),
  );
  exited.then(() => wake?.());

  const results: StepResult[] = [];
  try {
    for (const step of steps) {
      const deadline = Date.now() + (options.stepTimeoutMs ?? 30_000);
      while (!buffer.includes(`${marker}\n`) && exitStatus === undefined && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
      }
      const at = buffer.indexOf(`${marker}\n`);
      const finished = at >= 0;
      const output = finished ? buffer.slice(0, at) : buffer;
      buffer = finished ? buffer.slice(at + marker.length + 1) : '';
      const problems = stepProblems(step, output, finished ? 0 : exitStatus);
      results.push({ step, output, problems });
      if (problems.length > 0) break;
      await options.between?.();
      goAhead.write('\n');
    }
  } finally {
    child.kill();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
