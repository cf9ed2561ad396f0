import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export interface WorkerScripts {
  /** The worker entry point, bundled to plain JavaScript so it runs the same under tsx, vitest or Node. */
  bootstrapUrl: URL;
  hooksUrl: string;
}

let scripts: Promise<WorkerScripts> | undefined;

/** Bundles the worker's TypeScript sources once per process, into files named by their content. */
export function workerScripts(): Promise<WorkerScripts> {
  scripts ??= Promise.all([bundle('./worker/bootstrap.ts'), bundle('./worker/sdk-resolution-hooks.ts')]).then(
    ([bootstrap, hooks]) => ({ bootstrapUrl: bootstrap, hooksUrl: hooks.href }),
  );
  return scripts;
}

async function bundle(relativePath: string): Promise<URL> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(relativePath, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${relativePath}`);
  const hash = createHash('sha256').update(output.text).digest('hex').slice(0, 16);
  const directory = join(tmpdir(), 'cxloop-local-runtime');
  const file = join(directory, `${basename(relativePath, '.ts')}-${hash}.mjs`);
  await mkdir(directory, { recursive: true });
  await writeFile(file, output.text);
  return pathToFileURL(file);
}
