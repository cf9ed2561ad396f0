import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const eventsDir = fileURLToPath(new URL('..', import.meta.url));
const biomeCli = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

/**
 * Biome formats Markdown too (it pads table columns by display width), so generated Markdown goes through the repo's
 * own Biome: otherwise `npm run lint` would reject it and `lint:fix` would make it stale. `files` maps paths relative
 * to `events/` to their content, as `renderArtefacts` returns them.
 */
export function formatMarkdown(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map(
    [...files].map(([path, content]) => [
      path,
      path.endsWith('.md')
        ? execFileSync(process.execPath, [biomeCli, 'format', `--stdin-file-path=${path}`], {
            cwd: eventsDir,
            input: content,
            encoding: 'utf8',
          })
        : content,
    ]),
  );
}
