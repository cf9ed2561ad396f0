import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/cdk.out/**', '**/.cxloop/**'];

/**
 * Test levels, by file suffix:
 * unit (*.unit.test.ts) pure domain code, fast · integration (*.int.test.ts) a handler against DynamoDB Local and the
 * local bus · e2e (*.e2e.test.ts) HTTP through the local runtime · infra (*.infra.test.ts) CDK assertions and cdk-nag ·
 * browser (*.browser.test.ts) headless Chromium through playwright-core.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude } },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup: ['test/setup/dynamodb-local.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts', '**/*.browser.test.ts'],
          exclude,
          globalSetup: ['test/setup/synthesize.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'infra', include: ['**/*.infra.test.ts'], exclude, testTimeout: 120_000, hookTimeout: 180_000 } },
    ],
  },
});
