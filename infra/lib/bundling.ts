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
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
};
