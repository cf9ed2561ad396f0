import Delighted from 'delighted';
import { startTestRuntime, type TestRuntime } from './runtime';

export interface DelightedTestbed {
  system: TestRuntime;
  /** The NPS survey the key is bound to (Delighted's project). */
  surveyId: string;
  /** A `delighted` key bound to the survey, made through `POST /v1/api-keys`. */
  key: string;
  /** The official client (`delighted` 2.2.0) pointed at the local runtime with that key. */
  client: Delighted;
}

/** Creates an NPS survey through the admin API; its id. */
export async function createSurvey(system: TestRuntime, name = 'Delighted project'): Promise<string> {
  const created = await system.api('/v1/surveys', {
    method: 'POST',
    admin: true,
    json: { name, type: 'nps', timeZone: 'Europe/Moscow' },
  });
  if (created.status !== 201) throw new Error(`POST /v1/surveys answered ${created.status}`);
  return ((await created.json()) as { id: string }).id;
}

/** A `delighted` key bound to `surveyId`, as a customer makes it: the `key` of the 201 answer. */
export async function createDelightedKey(system: TestRuntime, surveyId: string): Promise<string> {
  const created = await system.api('/v1/api-keys', {
    method: 'POST',
    admin: true,
    json: { name: 'Delighted client', scopes: ['delighted'], surveyId },
  });
  if (created.status !== 201) throw new Error(`POST /v1/api-keys answered ${created.status}: ${await created.text()}`);
  return ((await created.json()) as { key: string }).key;
}

/** The official client as a customer configures it for cxloop: only host, port, scheme, base and key change. */
export function delightedClient(system: TestRuntime, key: string): Delighted {
  const { hostname, port } = new URL(system.runtime.url);
  return new Delighted(key, { host: hostname, port: Number(port), scheme: 'http', base: '/delighted/v1' });
}

/** What a client call rejected with (Delighted's error types: ResourceValidationError, AuthenticationError, …). */
export async function rejectionOf(call: Promise<unknown>): Promise<{ type: string; body: unknown }> {
  try {
    await call;
  } catch (error) {
    const { type, message } = error as { type: string; message: string | null };
    return { type, body: message ? JSON.parse(message) : null };
  }
  throw new Error('expected the call to be rejected');
}

/** The local runtime, a survey, a delighted key bound to it and the official client using that key. */
export async function startDelightedTestbed(options: { timeScale?: number } = {}): Promise<DelightedTestbed> {
  const system = await startTestRuntime(options);
  const surveyId = await createSurvey(system);
  const key = await createDelightedKey(system, surveyId);
  return { system, surveyId, key, client: delightedClient(system, key) };
}
