/**
 * Counts work in progress by kind (invocations, pending async retries, HTTP requests), so `idle()` can tell when the
 * system has settled and say what is still busy when it has not.
 */
export class Activity {
  private readonly counts = new Map<string, number>();

  /** Marks one unit of `kind` as started; the returned function marks it finished (only once). */
  begin(kind: string): () => void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const remaining = (this.counts.get(kind) ?? 1) - 1;
      if (remaining > 0) this.counts.set(kind, remaining);
      else this.counts.delete(kind);
    };
  }

  /** What is in progress, e.g. `["2 × invoke Fixture-Consumer"]`; empty when nothing is. */
  busy(): string[] {
    return [...this.counts].map(([kind, count]) => `${count} × ${kind}`);
  }
}
