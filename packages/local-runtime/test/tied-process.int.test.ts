import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTied, type Tie } from '../src/tied-process';

const parentScript = fileURLToPath(new URL('./fixture/tied-parent.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const setprivWorks = spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true']).status === 0;
const started: ChildProcess[] = [];

/** PIDs of the processes whose command line contains `pattern` (a watchdog and its command both do). */
const pidsMatching = (pattern: string) =>
  spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line.trim() !== '');

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** Runs the fixture parent, waits for its first line of output, and returns it. */
async function startParent(args: string[]): Promise<{ parent: ChildProcess; line: string }> {
  // tsx as a loader, not its CLI: the CLI would run the script in a grandchild, which the SIGKILL would not reach.
  const parent = spawn(process.execPath, ['--import', 'tsx', parentScript, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(parent);
  let output = '';
  for await (const chunk of parent.stdout!) {
    output += chunk;
    if (output.includes('\n')) break;
  }
  return { parent, line: output.trim() };
}

afterEach(() => {
  for (const parent of started.splice(0)) parent.kill('SIGKILL');
});

describe('a tied child process', () => {
  it('DynamoDB Local dies within seconds when the process that launched it is SIGKILLed', async () => {
    const { parent, line: endpoint } = await startParent(['dynamodb']);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const jvm = `DynamoDBLocal.jar -port ${new URL(endpoint).port} `;
    expect(pidsMatching(jvm)).toHaveLength(1);
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    expect(await eventually(() => pidsMatching(jvm).length === 0, 5_000)).toBe(true);
    await expect(fetch(endpoint)).rejects.toThrow();
  }, 90_000);

  const ties: Tie[] = setprivWorks ? ['pdeathsig', 'watchdog'] : ['watchdog'];
  for (const tie of ties) {
    it(`under the ${tie} tie, dies when its parent is SIGKILLed`, async () => {
      const marker = `cxloop-tied-${randomUUID()}`;
      const { parent, line } = await startParent(['command', tie, marker]);
      expect(line).toBe('started');
      expect(await eventually(() => pidsMatching(marker).length > 0, 5_000)).toBe(true);
      parent.kill('SIGKILL');
      await once(parent, 'exit');
      expect(await eventually(() => pidsMatching(marker).length === 0, 5_000)).toBe(true);
    });

    it(`under the ${tie} tie, stops on SIGTERM and reports its exit`, async () => {
      const marker = `cxloop-tied-${randomUUID()}`;
      const child = spawnTied(process.execPath, ['-e', 'setInterval(() => {}, 60_000)', marker], { tie });
      expect(await eventually(() => pidsMatching(marker).length > 0, 5_000)).toBe(true);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      expect(await eventually(() => pidsMatching(marker).length === 0, 5_000)).toBe(true);
    });
  }
});
