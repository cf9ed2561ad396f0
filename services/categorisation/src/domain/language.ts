import type { Script, Token } from './text';
import { unbundled } from './unbundled';

/** ISO 639-3 codes franc-min returns, mapped to the ISO 639-1 codes cxloop uses; other languages become 'und'. */
const ISO_639_1: Readonly<Record<string, string>> = {
  rus: 'ru',
  eng: 'en',
  ukr: 'uk',
  bel: 'be',
  bul: 'bg',
  srp: 'sr',
  kaz: 'kk',
  deu: 'de',
  fra: 'fr',
  spa: 'es',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
  pol: 'pl',
  ces: 'cs',
  ron: 'ro',
  hun: 'hu',
  swe: 'sv',
  tur: 'tr',
  hrv: 'hr',
  bos: 'bs',
  ind: 'id',
  vie: 'vi',
  arb: 'ar',
  pes: 'fa',
  hin: 'hi',
  urd: 'ur',
  uzn: 'uz',
  azj: 'az',
};

export const UNDETERMINED = 'und';

/** Letters that Russian does not use but a neighbouring Cyrillic language does. */
const NON_RUSSIAN_CYRILLIC: readonly [RegExp, string][] = [
  [/[іїєґ]/iu, 'uk'],
  [/[ў]/iu, 'be'],
  [/[әғқңөұүһ]/iu, 'kk'],
  [/[ђјљњћџ]/iu, 'sr'],
];
const NON_ASCII_LATIN = /[\u00C0-\u024F]/u;
const RUSSIAN_ONLY_LETTERS = /[ыэё]/iu;
/** Frequent Russian words that Bulgarian, Serbian or Macedonian do not use. */
const RUSSIAN_FUNCTION_WORDS = new Set(
  'что это я мне меня мы вы он она они оно был была было были уже очень все нет для есть только если когда где так как еще вот тоже даже'.split(
    ' ',
  ),
);
const CYRILLIC_LANGUAGES = ['rus', 'bul', 'srp'];
/** Latin-script languages franc-min knows and cxloop can name; restricting franc also makes it several times faster. */
const LATIN_LANGUAGES = [
  'eng',
  'deu',
  'fra',
  'spa',
  'por',
  'ita',
  'nld',
  'pol',
  'ces',
  'ron',
  'hun',
  'swe',
  'tur',
  'hrv',
  'ind',
  'vie',
];
/** Frequent Ukrainian words that Russian lacks (for texts without і, ї, є, ґ). */
const UKRAINIAN_WORDS = new Set(
  'дуже дякую що це але вже ще мені мене ви ми він вона вони було був немає якщо коли чому'.split(' '),
);
/** Bulgarian words Russian lacks, and its vowel "ъ" (Russian writes ъ only before е, ё, ю, я). */
const BULGARIAN_WORDS = new Set(
  'ще съм във със са е това този тази тези които който която което защото обаче нещо'.split(' '),
);
const BULGARIAN_HARD_SIGN = /ъ(?![еюя])/u;

/**
 * Frequent English function words: a text written in Latin letters that uses them is English. franc alone often
 * takes a short English text for Scots or Swedish.
 */
const ENGLISH_FUNCTION_WORDS = new Set(
  (
    'the a an and or but to of in on at for with from by is are was were be been am i you he she it we they me my ' +
    "your our their this that these those not no do does did don't can can't will won't would have has had just " +
    'so very what why how when where who there here if about up out all any get got please thanks thank'
  ).split(' '),
);

/** Below this many letters franc's trigram statistics are unreliable; the script decides instead. */
const FRANC_MIN_LETTERS = 40;

/** 'ru-RU', 'en_US', 'RU' → 'ru'; anything that is not a language tag → undefined. */
export function languageFromHint(hint: string | undefined): string | undefined {
  if (hint === undefined) return undefined;
  const primary = hint.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

export function scriptOfLanguage(language: string): Script {
  return ['ru', 'uk', 'be', 'bg', 'sr', 'kk', 'mk'].includes(language) ? 'cyrillic' : 'latin';
}

/** Needed only for a long text whose script and words leave its language open: loaded then. */
const francMin = unbundled<typeof import('franc-min')>('franc-min');

function francTo639_1(text: string, only?: string[]): string {
  const code = francMin().franc(text, only ? { only, minLength: 10 } : { minLength: 10 });
  return ISO_639_1[code] ?? UNDETERMINED;
}

/**
 * Language of a feedback text: the source's hint wins; otherwise the dominant script decides for short texts and
 * franc-min (restricted to the plausible languages of that script) for longer ones.
 */
export function detectLanguage(text: string, tokens: readonly Token[], hint?: string): string {
  const hinted = languageFromHint(hint);
  if (hinted !== undefined) return hinted;
  let cyrillicLetters = 0;
  let latinLetters = 0;
  let latinWords = 0;
  let englishWords = 0;
  let russianWords = 0;
  let bulgarianMarkers = 0;
  let ukrainianWords = 0;
  for (const token of tokens) {
    if (token.kind !== 'word') continue;
    const letters = token.end - token.start;
    if (token.script === 'cyrillic') {
      cyrillicLetters += letters;
      if (RUSSIAN_FUNCTION_WORDS.has(token.norm)) russianWords++;
      if (UKRAINIAN_WORDS.has(token.norm)) ukrainianWords++;
      if (BULGARIAN_WORDS.has(token.norm) || BULGARIAN_HARD_SIGN.test(token.norm)) bulgarianMarkers++;
    } else if (token.script === 'latin') {
      latinLetters += letters;
      latinWords++;
      if (ENGLISH_FUNCTION_WORDS.has(token.norm)) englishWords++;
    }
  }
  if (cyrillicLetters === 0 && latinLetters === 0) return UNDETERMINED;
  if (cyrillicLetters >= latinLetters) {
    const other = NON_RUSSIAN_CYRILLIC.find(([letters]) => letters.test(text));
    if (other) return other[1];
    const russianSigns = RUSSIAN_ONLY_LETTERS.test(text) || russianWords > 0;
    if (!russianSigns && ukrainianWords > 0) return 'uk';
    if (russianSigns || bulgarianMarkers === 0 || cyrillicLetters < FRANC_MIN_LETTERS) return 'ru';
    const detected = francTo639_1(text, CYRILLIC_LANGUAGES);
    return detected === UNDETERMINED ? 'ru' : detected;
  }
  if (englishWords > 0 && englishWords * 5 >= latinWords) return 'en';
  const withDiacritics = NON_ASCII_LATIN.test(text);
  if (latinLetters < FRANC_MIN_LETTERS && !withDiacritics) return 'en';
  const detected = francTo639_1(text, LATIN_LANGUAGES);
  if (detected !== UNDETERMINED) return detected;
  return withDiacritics && englishWords === 0 ? UNDETERMINED : 'en';
}
