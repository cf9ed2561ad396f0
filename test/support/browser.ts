import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { findChromium, installChromiumHint } from './chromium';

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

const found = await findChromium();
// In CI a missing browser is a failure (launchChromium says why); elsewhere the browser tests skip and say how to fix it.
const skipReason = found.path === undefined && process.env.CI !== 'true' ? found.reason : undefined;
if (skipReason) console.warn(`Browser tests skipped: ${skipReason}. To run them, ${installChromiumHint}.`);

/** `describe` for tests that need Chromium: skipped, with the reason printed, when none starts here (never in CI). */
export const describeInBrowser = skipReason ? describe.skip : describe;

/** Headless Chromium (see ./chromium.ts for which one), driven by playwright-core; makes the screenshot directory. */
export function launchChromium(): Promise<Browser> {
  if (found.path === undefined)
    throw new Error(`Cannot run the browser tests: ${found.reason}; ${installChromiumHint}`);
  mkdirSync(resultsDir, { recursive: true });
  return chromium.launch({ executablePath: found.path, args: chromiumArgs });
}

/** axe-core over the whole document (open shadow roots included): the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Contrast is judged on what the page settles to, not mid fade-in (the widget's entrance animation).
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
