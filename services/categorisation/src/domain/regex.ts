import { RE2JS } from 're2js';

/**
 * Taxonomy regexes run on RE2 (re2js, a pure-JS port): matching takes time linear in the text whatever the pattern,
 * so no comment can make a pattern backtrack (`(a|aa)+$` on `aaaa…b`). The price is RE2's syntax: no backreferences
 * and no lookaround. What one match costs grows with the text and with the pattern's compiled program, so programs are
 * capped per pattern and per taxonomy (see `taxonomySchema`).
 */
export const MAX_REGEX_PROGRAM_SIZE = 200;

export type CompiledRegex = RE2JS;

export interface RegexSpan {
  readonly start: number;
  readonly end: number;
}

/** RE2 program size of `source`, or the engine's reason why it cannot compile it. */
export function regexProgramSize(source: string): { size: number } | { problem: string } {
  try {
    return { size: RE2JS.compile(source).programSize() };
  } catch (error) {
    return { problem: `${(error as Error).message} (RE2 syntax: no backreferences or lookaround)` };
  }
}

/** Case-insensitive, Unicode-aware; `source` must have passed `regexProgramSize`. */
export function compileRegex(source: string): CompiledRegex {
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
