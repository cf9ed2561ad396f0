import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * Abuse limits of the public routes, counted in fixed windows. API Gateway's stage and route throttles cap the total
 * rate; these cap what one client, one respondent or one survey can take of it.
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
  /**
   * Deployment-wide, like the reserved concurrency it protects: a flood on one survey (from many addresses) is
   * refused for that survey while the others, and the pipeline behind them, keep their share. Far above what a real
   * survey receives (10 responses a second, sustained).
   */
  responsesPerSurvey: { name: 'responses-survey', limit: 600, windowSeconds: 60 },
  /** Asks come with page views, so a survey shown on a busy site gets many more of them than responses. */
  asksPerSurvey: { name: 'asks-survey', limit: 3000, windowSeconds: 60 },
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

/**
 * The client a request is counted against: an IPv4 address, or the /64 network of an IPv6 one (a single subscriber
 * is usually given a whole /64, so counting addresses would let one client rotate through billions of them).
 * Counted by digest: a counter key does not need to hold the address itself.
 */
export function ipSubject(ip: string): string {
  const client = ipaddr.isValid(ip) ? ipaddr.process(ip) : undefined;
  const counted =
    client?.kind() === 'ipv6'
      ? `${(client as ipaddr.IPv6).parts.slice(0, 4).join(':')}::/64`
      : (client?.toString() ?? ip);
  return `ip:${createHash('sha256').update(counted).digest('hex').slice(0, 32)}`;
}

/** Surveys are counted by id: only ids of surveys that exist are counted, so their counters are bounded. */
export const surveySubject = (surveyId: string): string => `survey:${surveyId}`;
