import type { Clock } from '../../src/clock';

/** A clock the test moves by hand; `advance` runs due timers in time order and lets promises settle between them. */
export class FakeClock implements Clock {
  private current: number;
  private timers: Array<{ at: number; order: number; callback: () => void }> = [];
  private order = 0;

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), order: this.order++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const [next] = [...this.timers].sort((a, b) => a.at - b.at || a.order - b.order);
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.current = next.at;
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

/** Lets queued microtasks and immediate callbacks run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A clock whose timers fire a millisecond early, as real timers may relative to Date.now(). */
export class EarlyTimerClock extends FakeClock {
  override schedule(ms: number, callback: () => void): () => void {
    return super.schedule(ms > 1 ? ms - 1 : ms, callback);
  }
}
