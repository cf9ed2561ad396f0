import { EnglishStemmer } from 'snowball-stemmer.jsx/dest/english-stemmer.common.min.js';
import { RussianStemmer } from 'snowball-stemmer.jsx/dest/russian-stemmer.common.min.js';
import { type UnbundledStemmer, unbundled } from './unbundled';

/**
 * The Snowball stemmers, one module per language (snowball-stemmer.jsx): Russian and English are bundled, every
 * other language is loaded the first time a text or a taxonomy needs it. Czech, which that package lacks, comes from
 * snowball-stemmers, whose 25 languages are one 870 KB file.
 */
interface Stemmer {
  stemWord(word: string): string;
}
type StemmerClass = new () => Stemmer;

/** `german` → the GermanStemmer of `german-stemmer.common.min.js`. */
function jsxStemmer(algorithm: UnbundledStemmer): () => StemmerClass {
  const load = unbundled<Record<string, StemmerClass>>(`snowball-stemmer.jsx/dest/${algorithm}-stemmer.common.min.js`);
  const className = `${algorithm[0]!.toUpperCase()}${algorithm.slice(1)}Stemmer`;
  return () => load()[className]!;
}

const loadCzech = unbundled<typeof import('snowball-stemmers')>('snowball-stemmers');
class CzechStemmer implements Stemmer {
  private readonly stemmer = loadCzech().newStemmer('czech');
  stemWord(word: string): string {
    return this.stemmer.stem(word);
  }
}

/** Stemmer class per ISO 639-1 code. */
const STEMMERS: Readonly<Record<string, () => StemmerClass>> = {
  ru: () => RussianStemmer,
  en: () => EnglishStemmer,
  de: jsxStemmer('german'),
  fr: jsxStemmer('french'),
  es: jsxStemmer('spanish'),
  it: jsxStemmer('italian'),
  pt: jsxStemmer('portuguese'),
  nl: jsxStemmer('dutch'),
  sv: jsxStemmer('swedish'),
  da: jsxStemmer('danish'),
  no: jsxStemmer('norwegian'),
  fi: jsxStemmer('finnish'),
  hu: jsxStemmer('hungarian'),
  ro: jsxStemmer('romanian'),
  tr: jsxStemmer('turkish'),
  cs: () => CzechStemmer,
};

/**
 * Stems are memoised (feedback vocabularies repeat), bounded: the stemmer keeps a cache of its own, so it is replaced
 * whenever the memo is cleared.
 */
const MEMO_LIMIT = 200_000;

interface MemoStemmer {
  readonly create: () => Stemmer;
  stemmer: Stemmer;
  readonly memo: Map<string, string>;
}

const stemmers = new Map<string, MemoStemmer | null>();

function stemmerFor(language: string): MemoStemmer | null {
  let entry = stemmers.get(language);
  if (entry === undefined) {
    const stemmerClass = STEMMERS[language];
    if (stemmerClass) {
      const create = () => new (stemmerClass())();
      entry = { create, stemmer: create(), memo: new Map() };
    } else entry = null;
    stemmers.set(language, entry);
  }
  return entry;
}

/** Stem of an already normalised word (lower case, ё→е); the word itself for a language without a stemmer. */
export function stem(word: string, language: string): string {
  const entry = stemmerFor(language);
  if (entry === null) return word;
  let stemmed = entry.memo.get(word);
  if (stemmed === undefined) {
    if (entry.memo.size >= MEMO_LIMIT) {
      entry.memo.clear();
      entry.stemmer = entry.create();
    }
    stemmed = entry.stemmer.stemWord(word);
    entry.memo.set(word, stemmed);
  }
  return stemmed;
}
