import type { sentimentLabels } from '@cxloop/events';
import { type LanguageModifiers, modifiers } from '../../lexicons/modifiers';
import {
  emojiValenceOf,
  emoticonValenceOf,
  isNegator,
  type Lexicon,
  lexiconFor,
  valenceOf,
  WordTable,
} from './lexicon';
import { matchPatterns } from './patterns';
import { type AnalysedText, isWordLike, type Sentence, type Token } from './text';

/**
 * Rule-based sentiment in the manner of VADER (Hutto & Gilbert, 2014), per language: lexicon valences, negation
 * within three words, boosters and dampeners, "but" weighting, capitals and elongated words, exclamation marks,
 * emoji and emoticons. Sentence scores are normalised sums; the text's score normalises the sum of its sentences.
 */
export type SentimentLabel = (typeof sentimentLabels)[number];

/** A word, phrase, emoji or emoticon that moved the score, with its final (modified) valence. */
export interface Contribution {
  readonly from: number;
  readonly to: number;
  readonly valence: number;
}

export interface SentenceSentiment {
  readonly start: number;
  readonly end: number;
  readonly raw: number;
  readonly score: number;
  readonly label: SentimentLabel;
}

export interface SentimentAnalysis {
  readonly raw: number;
  readonly score: number;
  readonly label: SentimentLabel;
  readonly sentences: readonly SentenceSentiment[];
  readonly contributions: readonly Contribution[];
}

/** VADER's constants: negation scalar, normalisation alpha, emphasis increments. */
const NEGATION_SCALAR = -0.74;
const NORMALISATION_ALPHA = 15;
const EMPHASIS_INCREMENT = 0.7;
const EXCLAMATION_INCREMENT = 0.3;
const MAX_EXCLAMATIONS = 4;
const NEGATION_WINDOW = 3;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const CONCESSIVE_CLAUSE = 0.5;
/** Praise inside a question is mostly politeness ("could you help me, thanks?"). */
const POSITIVE_IN_QUESTION = 0.5;
/** A negative word in a question that asks for information ("is my order delayed?") rather than complains. */
const NEGATIVE_IN_QUESTION = 0.5;
/** Thanks in a text that also complains, or that asks for something, are politeness. */
const POLITE_THANKS_IN_COMPLAINT = 0;
const POLITE_THANKS_IN_REQUEST = 0.3;
const POSITIVE_IN_IRREALIS = 0.1;
const IRREALIS_WINDOW = 4;
const NEGATED_VERB = -1;
/**
 * Score at or above which a text is positive, and at or below whose negative it is negative. Feedback is asymmetric:
 * a little praise is politeness, a little complaint is a complaint.
 */
export const POSITIVE_THRESHOLD = 0.25;
export const NEGATIVE_THRESHOLD = 0.1;
/** Negativity bias: in feedback a negative word says more than a positive one. */
const NEGATIVE_WEIGHT = 1.5;

export function normaliseScore(raw: number): number {
  return raw / Math.sqrt(raw * raw + NORMALISATION_ALPHA);
}

export function labelOf(score: number): SentimentLabel {
  if (score >= POSITIVE_THRESHOLD) return 'positive';
  if (score <= -NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

type LanguageOf = (token: Token) => string;

interface BaseValence {
  readonly valence: number;
  /** One past the last token (phrases span several). */
  readonly to: number;
  /** The phrase carries its own negation ("не работает"), so no outer negation applies. */
  readonly negationInside: boolean;
}

function lexiconOfToken(token: Token, languageOf: LanguageOf): Lexicon | undefined {
  return token.kind === 'word' || token.kind === 'number' ? lexiconFor(languageOf(token)) : undefined;
}

/** Valence of each token before modifiers; phrase valences are put on their first token. */
function baseValences(tokens: readonly Token[], sentence: Sentence, languageOf: LanguageOf): (BaseValence | null)[] {
  const base: (BaseValence | null)[] = new Array(sentence.to - sentence.from).fill(null);
  const covered: boolean[] = new Array(sentence.to - sentence.from).fill(false);
  const languages = new Set<string>();
  for (let index = sentence.from; index < sentence.to; index++) {
    const token = tokens[index]!;
    if (token.kind === 'word') languages.add(languageOf(token));
  }
  for (const language of languages) {
    const lexicon = lexiconFor(language);
    if (!lexicon) continue;
    const eligible = (token: Token) => isWordLike(token) && languageOf(token) === language;
    const matches = matchPatterns(lexicon.phrases, tokens, eligible, sentence.from, sentence.to).sort(
      (a, b) => a.from - b.from || b.to - a.to,
    );
    for (const match of matches) {
      const offset = match.from - sentence.from;
      if (covered.slice(offset, match.to - sentence.from).some(Boolean)) continue;
      for (let index = match.from; index < match.to; index++) covered[index - sentence.from] = true;
      base[offset] = {
        valence: match.pattern.payload,
        to: match.to,
        negationInside: isNegator(lexicon, tokens[match.from]!),
      };
    }
  }
  for (let index = sentence.from; index < sentence.to; index++) {
    const offset = index - sentence.from;
    if (covered[offset]) continue;
    const token = tokens[index]!;
    let valence: number | undefined;
    if (token.kind === 'emoji') valence = emojiValenceOf(token.norm);
    else if (token.kind === 'emoticon') valence = emoticonValenceOf(token.norm);
    else {
      const lexicon = lexiconOfToken(token, languageOf);
      if (lexicon) valence = valenceOf(lexicon, token);
    }
    if (valence !== undefined) base[offset] = { valence, to: index + 1, negationInside: false };
  }
  // Tokens inside a phrase other than its first are marked so that the main loop skips them.
  for (let index = sentence.from; index < sentence.to; index++) {
    const offset = index - sentence.from;
    if (covered[offset] && base[offset] === null)
      base[offset] = { valence: Number.NaN, to: index + 1, negationInside: false };
  }
  return base;
}

interface ScoredSentence {
  raw: number;
  readonly contributions: Contribution[];
  readonly exclamations: number;
  readonly isQuestion: boolean;
}

function scoreSentence(tokens: readonly Token[], sentence: Sentence, languageOf: LanguageOf): ScoredSentence {
  const base = baseValences(tokens, sentence, languageOf);
  const valenceAt = (index: number) => base[index - sentence.from]?.valence ?? 0;
  const lexiconAt = (index: number) => lexiconOfToken(tokens[index]!, languageOf);

  let contrastAt = -1;
  const concessiveUntil = new Map<number, number>();
  for (let index = sentence.from; index < sentence.to; index++) {
    const token = tokens[index]!;
    const lexicon = lexiconAt(index);
    if (!lexicon) continue;
    if (lexicon.contrast.has(token.norm)) contrastAt = index;
    if (lexicon.concessive.has(token.norm)) {
      let end = index + 1;
      while (end < sentence.to && tokens[end]!.kind !== 'punct') end++;
      concessiveUntil.set(index, end);
    }
  }
  const inConcessive = (index: number) => [...concessiveUntil].some(([start, end]) => index > start && index < end);

  const isNegated = (index: number): boolean => {
    for (let back = 1; back <= NEGATION_WINDOW; back++) {
      const position = index - back;
      if (position < sentence.from) return false;
      const token = tokens[position]!;
      const lexicon = lexiconAt(position);
      if (!lexicon || token.kind === 'punct') return false;
      if (isNegator(lexicon, token)) {
        const next = tokens[position + 1]!;
        return !lexicon.negationCancellers.has(next.norm);
      }
      if (lexicon.contrast.has(token.norm)) return false;
      const valence = valenceAt(position);
      if (valence !== 0 && !Number.isNaN(valence)) return false;
    }
    return false;
  };

  /** A wish or hypothetical opened up to four words before (or "бы" right after) a word. */
  const isIrrealis = (index: number): boolean => {
    const after = tokens[index + 1];
    if (after !== undefined && index + 1 < sentence.to && lexiconAt(index + 1)?.irrealis.has(after.norm)) return true;
    for (let back = 1; back <= IRREALIS_WINDOW; back++) {
      const position = index - back;
      if (position < sentence.from) return false;
      const token = tokens[position]!;
      if (token.kind === 'punct') return false;
      if (lexiconAt(position)?.irrealis.has(token.norm)) return true;
    }
    return false;
  };

  const isNegatedVerb = (index: number, lexicon: Lexicon): boolean => {
    const previous = tokens[index - 1];
    const { norm } = tokens[index]!;
    return (
      index > sentence.from &&
      previous !== undefined &&
      isNegator(lexicon, previous) &&
      norm.length > 3 &&
      lexicon.negatedVerbEndings.some((ending) => norm.endsWith(ending))
    );
  };

  const boostOf = (index: number): number => {
    let boost = 1;
    for (let back = 1; back <= 2; back++) {
      const position = index - back;
      if (position < sentence.from) break;
      const lexicon = lexiconAt(position);
      const factor = lexicon?.boosters.lookup(tokens[position]!);
      if (factor === undefined) break;
      boost *= 1 + (factor - 1) * (back === 1 ? 1 : 0.8);
    }
    return boost;
  };

  const contributions: Contribution[] = [];
  let exclamations = 0;
  for (let index = sentence.from; index < sentence.to; index++) {
    const token = tokens[index]!;
    if (token.kind === 'punct') exclamations += [...token.norm].filter((char) => char === '!').length;
    const entry = base[index - sentence.from];
    if (entry && Number.isNaN(entry.valence)) continue;
    const lexicon = lexiconAt(index);
    let valence = entry?.valence ?? 0;
    let to = entry?.to ?? index + 1;
    if (token.kind === 'word' || token.kind === 'number') {
      if (!lexicon) continue;
      const negated = !entry?.negationInside && isNegated(index);
      if (valence === 0) {
        const negatedNeutral = negated ? lexicon.negatedNeutral.lookup(token) : undefined;
        if (negatedNeutral !== undefined) valence = negatedNeutral;
        else if (negated && isNegatedVerb(index, lexicon)) valence = NEGATED_VERB;
        else if (negated && lexicon.boosters.lookup(token) !== undefined && !valencedAhead(index, sentence, base)) {
          // "не очень", "not very": a negated booster with nothing after it is a mild complaint.
          valence = -1;
        }
        to = index + 1;
      } else {
        valence *= boostOf(index);
        if (negated) valence *= NEGATION_SCALAR;
      }
      if (valence !== 0 && (token.shouted || token.elongated)) valence += Math.sign(valence) * EMPHASIS_INCREMENT;
      if (valence > 0 && isIrrealis(index)) valence *= POSITIVE_IN_IRREALIS;
    }
    if (valence === 0) continue;
    if (valence < 0) valence *= NEGATIVE_WEIGHT;
    if (contrastAt !== -1) valence *= index < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    if (inConcessive(index)) valence *= CONCESSIVE_CLAUSE;
    contributions.push({ from: index, to, valence });
    index = to - 1;
  }
  flipSarcasticThanks(tokens, contributions, lexiconAt);
  const isQuestion = tokens
    .slice(sentence.from, sentence.to)
    .some((token) => token.kind === 'punct' && token.norm.includes('?'));
  if (isQuestion) {
    const rhetorical = isComplaintQuestion(tokens, sentence, languageOf);
    contributions.forEach((contribution, index) => {
      if (contribution.valence > 0) {
        contributions[index] = { ...contribution, valence: contribution.valence * POSITIVE_IN_QUESTION };
      } else if (!rhetorical && complaintQuestionWords[languageOf(tokens[contribution.from]!)] !== undefined) {
        contributions[index] = { ...contribution, valence: contribution.valence * NEGATIVE_IN_QUESTION };
      }
    });
  }
  return { raw: 0, contributions, exclamations, isQuestion };
}

function sentenceRaw(sentence: ScoredSentence): number {
  let raw = sentence.contributions.reduce((sum, contribution) => sum + contribution.valence, 0);
  if (raw !== 0 && sentence.exclamations > 0) {
    raw += Math.sign(raw) * EXCLAMATION_INCREMENT * Math.min(sentence.exclamations, MAX_EXCLAMATIONS);
  }
  return raw;
}

/**
 * Questions that are complaints in disguise ("why is it still not working?", "how come…", "where is my order?"):
 * their negative words count in full. Other questions ("is my order delayed?", "can you help with an issue?") ask
 * for information, and a negative word in them says less. Only languages listed here damp negatives in questions.
 */
const complaintQuestionWords: Readonly<Record<string, ReadonlySet<string>>> = {
  en: new Set(['why', 'how come', "where's", 'where', 'seriously', 'really', 'wtf', 'what the', 'who']),
};
const QUESTION_OPENING = 4;

function isComplaintQuestion(tokens: readonly Token[], sentence: Sentence, languageOf: LanguageOf): boolean {
  const words: string[] = [];
  for (let index = sentence.from; index < sentence.to && words.length < QUESTION_OPENING; index++) {
    const token = tokens[index]!;
    if (token.kind === 'word') words.push(token.norm);
  }
  return words.some((word, index) => {
    const markers = complaintQuestionWords[languageOf(tokens[sentence.from]!)] ?? complaintQuestionWords.en!;
    return markers.has(word) || (index > 0 && markers.has(`${words[index - 1]} ${word}`));
  });
}

/** Thanks that stand alone ("thanks!", "thank you"), not thanks for something ("thanks for the quick fix"). */
function isBareGratitude(tokens: readonly Token[], contribution: Contribution, languageOf: LanguageOf): boolean {
  const token = tokens[contribution.from]!;
  const lexicon = lexiconOfToken(token, languageOf);
  return lexicon?.gratitude.lookup(token) === true && gratitudeObjectAt(tokens, contribution.from, lexicon) === -1;
}

/**
 * Thanks are praise only in a text that has nothing to complain about and asks nothing: "thanks" closing a request
 * ("can you check my order? Thanks!") or a complaint ("still no refund, thanks") is politeness, not satisfaction.
 */
function discountPoliteThanks(tokens: readonly Token[], scored: ScoredSentence[], languageOf: LanguageOf): void {
  const complains = scored.some((sentence) => sentence.contributions.some((contribution) => contribution.valence < 0));
  const asks = scored.some((sentence) => sentence.isQuestion);
  if (!complains && !asks) return;
  const factor = complains ? POLITE_THANKS_IN_COMPLAINT : POLITE_THANKS_IN_REQUEST;
  for (const sentence of scored) {
    sentence.contributions.forEach((contribution, index) => {
      if (contribution.valence > 0 && isBareGratitude(tokens, contribution, languageOf)) {
        sentence.contributions[index] = { ...contribution, valence: contribution.valence * factor };
      }
    });
  }
}

/** "Thanks for keeping me on hold": thanks whose object turns out bad count against. */
function flipSarcasticThanks(
  tokens: readonly Token[],
  contributions: Contribution[],
  lexiconAt: (index: number) => Lexicon | undefined,
): void {
  contributions.forEach((contribution, position) => {
    if (contribution.valence <= 0) return;
    const lexicon = lexiconAt(contribution.from);
    if (!lexicon?.gratitude.lookup(tokens[contribution.from]!)) return;
    const object = gratitudeObjectAt(tokens, contribution.from, lexicon);
    if (object === -1) return;
    const firstNegative = contributions.slice(position + 1).find((later) => later.valence < 0);
    if (firstNegative === undefined || remedyBetween(tokens, object, firstNegative.from, lexicon.language)) return;
    contributions[position] = { ...contribution, valence: -contribution.valence };
  });
}

/** Words that may stand between "thank" and its object ("thank you so much for"). */
const GRATITUDE_FILLERS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: new Set(['you', 'u', 'ya', 'so', 'very', 'much', 'again', 'guys', 'all']),
  ru: new Set(['вам', 'тебе', 'большое', 'огромное', 'еще', 'ещё']),
};

/** Index of the "for"/"за" that opens the object of thanks, or -1 when the thanks stand alone. */
function gratitudeObjectAt(tokens: readonly Token[], from: number, lexicon: Lexicon): number {
  const fillers = GRATITUDE_FILLERS[lexicon.language];
  for (let index = from + 1; index < Math.min(tokens.length, from + 5); index++) {
    const token = tokens[index]!;
    if (lexicon.gratitudeObject.has(token.norm)) return index;
    if (token.kind !== 'word' || !fillers?.has(token.norm)) return -1;
  }
  return -1;
}

const remedyTables = new Map<string, WordTable<true> | null>();

function remedyTable(language: string): WordTable<true> | null {
  let table = remedyTables.get(language);
  if (table === undefined) {
    const words = (modifiers as Readonly<Record<string, LanguageModifiers | undefined>>)[language]?.remedies;
    table = words ? new WordTable(words.map((word) => [word, true] as const)) : null;
    remedyTables.set(language, table);
  }
  return table;
}

/** "Thanks for fixing the broken link": the bad thing was put right, so the thanks are sincere. */
function remedyBetween(tokens: readonly Token[], from: number, to: number, language: string): boolean {
  const table = remedyTable(language);
  if (!table) return false;
  for (let index = from + 1; index < to; index++) if (table.lookup(tokens[index]!) === true) return true;
  return false;
}

function valencedAhead(index: number, sentence: Sentence, base: readonly (BaseValence | null)[]): boolean {
  for (let position = index + 1; position < Math.min(sentence.to, index + 3); position++) {
    const valence = base[position - sentence.from]?.valence;
    if (valence !== undefined && valence !== 0) return true;
  }
  return false;
}

function startsWithContrast(tokens: readonly Token[], sentence: Sentence, languageOf: LanguageOf): boolean {
  const first = tokens[sentence.from]!;
  return lexiconOfToken(first, languageOf)?.contrast.has(first.norm) ?? false;
}

export function analyseSentiment(analysed: AnalysedText, languageOf: LanguageOf): SentimentAnalysis {
  const { tokens } = analysed;
  const scored = analysed.sentences.map((sentence) => scoreSentence(tokens, sentence, languageOf));
  discountPoliteThanks(tokens, scored, languageOf);
  for (const sentence of scored) sentence.raw = sentenceRaw(sentence);
  analysed.sentences.forEach((sentence, index) => {
    if (index > 0 && startsWithContrast(tokens, sentence, languageOf)) {
      scored[index - 1]!.raw *= BEFORE_CONTRAST;
      scored[index]!.raw *= AFTER_CONTRAST;
    }
  });
  const raw = scored.reduce((sum, sentence) => sum + sentence.raw, 0);
  const score = normaliseScore(raw);
  return {
    raw,
    score,
    label: labelOf(score),
    sentences: analysed.sentences.map((sentence, index) => {
      const sentenceScore = normaliseScore(scored[index]!.raw);
      return {
        start: sentence.start,
        end: sentence.end,
        raw: scored[index]!.raw,
        score: sentenceScore,
        label: labelOf(sentenceScore),
      };
    }),
    contributions: scored.flatMap((sentence) => sentence.contributions),
  };
}
