/** Reads a required environment variable at cold start, so a misconfigured function fails on its first invocation. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}
