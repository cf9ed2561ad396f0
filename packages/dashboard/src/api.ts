import type { DashboardConfig } from './types';

/** An answer of the API other than 2xx, with its message (`{ error, message }` from cxloop, API Gateway's own). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The API could not be reached at all (offline, DNS, CORS, aborted). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export interface ApiClient {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
}

/** Answers worth one more try: throttling, and API Gateway's answers for a function that failed or timed out. */
const TRANSIENT_STATUSES = [429, 500, 502, 503, 504];
/** Waits before the 2nd and 3rd attempt of a read that failed transiently. */
export const RETRY_DELAYS_MS = [300, 1200];

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export const isTransient = (error: unknown): boolean =>
  error instanceof NetworkError || (error instanceof ApiError && TRANSIENT_STATUSES.includes(error.status));

/**
 * Reads the API with `Authorization: Bearer <key>`, the header the API-key authorizer checks. No cookies are sent
 * (the key is the only credential) and nothing is cached by the browser. Every call is a GET, so a transient failure
 * is tried again (twice, after 0.3 s and 1.2 s).
 */
export function apiClient(baseUrl: string, apiKey: string, delays: readonly number[] = RETRY_DELAYS_MS): ApiClient {
  const once = async <T>(path: string, signal?: AbortSignal): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(new URL(path.replace(/^\//, ''), baseUrl), {
        headers: { accept: 'application/json', authorization: `Bearer ${apiKey}` },
        credentials: 'omit',
        cache: 'no-store',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new NetworkError((error as Error).message);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const { message, error } = (body ?? {}) as { message?: unknown; error?: unknown };
      throw new ApiError(
        response.status,
        typeof message === 'string' ? message : response.statusText || `HTTP ${response.status}`,
        typeof error === 'string' ? error : undefined,
      );
    }
    return body as T;
  };
  return {
    async get<T>(path: string, signal?: AbortSignal): Promise<T> {
      for (const delay of delays) {
        try {
          return await once<T>(path, signal);
        } catch (error) {
          if (signal?.aborted || !isTransient(error)) throw error;
          await pause(delay, signal);
        }
      }
      return once<T>(path, signal);
    },
  };
}

/** The API base from `config.json` next to the app (`/`, the page's own origin, when absent or unreadable). */
export async function loadApiBase(pageUrl: string): Promise<string> {
  let config: DashboardConfig = {};
  try {
    const response = await fetch(new URL('config.json', pageUrl), { cache: 'no-store', credentials: 'omit' });
    if (response.ok) config = (await response.json()) as DashboardConfig;
  } catch {
    config = {};
  }
  return apiBaseOf(config, pageUrl);
}

/** `apiUrl` resolved against the page, always ending in `/` so that paths append to it. */
export function apiBaseOf(config: DashboardConfig, pageUrl: string): string {
  const base = new URL(typeof config.apiUrl === 'string' && config.apiUrl !== '' ? config.apiUrl : '/', pageUrl);
  return base.href.endsWith('/') ? base.href : `${base.href}/`;
}

export type KeyRole = 'admin' | 'read';

export interface StoredSession {
  readonly apiKey: string;
  readonly role: KeyRole;
}

const SESSION_KEY = 'cxloop.dashboard.session';

/** The key lives in sessionStorage: per tab, gone when the tab closes, never in the URL or a cookie. */
export const session = {
  read(storage: Storage = sessionStorage): StoredSession | undefined {
    try {
      const stored = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as StoredSession | null;
      return stored && typeof stored.apiKey === 'string' && stored.apiKey !== '' ? stored : undefined;
    } catch {
      return undefined;
    }
  },
  write(value: StoredSession, storage: Storage = sessionStorage): void {
    storage.setItem(SESSION_KEY, JSON.stringify(value));
  },
  clear(storage: Storage = sessionStorage): void {
    storage.removeItem(SESSION_KEY);
  },
};
