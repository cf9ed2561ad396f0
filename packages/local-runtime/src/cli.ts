/**
 * `npm start`: synthesizes the real CDK app and runs it offline. Data lives in `.cxloop/` (CXLOOP_IN_MEMORY=1 keeps
 * it in memory); PORT sets the HTTP port; CXLOOP_ADMIN_KEY sets the admin API key (else one is generated and kept);
 * CXLOOP_FAULTS="fnPrefix:0.2,other:0.5:sdk" makes functions fail at those rates (modes before, after, sdk, timeout:
 * see FaultMode); CXLOOP_ASSEMBLY=<cdk.out> runs an already synthesized assembly instead of synthesizing.
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

// The SDK warns on every start that its releases from 2027 on will need Node 22. The lock file pins this one, which
// supports the Node this runs on (engines: >=20.18), and the functions run with the warning off as on Lambda.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * CDK writes "Bundling asset <path>..." to stderr for each function: shown as one line that counts them (redrawn on a
 * terminal), then a summary; everything else written to stderr passes through.
 */
function bundlingProgress(): { done(): void } {
  const write = process.stderr.write.bind(process.stderr);
  const live = process.stderr.isTTY;
  const startedAt = Date.now();
  let bundled = 0;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const asset = /^Bundling asset (.+)\.\.\.\r?\n$/.exec(text)?.[1];
    if (asset === undefined) return write(chunk, ...rest);
    bundled++;
    if (live) write(`\r\x1b[KBundling the functions: ${bundled} (${asset})`);
    return true;
  }) as typeof process.stderr.write;
  return {
    done() {
      process.stderr.write = write;
      if (bundled > 0) {
        write(
          `${live ? '\r\x1b[K' : ''}Bundled ${bundled} assets in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`,
        );
      }
    },
  };
}

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
    // Before the runtime is up (or on a second Ctrl-C) just exit: DynamoDB Local dies with this process.
    if (stopping || !runtime) process.exit(130);
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    // A stop that hangs must not keep the terminal: DynamoDB Local dies with this process all the same.
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
      const progress = bundlingProgress();
      const { assemblyDir, stackName } = given
        ? { assemblyDir: given, stackName: undefined }
        : await synthesizeApp({ outdir: join(dataDir, 'cdk.out') }).finally(() => progress.done());
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
    faults: faults.map((fault) => `${fault.function}:${fault.failureRate}:${fault.mode ?? 'before'}`),
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
  // The resource lists first and the banner last, where the terminal leaves it.
  const lines = [
    '',
    ...list('Routes', Object.values(resources.routes).sort(byPath)),
    ...list('Tables', Object.values(resources.tables)),
    ...list('Queues', Object.values(resources.queues)),
    ...list('Rules', Object.values(resources.rules)),
    ...list('Functions', Object.values(resources.functions)),
    ...Object.entries(runtime.outputs).map(([name, value]) => `  Output      ${name} = ${value}`),
    '',
    `cxloop is running locally — stack ${runtime.stackName}, ready in ${seconds(details.totalMs)} (synthesis ${seconds(details.synthesisMs)}, runtime ${seconds(runtime.startupMs)})`,
    '',
    `  HTTP API    ${runtime.url}`,
    ...Object.values(resources.sites).map((url) => `  Dashboard   ${url}  (sign in with the admin key)`),
    `  Demo page   ${runtime.url}/demo?survey=<survey id>  (the widget on a shop page; create a survey first)`,
    `  Survey page ${runtime.url}/s/<survey id>  (the hosted survey page)`,
    `  AWS APIs    ${runtime.awsEndpoint}  (SQS, EventBridge, Secrets Manager)`,
    `  DynamoDB    ${runtime.dynamoEndpoint}`,
    `  Data        ${details.inMemory ? 'in memory (CXLOOP_IN_MEMORY=1)' : relative(process.cwd(), dataDir) || dataDir}`,
    ...(details.adminKey ? [`  Admin key   ${details.adminKey.value}  (${details.adminKey.source})`] : []),
    ...(details.faults.length > 0 ? [`  Faults      ${details.faults.join(', ')}`] : []),
    `  Redrive     AWS_ENDPOINT_URL_SQS=${runtime.url}${awsServicePaths.sqs} npm run redrive`,
    '',
    'Walk-through: README.md, "Close the loop in ten minutes". Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
