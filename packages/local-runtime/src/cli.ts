/**
 * `npm start`: synthesizes the real CDK app and runs it offline. Data lives in `.cxloop/` (CXLOOP_IN_MEMORY=1 keeps
 * it in memory); PORT sets the HTTP port; CXLOOP_ADMIN_KEY sets the admin API key (else one is generated and kept);
 * CXLOOP_FAULTS="fnPrefix:0.2,other:0.5" makes functions fail at those rates; CXLOOP_ASSEMBLY=<cdk.out> runs an
 * already synthesized assembly instead of synthesizing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeApp } from '@cxloop/infra';
import { awsServicePaths } from './aws-api/service-paths';
import { parseFaultSpecs } from './lambda/faults';
import { type LocalRuntime, startLocalRuntime } from './runtime';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = join(repoRoot, '.cxloop');

async function main(): Promise<void> {
  // Lambda runs in UTC; the functions share this process's time zone.
  process.env.TZ = 'UTC';
  const startedAt = Date.now();
  const inMemory = process.env.CXLOOP_IN_MEMORY === '1';
  const adminKey = process.env.CXLOOP_ADMIN_KEY;
  const faults = parseFaultSpecs(process.env.CXLOOP_FAULTS ?? '');
  const secretValues: Record<string, string> = {};
  let synthesisMs = 0;

  let runtime: LocalRuntime | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    // Before the runtime is up (or on a second Ctrl-C) just exit: the 'exit' hook still kills DynamoDB Local.
    if (stopping || !runtime) process.exit(130);
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    // A stop that hangs must not keep the terminal: exiting still kills DynamoDB Local through its 'exit' hook.
    setTimeout(() => process.exit(1), 15_000).unref();
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  runtime = await startLocalRuntime({
    assemblyDir: async () => {
      const synthesisStart = Date.now();
      const given = process.env.CXLOOP_ASSEMBLY;
      const { assemblyDir, stackName } = given
        ? { assemblyDir: given, stackName: undefined }
        : await synthesizeApp({ outdir: join(dataDir, 'cdk.out') });
      synthesisMs = Date.now() - synthesisStart;
      const adminSecret = adminSecretLogicalId(assemblyDir, stackName);
      if (adminKey && adminSecret) secretValues[adminSecret] = adminKey;
      return assemblyDir;
    },
    port: Number(process.env.PORT ?? 3000),
    ...(inMemory ? {} : { dataDir }),
    secretValues,
  });
  for (const fault of faults) runtime.faults.inject(fault);

  const key = await currentAdminKey(runtime);
  printSummary(runtime, {
    totalMs: Date.now() - startedAt,
    synthesisMs,
    inMemory,
    adminKey:
      key === undefined
        ? undefined
        : {
            value: key,
            source: adminKey ? 'CXLOOP_ADMIN_KEY' : inMemory ? 'generated' : 'generated, kept in .cxloop/secrets.json',
          },
    faults: faults.map((fault) => `${fault.function}:${fault.failureRate}`),
  });
}

/** The stack says (output AdminApiKeySecretLogicalId) which secret holds the admin API key. */
function adminSecretLogicalId(assemblyDir: string, stackName: string | undefined): string | undefined {
  const templates = readdirSync(assemblyDir).filter((file) =>
    stackName === undefined ? file.endsWith('.template.json') : file === `${stackName}.template.json`,
  );
  for (const file of templates) {
    const template = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as {
      Outputs?: Record<string, { Value?: unknown }>;
    };
    const value = template.Outputs?.AdminApiKeySecretLogicalId?.Value;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Reads the admin key the way any client would: GetSecretValue on the local Secrets Manager. */
async function currentAdminKey(runtime: LocalRuntime): Promise<string | undefined> {
  const secretId = runtime.outputs.AdminApiKeySecretLogicalId;
  if (!secretId) return undefined;
  const response = await fetch(`${runtime.url}${awsServicePaths.secretsmanager}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body: JSON.stringify({ SecretId: secretId }),
  });
  if (!response.ok) return undefined;
  return ((await response.json()) as { SecretString?: string }).SecretString;
}

function printSummary(
  runtime: LocalRuntime,
  details: {
    totalMs: number;
    synthesisMs: number;
    inMemory: boolean;
    adminKey: { value: string; source: string } | undefined;
    faults: string[];
  },
): void {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const list = (title: string, values: string[]) =>
    values.length === 0 ? [] : [`  ${title} (${values.length})`, ...values.map((value) => `    ${value}`)];
  const byPath = (a: string, b: string) => a.split(' ')[1]?.localeCompare(b.split(' ')[1] ?? '') || a.localeCompare(b);
  const { resources } = runtime;
  const lines = [
    '',
    `cxloop is running locally — stack ${runtime.stackName}, ready in ${seconds(details.totalMs)} (synthesis ${seconds(details.synthesisMs)}, runtime ${seconds(runtime.startupMs)})`,
    '',
    `  HTTP API    ${runtime.url}`,
    ...Object.values(resources.sites).map((url) => `  Dashboard   ${url}  (sign in with the admin key)`),
    `  AWS APIs    ${runtime.awsEndpoint}  (SQS, EventBridge, Secrets Manager)`,
    `  DynamoDB    ${runtime.dynamoEndpoint}`,
    `  Data        ${details.inMemory ? 'in memory (CXLOOP_IN_MEMORY=1)' : relative(process.cwd(), dataDir) || dataDir}`,
    ...(details.adminKey ? [`  Admin key   ${details.adminKey.value}  (${details.adminKey.source})`] : []),
    ...(details.faults.length > 0 ? [`  Faults      ${details.faults.join(', ')}`] : []),
    `  Redrive     AWS_ENDPOINT_URL_SQS=${runtime.url}${awsServicePaths.sqs} npm run redrive`,
    ...Object.entries(runtime.outputs).map(([name, value]) => `  Output      ${name} = ${value}`),
    '',
    ...list('Routes', Object.values(resources.routes).sort(byPath)),
    ...list('Tables', Object.values(resources.tables)),
    ...list('Queues', Object.values(resources.queues)),
    ...list('Rules', Object.values(resources.rules)),
    ...list('Functions', Object.values(resources.functions)),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
