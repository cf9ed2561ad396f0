import type { ImportRowResult } from '@cxloop/collection/imports';
import type { RetentionPolicy } from '@cxloop/events';
import type { ImportRowInput } from './rows';

export interface BatchAnswer {
  imported: number;
  duplicates: number;
  rejected: number;
  rows: ImportRowResult[];
}

export interface ImportApiOptions {
  api: string;
  key: string;
  surveyId: string;
  fetch?: typeof fetch;
  /** Attempts of one request before giving up (429, 5xx, network failures). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const retriedStatuses = new Set([429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 30_000;

/** An answer that says what went wrong, without the request (which may hold personal data). */
export class ImportApiError extends Error {
  override readonly name = 'ImportApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** How long to wait before attempt `attempt + 1`: the server's Retry-After, else exponential backoff with jitter. */
export function retryDelayMs(attempt: number, retryAfter: string | null, random = Math.random): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_BACKOFF_MS * 4);
  const date = retryAfter === null ? Number.NaN : Date.parse(retryAfter);
  if (Number.isFinite(date)) return Math.max(0, Math.min(date - Date.now(), MAX_BACKOFF_MS * 4));
  return Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt) * (0.5 + random() / 2);
}

/** cxloop's API as the importer uses it: the survey, the retention policy, and batches of rows. */
export function importApi(options: ImportApiOptions) {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const base = options.api.replace(/\/+$/, '');
  const survey = encodeURIComponent(options.surveyId);

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        if (attempt >= attempts) throw error;
        await sleep(retryDelayMs(attempt, null));
        continue;
      }
      if (response.ok) return (await response.json()) as T;
      if (retriedStatuses.has(response.status) && attempt < attempts) {
        await response.body?.cancel();
        await sleep(retryDelayMs(attempt, response.headers.get('retry-after')));
        continue;
      }
      const text = await response.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {}
      throw new ImportApiError(response.status, `${method} ${path} answered ${response.status}: ${message}`);
    }
  }

  return {
    survey: () => call<{ id: string; type: 'nps' | 'csat' | 'ces' }>('GET', `/v1/surveys/${survey}`),
    retention: async () => (await call<{ policy: RetentionPolicy }>('GET', '/v1/retention')).policy,
    send: (source: string, rows: readonly ImportRowInput[]) =>
      call<BatchAnswer>('POST', `/v1/surveys/${survey}/imports`, { source, rows }),
  };
}
export type ImportApi = ReturnType<typeof importApi>;
