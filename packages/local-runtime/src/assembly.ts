import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CodeLocator } from './template/resources/functions';
import type { CfnTemplate, StackTemplate } from './template/stack-template';

/** One stack of a synthesized cloud assembly (a `cdk.out` directory). */
export interface StackArtifact {
  stackName: string;
  template: CfnTemplate;
  /** From the stack's environment when it names them; undefined for environment-agnostic stacks. */
  account?: string;
  region?: string;
  /** Asset hash → absolute path of the staged asset (a folder for Lambda code). */
  assets: Map<string, string>;
}

interface Manifest {
  artifacts?: Record<string, { type: string; environment?: string; properties?: Record<string, unknown> }>;
}

export async function readStackArtifact(assemblyDir: string, stackName?: string): Promise<StackArtifact> {
  const stacks = await collectStacks(resolve(assemblyDir));
  const names = stacks.map((stack) => stack.stackName);
  const chosen =
    stackName === undefined
      ? stacks.length === 1
        ? stacks[0]
        : undefined
      : stacks.find((stack) => stack.stackName === stackName || stack.artifactId === stackName);
  if (!chosen) {
    throw new Error(
      stackName === undefined
        ? `the cloud assembly in ${assemblyDir} has ${stacks.length} stacks (${names.join(', ')}): choose one with stackName`
        : `no stack ${stackName} in ${assemblyDir}; it has: ${names.join(', ') || 'none'}`,
    );
  }
  const template = JSON.parse(await readFile(chosen.templatePath, 'utf8')) as CfnTemplate;
  const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(chosen.environment ?? '') ?? [];
  return {
    stackName: chosen.stackName,
    template,
    ...(account && !account.startsWith('unknown') ? { account } : {}),
    ...(region && !region.startsWith('unknown') ? { region } : {}),
    assets: chosen.assets,
  };
}

interface StackEntry {
  artifactId: string;
  stackName: string;
  templatePath: string;
  environment?: string;
  assets: Map<string, string>;
}

async function collectStacks(directory: string): Promise<StackEntry[]> {
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${directory} is not a cloud assembly (no manifest.json)`);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const assets = new Map<string, string>();
  for (const [, artifact] of artifacts.filter(([, artifact]) => artifact.type === 'cdk:asset-manifest')) {
    const file = join(directory, String(artifact.properties?.file));
    const assetManifest = JSON.parse(await readFile(file, 'utf8')) as {
      files?: Record<string, { source?: { path?: string } }>;
    };
    for (const [hash, asset] of Object.entries(assetManifest.files ?? {})) {
      if (asset.source?.path) assets.set(hash, join(directory, asset.source.path));
    }
  }
  const stacks: StackEntry[] = [];
  for (const [artifactId, artifact] of artifacts) {
    if (artifact.type === 'aws:cloudformation:stack') {
      stacks.push({
        artifactId,
        stackName: String(artifact.properties?.stackName ?? artifactId),
        templatePath: join(directory, String(artifact.properties?.templateFile)),
        ...(artifact.environment ? { environment: artifact.environment } : {}),
        assets,
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...(await collectStacks(join(directory, String(artifact.properties?.directoryName)))));
    }
  }
  return stacks;
}

/**
 * Finds a Lambda function's unpacked code: the `aws:asset:path` metadata when synthesis recorded it, else the asset
 * whose hash names the function's S3 key.
 */
export function functionCodeLocator(
  template: StackTemplate,
  assets: Map<string, string>,
  assemblyDir: string,
): CodeLocator {
  return (logicalId) => {
    const metadataPath = template.resource(logicalId).Metadata?.['aws:asset:path'];
    const candidates: string[] = [];
    if (typeof metadataPath === 'string') candidates.push(resolve(assemblyDir, metadataPath));
    const code = template.propertiesOf(logicalId).Code as { S3Key?: unknown } | undefined;
    if (typeof code?.S3Key === 'string') {
      const asset = assets.get(
        code.S3Key.replace(/\.zip$/, '')
          .split('/')
          .pop() ?? '',
      );
      if (asset) candidates.push(asset);
    }
    return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isDirectory());
  };
}
