import type { RE2JS } from 're2js';
import { unbundled } from './unbundled';

/**
 * Taxonomy regexes run on RE2 (re2js, a pure-JS port): matching takes time linear in the text whatever the pattern,
 * so no comment can make a pattern backtrack (`(a|aa)+$` on `aaaa…b`). The price is RE2's syntax: no backreferences
 * and no lookaround. What one match costs grows with the text and with the pattern's compiled program, so programs are
 * capped per pattern and per taxonomy (see `taxonomySchema`).
 */
export const MAX_REGEX_PROGRAM_SIZE = 200;

export type CompiledRegex = RE2JS;

const re2 = unbundled<typeof import('re2js')>('re2js');

export interface RegexSpan {
  readonly start: number;
  readonly end: number;
}

/** Validating a taxonomy asks for each regex's size twice (on its own, then in the budget): compiled once. */
const programSizes = new Map<string, { size: number } | { problem: string }>();
const PROGRAM_SIZES_LIMIT = 1_000;

/** RE2 program size of `source`, or the engine's reason why it cannot compile it. */
export function regexProgramSize(source: string): { size: number } | { problem: string } {
  let result = programSizes.get(source);
  if (result === undefined) {
    const { RE2JS } = re2();
    try {
      result = { size: RE2JS.compile(source).programSize() };
    } catch (error) {
      result = { problem: `${(error as Error).message} (RE2 syntax: no backreferences or lookaround)` };
    }
    if (programSizes.size >= PROGRAM_SIZES_LIMIT) programSizes.clear();
    programSizes.set(source, result);
  }
  return result;
}

/** Case-insensitive, Unicode-aware; `source` must have passed `regexProgramSize`. */
export function compileRegex(source: string): CompiledRegex {
  const { RE2JS } = re2();
  return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
}

/**
 * The non-empty ones among the first `limit` matches in `text`, as UTF-16 offsets. Empty matches count towards the
 * limit: a regex such as `x*` matches empty text at every position, and each match is a search of its own.
 */
export function regexMatches(regex: CompiledRegex, text: string, limit: number): RegexSpan[] {
  const spans: RegexSpan[] = [];
  const matcher = regex.matcher(text);
  for (let found = 0; found < limit && matcher.find(); found++) {
    if (matcher.end() > matcher.start()) spans.push({ start: matcher.start(), end: matcher.end() });
  }
  return spans;
}
