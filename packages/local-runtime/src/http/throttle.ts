import type { ThrottleSettings } from '../template/resources/http-apis';

/**
 * API Gateway's throttling: a token bucket per route holding up to `burstLimit` requests, refilled at `rateLimit`
 * requests per second. A limit of 0 blocks every request.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly settings: Required<ThrottleSettings>,
    now: number,
  ) {
    this.tokens = settings.burstLimit;
    this.refilledAt = now;
  }

  tryTake(now: number): boolean {
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    const refill = elapsedSeconds > 0 ? elapsedSeconds * this.settings.rateLimit : 0;
    this.tokens = Math.min(this.settings.burstLimit, this.tokens + refill);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One bucket per route key, with the route's own settings or the stage's defaults. */
export class RouteThrottles {
  private readonly buckets = new Map<string, TokenBucket | null>();

  constructor(
    private readonly defaults: ThrottleSettings | undefined,
    private readonly perRoute: Record<string, ThrottleSettings>,
  ) {}

  tryTake(routeKey: string, now: number): boolean {
    let bucket = this.buckets.get(routeKey);
    if (bucket === undefined) {
      const settings = { ...this.defaults, ...this.perRoute[routeKey] };
      bucket =
        settings.burstLimit === undefined && settings.rateLimit === undefined
          ? null
          : new TokenBucket(
              {
                burstLimit: settings.burstLimit ?? Number.POSITIVE_INFINITY,
                rateLimit: settings.rateLimit ?? Number.POSITIVE_INFINITY,
              },
              now,
            );
      this.buckets.set(routeKey, bucket);
    }
    return bucket === null || bucket.tryTake(now);
  }
}
