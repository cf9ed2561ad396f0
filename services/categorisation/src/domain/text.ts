/** Tokens and sentences of a feedback text, with UTF-16 offsets into the original text. */

export type TokenKind = 'word' | 'number' | 'emoji' | 'emoticon' | 'punct' | 'mention' | 'url';
export type Script = 'cyrillic' | 'latin' | 'other';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** Lower-cased, ё→е, typographic apostrophe → ', letter runs of 3+ squeezed to 2 ("goooood" → "good"). */
  readonly norm: string;
  /** For elongated words: runs squeezed to 1 letter ("sooo" → "so"), tried when `norm` is unknown. */
  readonly squeezed?: string;
  readonly script: Script;
  /** Written in capitals in a text that is not all capitals (emphasis). */
  readonly shouted: boolean;
  readonly elongated: boolean;
  /** The word of a hashtag written in one piece ("#worstflightever"). */
  readonly hashtag?: boolean;
}

export interface Sentence {
  readonly start: number;
  readonly end: number;
  /** Index of the first token and one past the last token in the token list. */
  readonly from: number;
  readonly to: number;
}

export interface AnalysedText {
  /** The analysed prefix of the original text (the whole text unless it was longer than the cap). */
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly sentences: readonly Sentence[];
}

/** Longer texts are analysed up to this many UTF-16 units so that one call stays within a bounded time. */
export const MAX_ANALYSED_CHARS = 10_000;
const MAX_TOKENS = 2_500;

const TOKEN_PATTERN = new RegExp(
  [
    String.raw`(https?:\/\/\S+|www\.\S+)`,
    String.raw`(@[\p{L}\p{N}_]+)`,
    String.raw`(\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}\uFE0F]|\u200D\p{Extended_Pictographic})*)`,
    String.raw`((?:[:;=][-'^o]?(?:[)(\]\[/\\|*]+|[DPpOo3](?![\p{L}\p{N}])))|<3|[xX][dD](?![\p{L}\p{N}])|\){2,}|\({2,})`,
    String.raw`(\p{L}[\p{L}\p{M}\p{N}]*(?:['’\-][\p{L}\p{M}\p{N}]+)*)`,
    String.raw`(\p{N}+(?:[.,:]\p{N}+)*)`,
    String.raw`([.!?…]+|[,;:()\-–—])`,
  ].join('|'),
  'gu',
);
const KINDS: readonly TokenKind[] = ['url', 'mention', 'emoji', 'emoticon', 'word', 'number', 'punct'];
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
const RUN_OF_THREE = /(\p{L})\1{2,}/u;
const RUNS_TO_TWO = /(\p{L})\1{2,}/gu;
const RUNS_TO_ONE = /(\p{L})\1+/gu;
const SENTENCE_END = /[.!?…]/;
const CAMEL_HUMP = /\p{Ll}\p{Lu}/u;
const CAMEL_PART = /\p{Lu}?[\p{Ll}\p{M}\p{N}'’-]+|\p{Lu}+(?![\p{Ll}])/gu;

const NEEDS_REPLACING = /[ё’]/;

export function normaliseWord(word: string): string {
  const lower = word.toLowerCase();
  return NEEDS_REPLACING.test(lower) ? lower.replaceAll('ё', 'е').replaceAll('’', "'") : lower;
}

function scriptOf(word: string): Script {
  if (CYRILLIC.test(word)) return 'cyrillic';
  if (LATIN.test(word)) return 'latin';
  return 'other';
}

/** Cuts at the last whitespace before the cap so that a word is never split (nor a surrogate pair). */
function analysedPrefix(text: string): string {
  if (text.length <= MAX_ANALYSED_CHARS) return text;
  const cut = text.lastIndexOf(' ', MAX_ANALYSED_CHARS);
  return text.slice(0, cut > MAX_ANALYSED_CHARS / 2 ? cut : MAX_ANALYSED_CHARS - 1);
}

function wordToken(raw: string, start: number, allCaps: boolean): Token {
  const lower = normaliseWord(raw);
  const elongated = RUN_OF_THREE.test(lower);
  const norm = elongated ? lower.replace(RUNS_TO_TWO, '$1$1') : lower;
  const squeezed = elongated ? lower.replace(RUNS_TO_ONE, '$1') : undefined;
  const shouted = !allCaps && raw.length > 1 && UPPER.test(raw) && !LOWER.test(raw);
  return { kind: 'word', start, end: start + raw.length, norm, squeezed, script: scriptOf(raw), shouted, elongated };
}

export function analyseText(original: string): AnalysedText {
  const text = analysedPrefix(original);
  const allCaps = !LOWER.test(text);
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    if (tokens.length >= MAX_TOKENS) break;
    const groupIndex = match.findIndex((group, index) => index > 0 && group !== undefined);
    const kind = KINDS[groupIndex - 1]!;
    const raw = match[0];
    const start = match.index;
    if (kind === 'word' && text[start - 1] === '#' && CAMEL_HUMP.test(raw)) {
      // "#CommunicationFail" is two words; offsets stay those of the original text.
      for (const part of raw.matchAll(CAMEL_PART)) tokens.push(wordToken(part[0], start + part.index, allCaps));
      continue;
    }
    if (kind === 'word') {
      tokens.push(
        text[start - 1] === '#' ? { ...wordToken(raw, start, allCaps), hashtag: true } : wordToken(raw, start, allCaps),
      );
    } else {
      tokens.push({
        kind,
        start,
        end: start + raw.length,
        norm: kind === 'punct' || kind === 'emoticon' ? raw : raw.toLowerCase(),
        script: 'other',
        shouted: false,
        elongated: false,
      });
    }
  }
  const withSmileys = reinterpretParentheses(text, tokens);
  return { text, tokens: withSmileys, sentences: splitSentences(text, withSmileys) };
}

/**
 * Russian writers use a bare ")" as a smile and "(" as a frown ("спасибо)", "опять не работает(").
 * A parenthesis that closes an opened one stays punctuation; an unmatched ")" and a "(" that opens nothing become
 * emoticons.
 */
function reinterpretParentheses(text: string, tokens: Token[]): Token[] {
  let depth = 0;
  return tokens.map((token, index) => {
    if (token.kind !== 'punct' || (token.norm !== '(' && token.norm !== ')')) return token;
    if (token.norm === ')') {
      if (depth > 0) {
        depth--;
        return token;
      }
      return { ...token, kind: 'emoticon' };
    }
    const next = tokens[index + 1];
    const opensSomething = next !== undefined && next.start === token.end && next.kind !== 'punct';
    const closedLater = opensSomething && text.indexOf(')', token.end) !== -1;
    if (closedLater) {
      depth++;
      return token;
    }
    return { ...token, kind: 'emoticon' };
  });
}

function splitSentences(text: string, tokens: readonly Token[]): Sentence[] {
  const sentences: Sentence[] = [];
  let from = 0;
  let ended = false;
  const close = (to: number) => {
    if (to > from) {
      sentences.push({ start: tokens[from]!.start, end: tokens[to - 1]!.end, from, to });
    }
    from = to;
    ended = false;
  };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const previous = tokens[index - 1];
    const lineBreak = previous !== undefined && text.slice(previous.end, token.start).includes('\n');
    const trailingSmiley = token.kind === 'emoji' || token.kind === 'emoticon';
    if (index > from && (lineBreak || (ended && !(trailingSmiley || token.kind === 'punct')))) close(index);
    if (token.kind === 'punct' && SENTENCE_END.test(token.norm)) ended = true;
  }
  close(tokens.length);
  return sentences;
}

export function isWordLike(token: Token): boolean {
  return token.kind === 'word' || token.kind === 'number';
}
