import { join } from 'node:path';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The one esbuild configuration for every Lambda bundle. ESM output needs the `require` shim because some
 * dependencies still call `require` for Node built-ins.
 */
export const lambdaBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  metafile: true,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as topLevelCreateRequire } from 'module';const require = topLevelCreateRequire(import.meta.url);",
  // The Lambda runtime provides AWS SDK v3; bundling it would only add cold-start weight.
  externalModules: ['@aws-sdk/*'],
  // Russian text as itself, not as \uXXXX escapes three times its size.
  esbuildArgs: { '--charset': 'utf8' },
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
};

/** `re2js` → `node_modules/re2js/index`, `pkg/dest/file.js` → `node_modules/pkg/dest/file`: where require finds it. */
function outputPath(module: string): string {
  const parts = module.split('/');
  const packageParts = module.startsWith('@') ? 2 : 1;
  return parts.length > packageParts ? `node_modules/${module.replace(/\.js$/, '')}` : `node_modules/${module}/index`;
}

/**
 * The shared configuration, and `modules` built beside the bundle, each with its dependencies into one minified
 * CommonJS file under `node_modules/`: code the handler requires only when it needs it, so it stays out of
 * `index.mjs` (see `services/categorisation/src/domain/unbundled.ts`).
 */
export function bundlingWith(modules: readonly string[]): BundlingOptions {
  return {
    ...lambdaBundling,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [
        [
          join(inputDir, 'node_modules/.bin/esbuild'),
          ...modules.map((module) => `${outputPath(module)}=${module}`),
          '--bundle',
          '--platform=node',
          '--format=cjs',
          `--target=${lambdaBundling.target}`,
          '--minify',
          '--charset=utf8',
          '--log-level=warning',
          `--outdir=${outputDir}`,
        ]
          .map((argument) => `'${argument}'`)
          .join(' '),
      ],
    },
  };
}
