/**
 * Waits until `busyReasons` has nothing to report twice in a row (work hands over between services through timers
 * and microtasks), or rejects after `timeoutMs` with what is still busy.
 */
export async function waitUntilIdle(busyReasons: () => string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (quietChecks < 2) {
    const reasons = busyReasons();
    if (reasons.length === 0) quietChecks += 1;
    else {
      quietChecks = 0;
      if (Date.now() >= deadline) {
        throw new Error(`the local runtime is not idle after ${timeoutMs} ms: ${reasons.join('; ')}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
