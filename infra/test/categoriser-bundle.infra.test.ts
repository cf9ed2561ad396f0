import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { categoriserEnvironment } from '@cxloop/categorisation/environment';
import { unbundledModules } from '@cxloop/categorisation/unbundled';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetWorkDir, bundleFunction, type FunctionAsset } from './support/function-asset';

/** What the categoriser's index.mjs may weigh (minified): a cold start parses and runs all of it. */
const CATEGORISER_BUNDLE_LIMIT_BYTES = 300 * 1024;

const packageOf = (module: string) =>
  module
    .split('/')
    .slice(0, module.startsWith('@') ? 2 : 1)
    .join('/');

const outdir = assetWorkDir('cxloop-categoriser-bundle-');
let asset: FunctionAsset;

beforeAll(() => {
  asset = bundleFunction({
    entry: 'services/categorisation/src/handlers/consumer.ts',
    reads: categoriserEnvironment,
    environment: { TABLE_NAME: 'categorisation', EVENT_BUS_NAME: 'cxloop' },
    unbundled: unbundledModules,
    outdir,
  });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the Categoriser function asset', () => {
  it(`bundles at most ${CATEGORISER_BUNDLE_LIMIT_BYTES / 1024} KB into index.mjs`, () => {
    expect(statSync(asset.indexFile).size).toBeLessThanOrEqual(CATEGORISER_BUNDLE_LIMIT_BYTES);
  });

  it('carries each unbundled module beside index.mjs, and none of them inside it', () => {
    for (const module of unbundledModules) {
      const file = module.includes('/') ? `node_modules/${module}` : `node_modules/${module}/index.js`;
      expect(asset.besideFiles.has(file), file).toBe(true);
    }
    // snowball-stemmer.jsx is bundled for Russian and English only; the packages loaded whole must not be.
    for (const name of new Set(unbundledModules.filter((module) => !module.includes('/')).map(packageOf))) {
      expect(asset.bundledPackages.has(name), name).toBe(false);
    }
  });

  it('starts in a fresh process: the handler warms the categoriser with the modules beside it', () => {
    const probe = `await import(${JSON.stringify(asset.indexFile)}); process.stdout.write('ready');`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      env: { ...process.env, TABLE_NAME: 'categorisation', EVENT_BUS_NAME: 'cxloop', AWS_REGION: 'eu-west-1' },
      encoding: 'utf8',
    });
    expect(output).toBe('ready');
  });

  it('loads a German stemmer from beside the bundle when a text needs it', () => {
    const stemmer = join(asset.dir, 'node_modules/snowball-stemmer.jsx/dest/german-stemmer.common.min.js');
    const probe = `const { GermanStemmer } = require(${JSON.stringify(stemmer)}); process.stdout.write(new GermanStemmer().stemWord('lieferungen'));`;
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })).toBe('liefer');
  });
});
