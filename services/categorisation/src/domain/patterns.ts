import { stem } from './stemming';
import { analyseText, type Token } from './text';

/**
 * Keyword and phrase patterns, compiled once into hash indexes so that matching costs a few map look-ups per token.
 *
 * Syntax of one pattern: words separated by spaces, matched against consecutive tokens of the text.
 * - `word*`  the token starts with `word` (after lower-casing and ё→е);
 * - `word`   in 'stem' mode the token has the same Snowball stem, in 'form' mode the same normalised form.
 * Patterns are tokenised like the text itself, so "wi-fi", "don't" or "24/7" match what a text would contain.
 */
export type TermMode = 'stem' | 'form';

interface Term {
  readonly type: 'stem' | 'form' | 'prefix';
  readonly value: string;
}

export interface CompiledPattern<P> {
  readonly source: string;
  readonly terms: readonly Term[];
  readonly payload: P;
}

export interface PatternIndex<P> {
  readonly language: string;
  readonly size: number;
  readonly byForm: ReadonlyMap<string, readonly CompiledPattern<P>[]>;
  readonly byStem: ReadonlyMap<string, readonly CompiledPattern<P>[]>;
  readonly byPrefix: ReadonlyMap<string, readonly CompiledPattern<P>[]>;
  /** Distinct prefix lengths, longest first. */
  readonly prefixLengths: readonly number[];
  /** Candidates per word form, filled as texts are matched (feedback vocabularies repeat); bounded. */
  readonly memo: Map<string, readonly CompiledPattern<P>[]>;
}

const MEMO_LIMIT = 100_000;
const NO_CANDIDATES: readonly never[] = [];

export interface PatternMatch<P> {
  /** Index of the first matched token and one past the last. */
  readonly from: number;
  readonly to: number;
  readonly pattern: CompiledPattern<P>;
}

export class InvalidPatternError extends Error {
  override readonly name = 'InvalidPatternError';
}

export function compileTerms(pattern: string, language: string, mode: TermMode): Term[] {
  const { tokens } = analyseText(pattern);
  const terms: Term[] = [];
  for (const token of tokens) {
    if (token.kind === 'punct') continue;
    const isPrefix = pattern[token.end] === '*';
    if (isPrefix) terms.push({ type: 'prefix', value: token.norm });
    else if (mode === 'stem' && token.kind === 'word') terms.push({ type: 'stem', value: stem(token.norm, language) });
    else terms.push({ type: 'form', value: token.norm });
  }
  if (terms.length === 0) throw new InvalidPatternError(`Pattern "${pattern}" has no words`);
  return terms;
}

function addTo<P>(map: Map<string, CompiledPattern<P>[]>, key: string, pattern: CompiledPattern<P>): void {
  const list = map.get(key);
  if (list) list.push(pattern);
  else map.set(key, [pattern]);
}

export function compilePatterns<P>(
  specs: Iterable<{ readonly pattern: string; readonly payload: P }>,
  language: string,
  mode: TermMode,
): PatternIndex<P> {
  const byForm = new Map<string, CompiledPattern<P>[]>();
  const byStem = new Map<string, CompiledPattern<P>[]>();
  const byPrefix = new Map<string, CompiledPattern<P>[]>();
  const lengths = new Set<number>();
  let size = 0;
  for (const spec of specs) {
    const terms = compileTerms(spec.pattern, language, mode);
    const compiled: CompiledPattern<P> = { source: spec.pattern, terms, payload: spec.payload };
    const first = terms[0]!;
    if (first.type === 'prefix') {
      addTo(byPrefix, first.value, compiled);
      lengths.add(first.value.length);
    } else addTo(first.type === 'stem' ? byStem : byForm, first.value, compiled);
    size++;
  }
  return {
    language,
    size,
    byForm,
    byStem,
    byPrefix,
    prefixLengths: [...lengths].sort((a, b) => b - a),
    memo: new Map(),
  };
}

function termMatches(term: Term, token: Token, language: string): boolean {
  const forms = token.squeezed === undefined ? [token.norm] : [token.norm, token.squeezed];
  return forms.some((form) => {
    if (term.type === 'prefix') return form.startsWith(term.value);
    if (term.type === 'form') return form === term.value;
    return token.kind === 'word' && stem(form, language) === term.value;
  });
}

function lookUpCandidates<P>(index: PatternIndex<P>, form: string, isWord: boolean): readonly CompiledPattern<P>[] {
  const found = new Set<CompiledPattern<P>>();
  for (const pattern of index.byForm.get(form) ?? NO_CANDIDATES) found.add(pattern);
  if (isWord && index.byStem.size > 0) {
    for (const pattern of index.byStem.get(stem(form, index.language)) ?? NO_CANDIDATES) found.add(pattern);
  }
  for (const length of index.prefixLengths) {
    if (length > form.length) continue;
    for (const pattern of index.byPrefix.get(form.slice(0, length)) ?? NO_CANDIDATES) found.add(pattern);
  }
  return found.size === 0 ? NO_CANDIDATES : [...found];
}

function candidatesFor<P>(index: PatternIndex<P>, form: string, isWord: boolean): readonly CompiledPattern<P>[] {
  const key = isWord ? form : `#${form}`;
  let candidates = index.memo.get(key);
  if (candidates === undefined) {
    candidates = lookUpCandidates(index, form, isWord);
    if (index.memo.size >= MEMO_LIMIT) index.memo.clear();
    index.memo.set(key, candidates);
  }
  return candidates;
}

function candidatesAt<P>(index: PatternIndex<P>, token: Token): readonly CompiledPattern<P>[] {
  const isWord = token.kind === 'word';
  const candidates = candidatesFor(index, token.norm, isWord);
  if (token.squeezed === undefined) return candidates;
  return [...new Set([...candidates, ...candidatesFor(index, token.squeezed, isWord)])];
}

/**
 * Every occurrence of every pattern among tokens [from, to) for which `eligible` holds; a pattern's words must be
 * consecutive eligible tokens.
 */
export function matchPatterns<P>(
  index: PatternIndex<P>,
  tokens: readonly Token[],
  eligible: (token: Token) => boolean,
  from = 0,
  to = tokens.length,
): PatternMatch<P>[] {
  const matches: PatternMatch<P>[] = [];
  if (index.size === 0) return matches;
  for (let position = from; position < to; position++) {
    const token = tokens[position]!;
    if (!eligible(token)) continue;
    for (const pattern of candidatesAt(index, token)) {
      const end = position + pattern.terms.length;
      if (end > to) continue;
      let matched = true;
      for (let offset = 1; offset < pattern.terms.length; offset++) {
        const next = tokens[position + offset]!;
        if (!eligible(next) || !termMatches(pattern.terms[offset]!, next, index.language)) {
          matched = false;
          break;
        }
      }
      if (matched) matches.push({ from: position, to: end, pattern });
    }
  }
  return matches;
}
