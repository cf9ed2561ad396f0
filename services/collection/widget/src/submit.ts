export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait; each next one doubles, plus up to the same again at random so that clients spread out. */
  baseDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the request fails instead. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetry: RetryOptions = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Sends a request, trying again after network failures, 408, 429 and 5xx with exponential backoff (honouring
 * `Retry-After`). The caller keeps the body, and so the responseId, the same on every try, which makes a retry of a
 * post that did arrive harmless. Resolves with the last answer (which may be an error status); rejects when the last
 * try failed to reach the server.
 */
export async function sendWithRetry(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  options: RetryOptions = defaultRetry,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await fetchFn(url, init);
    } catch (error) {
      failure = error;
    }
    if (response && !retryable(response.status)) return response;
    if (attempt >= options.attempts) {
      if (response) return response;
      throw failure;
    }
    const backoff = options.baseDelayMs * 2 ** (attempt - 1) * (1 + options.random());
    const retryAfter = Number(response?.headers.get('retry-after')) * 1000 || 0;
    if (retryAfter > options.maxDelayMs) return response as Response;
    await options.sleep(Math.max(backoff, retryAfter));
  }
}
