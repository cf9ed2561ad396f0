import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';

/**
 * How a child is made to die with this process, whatever ends it (a SIGKILL, a test worker killed on a timeout, a
 * crash), since no 'exit' hook runs then: `setpriv --pdeathsig KILL` (util-linux, on Linux) has the kernel kill the
 * child when the thread that spawned it ends (spawn from the main thread); elsewhere (macOS) a small Node watchdog
 * runs the command and kills it when its stdin, a pipe from this process, closes, which the kernel does when this
 * process dies.
 */
export type Tie = 'pdeathsig' | 'watchdog';

let setprivWorks: boolean | undefined;

function defaultTie(): Tie {
  setprivWorks ??= spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivWorks ? 'pdeathsig' : 'watchdog';
}

/**
 * Passes signals on, so that stopping the watchdog stops the command gracefully, and exits the way the command did.
 * A command still running 3 s after a signal is killed: a caller's own SIGKILL after a longer wait (DynamoDB Local's
 * stop waits 5 s) would end only the watchdog.
 */
const watchdogScript = `
const { spawn } = require('node:child_process');
const [command, ...args] = JSON.parse(process.argv[1]);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const killChild = () => child.kill('SIGKILL');
process.stdin.on('end', killChild).on('error', killChild).resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    child.kill(signal);
    setTimeout(killChild, 3000).unref();
  });
}
child.on('error', (error) => {
  console.error(error.message);
  process.exit(127);
});
child.on('exit', (code) => process.exit(code ?? 1));
`;

/**
 * Spawns `command` so that it cannot outlive this process. Its stdin is not available (the watchdog holds it);
 * `stdout` and `stderr` are as `options.stdio` says. `tie` is chosen for the platform unless given (tests give it).
 */
export function spawnTied(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio' | 'detached'> & {
    stdio?: ['ignore', 'pipe' | 'ignore' | 'inherit', 'pipe' | 'ignore' | 'inherit'];
    tie?: Tie;
  } = {},
): ChildProcess {
  const { tie = defaultTie(), stdio = ['ignore', 'pipe', 'pipe'], ...rest } = options;
  if (tie === 'pdeathsig') {
    return spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], { ...rest, stdio });
  }
  return spawn(process.execPath, ['-e', watchdogScript, JSON.stringify([command, ...args])], {
    ...rest,
    stdio: ['pipe', stdio[1], stdio[2]],
  });
}
