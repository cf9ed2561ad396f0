/** A provider answered with an error status; the message names the provider, the status and the path, never tokens. */
export class ProviderHttpError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    path: string,
  ) {
    super(`${provider} answered ${status} to ${path}`);
    this.name = 'ProviderHttpError';
  }
}

const TIMEOUT_MS = 10_000;

export async function getJson(provider: string, url: URL, accessToken: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new ProviderHttpError(provider, response.status, url.pathname);
  return response.json();
}

export async function postForm(provider: string, url: URL, form: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new ProviderHttpError(provider, response.status, url.pathname);
  return response.json();
}

/** A base URL from configuration joined with a path, keeping any path prefix the base has. */
export function endpoint(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
}
