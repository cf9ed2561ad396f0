import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentDefinition, EnvironmentValues, EnvironmentVariables } from '@cxloop/lambda-kit/config';
import { App, Stack } from 'aws-cdk-lib';
import { CxFunction } from '../../lib/function';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A directory for synthesized assets inside the repository: a bundle imported from there finds the AWS SDK in the
 * repository's node_modules, as a deployed one finds the SDK the Lambda runtime provides.
 */
export function assetWorkDir(prefix: string): string {
  const cache = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, prefix));
}

export interface FunctionAsset {
  readonly dir: string;
  readonly indexFile: string;
  /** Packages esbuild put into index.mjs (from its metafile). */
  readonly bundledPackages: ReadonlySet<string>;
  /** Every JavaScript file of the asset but index.mjs (the unbundled modules), by path relative to the asset. */
  readonly besideFiles: ReadonlyMap<string, number>;
}

/** The asset of a synthesized CxFunction: index.mjs, its metafile and whatever was built beside it. */
export function readFunctionAsset(dir: string): FunctionAsset {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
  const bundledPackages = new Set(
    Object.keys(meta.inputs).flatMap((input) => {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      return match?.[1] ? [match[1]] : [];
    }),
  );
  const besideFiles = new Map<string, number>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(c|m)?js$/.test(entry.name) && path !== join(dir, 'index.mjs'))
        besideFiles.set(relative(dir, path), statSync(path).size);
    }
  };
  walk(dir);
  return { dir, indexFile: join(dir, 'index.mjs'), bundledPackages, besideFiles };
}

/** Bundles one handler through CxFunction, as the app does (its esbuild options and `unbundled` modules). */
export function bundleFunction<V extends EnvironmentVariables>(props: {
  entry: string;
  reads: EnvironmentDefinition<V>;
  environment: EnvironmentValues<V>;
  unbundled?: readonly string[];
  outdir: string;
}): FunctionAsset {
  const app = new App({ outdir: props.outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Bundle');
  new CxFunction(stack, 'Function', {
    entry: props.entry,
    service: 'bundle',
    description: 'bundled for a measurement',
    reads: props.reads,
    environment: props.environment,
    ...(props.unbundled ? { unbundled: props.unbundled } : {}),
  });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function');
  const assetPath = fn?.Metadata?.['aws:asset:path'];
  if (!assetPath || !existsSync(join(props.outdir, assetPath, 'index.mjs'))) throw new Error('No bundled asset');
  return readFunctionAsset(join(props.outdir, assetPath));
}
