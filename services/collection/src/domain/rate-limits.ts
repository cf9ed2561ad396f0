import { createHash } from 'node:crypto';

/**
 * Abuse limits of the public routes, counted in fixed windows. API Gateway's stage and route throttles cap the total
 * rate; these cap what one client can do within it.
 */
export interface RateLimit {
  name: string;
  limit: number;
  windowSeconds: number;
}

export const rateLimits = {
  /** Generous because offices and mobile carriers put many people behind one address. */
  responsesPerIp: { name: 'responses-ip', limit: 60, windowSeconds: 60 },
  /** A respondent posts a score, a comment and a few follow-up answers per survey: 20 an hour is far above that. */
  responsesPerRespondent: { name: 'responses-respondent', limit: 20, windowSeconds: 3600 },
  /** The widget asks on page views. */
  asksPerIp: { name: 'asks-ip', limit: 120, windowSeconds: 60 },
} as const satisfies Record<string, RateLimit>;

export interface RateWindow {
  /** Epoch seconds at which the window began; part of the counter's key. */
  startsAt: number;
  endsAt: number;
}

export function rateWindow(limit: RateLimit, now: Date): RateWindow {
  const seconds = Math.floor(now.getTime() / 1000);
  const startsAt = seconds - (seconds % limit.windowSeconds);
  return { startsAt, endsAt: startsAt + limit.windowSeconds };
}

export function retryAfterSeconds(window: RateWindow, now: Date): number {
  return Math.max(1, Math.ceil(window.endsAt - now.getTime() / 1000));
}

/** Client addresses are counted by digest: a counter key does not need to hold the address itself. */
export function ipSubject(ip: string): string {
  return `ip:${createHash('sha256').update(ip).digest('hex').slice(0, 32)}`;
}
