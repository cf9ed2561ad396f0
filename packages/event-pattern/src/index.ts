import { compilePattern, type EventMatcher } from './compile';

export type { EventMatcher } from './compile';
export { InvalidEventPatternError } from './errors';

// Keyed by the pattern object itself: a rule's pattern is read once from the template and then matched against
// every event, so it is validated and compiled once. Patterns must not be mutated after first use.
const compiledPatterns = new WeakMap<object, EventMatcher>();

/**
 * Validates an EventBridge event pattern and returns a reusable matcher for it.
 * @throws InvalidEventPatternError when EventBridge would reject the pattern.
 */
export function compileEventPattern(pattern: unknown): EventMatcher {
  if (typeof pattern !== 'object' || pattern === null) return compilePattern(pattern);
  let matcher = compiledPatterns.get(pattern);
  if (matcher === undefined) {
    matcher = compilePattern(pattern);
    compiledPatterns.set(pattern, matcher);
  }
  return matcher;
}

/** @throws InvalidEventPatternError naming the offending part, when EventBridge would reject the pattern. */
export function validateEventPattern(pattern: unknown): void {
  compileEventPattern(pattern);
}

/**
 * Whether `event` (parsed JSON: the whole EventBridge envelope, `source`, `detail-type`, `detail`, ...) matches
 * `pattern`.
 * @throws InvalidEventPatternError when EventBridge would reject the pattern.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}
