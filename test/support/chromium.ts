import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';

/** The one command that gives the browser tests a Chromium when the packaged one cannot run here. */
export const installChromiumHint =
  'install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) or set CXLOOP_CHROMIUM to a Chromium or Chrome binary';

export type ChromiumLookup = { path: string; source: string } | { path: undefined; reason: string };

const debianChromium = '/usr/bin/chromium';
const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/cxloop-chromium/', import.meta.url));

/** Whether the binary starts at all (a missing library or another platform's build fails here, not in a test). */
function runs(path: string): boolean {
  return spawnSync(path, ['--headless', '--no-sandbox', '--version'], { timeout: 20_000 }).status === 0;
}

/**
 * The headless Chromium that `npm ci` brings: `@sparticuz/chromium` ships it brotli-packed inside the npm package
 * (Linux x64). It is unpacked once per version into node_modules/.cache — not with the package's own
 * `executablePath()`, which reuses whatever `/tmp/chromium` another process left there, of any version.
 */
async function packagedChromium(): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let packageDir: string;
  try {
    packageDir = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  } catch {
    return undefined;
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const binary = join(cacheDir, version, 'chromium');
  if (!existsSync(binary)) {
    mkdirSync(dirname(binary), { recursive: true });
    // Unpacked beside its place and renamed, so that a test file starting at the same time never runs half a binary.
    const partial = `${binary}.${process.pid}.partial`;
    await pipeline(
      createReadStream(join(packageDir, 'bin', 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 }),
    );
    renameSync(partial, binary);
  }
  return binary;
}

/** CXLOOP_CHROMIUM if set, else the packaged headless Chromium, else Debian's; the first one that starts. */
export async function findChromium(): Promise<ChromiumLookup> {
  const configured = process.env.CXLOOP_CHROMIUM;
  if (configured) {
    return runs(configured)
      ? { path: configured, source: 'CXLOOP_CHROMIUM' }
      : { path: undefined, reason: `CXLOOP_CHROMIUM=${configured} does not start` };
  }
  const packaged = await packagedChromium();
  if (packaged && runs(packaged)) return { path: packaged, source: '@sparticuz/chromium' };
  if (existsSync(debianChromium) && runs(debianChromium)) return { path: debianChromium, source: debianChromium };
  return {
    path: undefined,
    reason: `no Chromium starts here (the one @sparticuz/chromium ships is for Linux x64; ${debianChromium} is ${existsSync(debianChromium) ? 'broken' : 'missing'})`,
  };
}
