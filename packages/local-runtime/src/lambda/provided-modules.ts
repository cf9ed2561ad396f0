import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The packages Lambda's Node.js runtime provides to every function: AWS SDK v3 and the Smithy packages it uses. */
const providedScopes = ['@aws-sdk', '@smithy'];

/**
 * A node_modules folder holding only what Lambda's Node.js runtime provides, linked from the repository's
 * node_modules: the functions' NODE_PATH (CommonJS `require`) and where their ES imports of the SDK resolve from. A
 * dependency a bundle forgot stays missing, as it would be on Lambda.
 */
export function providedModulesDirectory(): string {
  const searchPaths = createRequire(import.meta.url).resolve.paths('@aws-sdk/client-dynamodb') ?? [];
  const nodeModules = searchPaths.find((path) => existsSync(join(path, '@aws-sdk')));
  if (!nodeModules) throw new Error('@aws-sdk is not installed next to the local runtime');
  const directory = join(
    tmpdir(),
    'cxloop-local-runtime',
    `provided-${createHash('sha256').update(nodeModules).digest('hex').slice(0, 16)}`,
    'node_modules',
  );
  mkdirSync(directory, { recursive: true });
  for (const scope of providedScopes) {
    const link = join(directory, scope);
    if (existsSync(link) || !existsSync(join(nodeModules, scope))) continue;
    try {
      symlinkSync(join(nodeModules, scope), link, 'dir');
    } catch (error) {
      // Another runtime starting at the same moment made the same link.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return directory;
}
