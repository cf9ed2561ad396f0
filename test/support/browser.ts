import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where browser tests save their screenshots (gitignored). */
export const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

// Without the background-networking flags Chromium's own connections are refused on this machine and it stalls.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's headless Chromium (or `CXLOOP_CHROMIUM`), driven by playwright-core; makes the screenshot directory. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(resultsDir, { recursive: true });
  return chromium.launch({ executablePath: process.env.CXLOOP_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
}

/** axe-core over the whole document (open shadow roots included): the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
