import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildBundles, generatedModule, generatedModulePath, gzippedBytes, WIDGET_BUDGET_BYTES } from '../build';

describe('the widget build', () => {
  it('is current: generated/bundles.ts is what the sources build to (run `npm run build:widget`)', async () => {
    const bundles = await buildBundles();
    expect(readFileSync(generatedModulePath, 'utf8')).toBe(generatedModule(bundles));
  }, 30_000);

  it('keeps the widget within its gzipped budget', async () => {
    const { widget } = await buildBundles();
    expect(gzippedBytes(widget)).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES);
  }, 30_000);
});
