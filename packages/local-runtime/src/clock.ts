/** Time as the runtime's services see it, so that their semantics can be tested with a fake clock. */
export interface Clock {
  now(): number;
  /** Runs `callback` after `ms`; the returned function cancels it. */
  schedule(ms: number, callback: () => void): () => void;
}

/** Node fires a longer setTimeout after 1 ms, so far-off timers (a schedule years ahead) wait in steps. */
const maxTimerMs = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (ms, callback) => {
    let timer: NodeJS.Timeout;
    const wait = (remaining: number) => {
      timer = setTimeout(
        () => (remaining > maxTimerMs ? wait(remaining - maxTimerMs) : callback()),
        Math.min(Math.max(0, remaining), maxTimerMs),
      );
    };
    wait(ms);
    return () => clearTimeout(timer);
  },
};

/**
 * Converts an AWS duration in seconds into local milliseconds. Every timer that drives progress (visibility timeouts,
 * batching windows, retry delays, schedules) goes through it, so tests can run AWS's minutes in milliseconds.
 */
export type Timescale = (seconds: number) => number;

export function timescale(factor: number): Timescale {
  if (!(factor > 0)) throw new Error(`timeScale must be a positive number, got ${factor}`);
  return (seconds) => seconds * 1000 * factor;
}
