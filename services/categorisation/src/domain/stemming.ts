import type { Stemmer } from 'snowball-stemmers';
import * as snowballModule from 'snowball-stemmers';

/** A CommonJS package: Node's ESM loader puts it on `default`, bundlers and CJS contexts on the namespace. */
const snowball: typeof snowballModule =
  (snowballModule as unknown as { default?: typeof snowballModule }).default ?? snowballModule;

/** Snowball algorithm per ISO 639-1 code. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  ru: 'russian',
  en: 'english',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  it: 'italian',
  pt: 'portuguese',
  nl: 'dutch',
  sv: 'swedish',
  da: 'danish',
  no: 'norwegian',
  fi: 'finnish',
  hu: 'hungarian',
  ro: 'romanian',
  tr: 'turkish',
  cs: 'czech',
};

/** The Snowball port costs ~10 µs a word; feedback vocabularies repeat, so stems are memoised (bounded). */
const MEMO_LIMIT = 200_000;

interface MemoStemmer {
  readonly stemmer: Stemmer;
  readonly memo: Map<string, string>;
}

const stemmers = new Map<string, MemoStemmer | null>();

function stemmerFor(language: string): MemoStemmer | null {
  let entry = stemmers.get(language);
  if (entry === undefined) {
    const algorithm = ALGORITHMS[language];
    entry = algorithm ? { stemmer: snowball.newStemmer(algorithm), memo: new Map() } : null;
    stemmers.set(language, entry);
  }
  return entry;
}

export function hasStemmer(language: string): boolean {
  return stemmerFor(language) !== null;
}

/** Stem of an already normalised word (lower case, ё→е); the word itself for a language without a stemmer. */
export function stem(word: string, language: string): string {
  const entry = stemmerFor(language);
  if (entry === null) return word;
  let stemmed = entry.memo.get(word);
  if (stemmed === undefined) {
    stemmed = entry.stemmer.stem(word);
    if (entry.memo.size >= MEMO_LIMIT) entry.memo.clear();
    entry.memo.set(word, stemmed);
  }
  return stemmed;
}
