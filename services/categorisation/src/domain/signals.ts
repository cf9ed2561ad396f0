import type { Categorisation, Evidence } from '@cxloop/events';
import { type CueGroup, cues } from '../../lexicons/cues';
import { isNegator, lexiconFor } from './lexicon';
import { compilePatterns, matchPatterns, type PatternIndex } from './patterns';
import type { SentimentAnalysis } from './sentiment';
import { type AnalysedText, isWordLike, type Token } from './text';
import { round } from './topics';

/** Intents, churn risk and urgency from cue phrases and the sentiment. */
type Intent = Categorisation['intents'][number];
type Urgency = Categorisation['urgency'];

interface Cue {
  readonly group: CueGroup;
  readonly weight: number;
}

const cueIndexes = new Map<string, PatternIndex<Cue> | null>();

function cueIndexFor(language: string): PatternIndex<Cue> | null {
  let index = cueIndexes.get(language);
  if (index !== undefined) return index;
  const groups = language === 'ru' || language === 'en' ? cues[language] : undefined;
  index = groups
    ? compilePatterns(
        Object.entries(groups).flatMap(([group, patterns]) =>
          Object.entries(patterns).map(([pattern, weight]) => ({
            pattern,
            payload: { group: group as CueGroup, weight },
          })),
        ),
        language,
        'stem',
      )
    : null;
  cueIndexes.set(language, index);
  return index;
}

interface GroupHits {
  score: number;
  readonly evidence: Evidence[];
}

const MAX_EVIDENCE = 8;
const INTENT_THRESHOLD = 0.5;

function emptyHits(): Record<CueGroup, GroupHits> {
  const none = () => ({ score: 0, evidence: [] });
  return {
    idea: none(),
    question: none(),
    complaint: none(),
    praise: none(),
    churn: none(),
    legal: none(),
    urgent: none(),
  };
}

/** Cues combine as 1 − Π(1 − w); overlapping cues ("в суд", "суд") are one piece of evidence, the longer span kept. */
function addHit(hits: GroupHits, weight: number, evidence: Evidence): void {
  const overlapping = hits.evidence.findIndex((known) => known.start < evidence.end && evidence.start < known.end);
  if (overlapping === -1) {
    hits.score = 1 - (1 - hits.score) * (1 - weight);
    if (hits.evidence.length < MAX_EVIDENCE) hits.evidence.push(evidence);
    return;
  }
  hits.score = Math.max(hits.score, weight);
  const known = hits.evidence[overlapping]!;
  if (evidence.end - evidence.start > known.end - known.start) hits.evidence[overlapping] = evidence;
}

/** A cue right after a negation ("не уйду", "won't cancel") is not a cue. */
function negatedBefore(tokens: readonly Token[], from: number, language: string): boolean {
  const lexicon = lexiconFor(language);
  if (!lexicon) return false;
  for (let position = from - 1; position >= Math.max(0, from - 2); position--) {
    const token = tokens[position]!;
    if (token.kind === 'punct') return false;
    if (isNegator(lexicon, token)) return true;
  }
  return false;
}

function collectCues(analysed: AnalysedText, languageOf: (token: Token) => string): Record<CueGroup, GroupHits> {
  const { text, tokens } = analysed;
  const hits = emptyHits();
  const languages = new Set(tokens.filter(isWordLike).map(languageOf));
  for (const language of languages) {
    const index = cueIndexFor(language);
    if (!index) continue;
    const eligible = (token: Token) => isWordLike(token) && languageOf(token) === language;
    for (const match of matchPatterns(index, tokens, eligible)) {
      const first = tokens[match.from]!;
      const lexicon = lexiconFor(language);
      const cueIsNegation = lexicon !== undefined && isNegator(lexicon, first);
      if (!cueIsNegation && negatedBefore(tokens, match.from, language)) continue;
      const { group, weight } = match.pattern.payload;
      if (group === 'question') continue;
      const end = tokens[match.to - 1]!.end;
      addHit(hits[group], weight, {
        start: first.start,
        end,
        text: text.slice(first.start, end),
        rule: match.pattern.source,
      });
    }
  }
  collectQuestions(analysed, languageOf, hits.question);
  return hits;
}

/** A sentence that ends with "?" or opens with a question cue ("подскажите", "is there") asks something. */
function collectQuestions(analysed: AnalysedText, languageOf: (token: Token) => string, hits: GroupHits): void {
  const { text, tokens } = analysed;
  for (const sentence of analysed.sentences) {
    const questionMark = tokens
      .slice(sentence.from, sentence.to)
      .find((token) => token.kind === 'punct' && token.norm.includes('?'));
    if (questionMark) {
      const { start, end } = questionMark;
      addHit(hits, 0.75, { start, end, text: text.slice(start, end), rule: '?' });
    }
    const firstWord = tokens.slice(sentence.from, sentence.to).findIndex((token) => token.kind === 'word');
    if (firstWord === -1) continue;
    const from = sentence.from + firstWord;
    const language = languageOf(tokens[from]!);
    const index = cueIndexFor(language);
    if (!index) continue;
    const opening = matchPatterns(
      index,
      tokens,
      (token) => isWordLike(token) && languageOf(token) === language,
      from,
      Math.min(from + 3, sentence.to),
    )
      .filter((match) => match.from === from && match.pattern.payload.group === 'question')
      .sort((a, b) => b.pattern.payload.weight - a.pattern.payload.weight)[0];
    if (!opening) continue;
    const weight = questionMark ? opening.pattern.payload.weight : opening.pattern.payload.weight >= 0.6 ? 0.6 : 0;
    if (weight === 0) continue;
    const end = tokens[opening.to - 1]!.end;
    addHit(hits, weight, {
      start: tokens[from]!.start,
      end,
      text: text.slice(tokens[from]!.start, end),
      rule: opening.pattern.source,
    });
  }
}

function contributionEvidence(
  analysed: AnalysedText,
  sentiment: SentimentAnalysis,
  sign: 1 | -1,
  rule: string,
): Evidence[] {
  const { text, tokens } = analysed;
  return sentiment.contributions
    .filter((contribution) => Math.sign(contribution.valence) === sign)
    .sort((a, b) => Math.abs(b.valence) - Math.abs(a.valence))
    .slice(0, 5)
    .map((contribution) => {
      const start = tokens[contribution.from]!.start;
      const end = tokens[contribution.to - 1]!.end;
      return { start, end, text: text.slice(start, end), rule };
    });
}

function intent(id: Intent['id'], score: number, evidence: Evidence[]): Intent | null {
  if (score < INTENT_THRESHOLD) return null;
  const unique = evidence.filter(
    (item, index) => evidence.findIndex((other) => other.start === item.start && other.end === item.end) === index,
  );
  return {
    id,
    score: round(Math.min(score, 1)),
    evidence: unique.sort((a, b) => a.start - b.start).slice(0, MAX_EVIDENCE),
  };
}

export interface Signals {
  readonly intents: Intent[];
  readonly churnRisk: Categorisation['churnRisk'];
  readonly urgency: Urgency;
}

export function detectSignals(
  analysed: AnalysedText,
  languageOf: (token: Token) => string,
  sentiment: SentimentAnalysis,
): Signals {
  const hits = collectCues(analysed, languageOf);
  const negativity = Math.max(0, -sentiment.score);
  const positivity = Math.max(0, sentiment.score);
  // A text can praise in one sentence and complain in the next: intents read the strongest sentence of each kind.
  const mostNegative = Math.max(negativity, ...sentiment.sentences.map((sentence) => -sentence.score));
  const mostPositive = Math.max(positivity, ...sentiment.sentences.map((sentence) => sentence.score));

  const complaintScore =
    1 - (1 - hits.complaint.score * (positivity > 0.5 ? 0.5 : 1)) * (1 - Math.min(1, mostNegative * 1.4));
  const praiseScore =
    1 - (1 - hits.praise.score * (negativity > 0.3 ? 0.3 : 1)) * (1 - Math.min(1, mostPositive * 1.4));
  const intents = [
    intent('complaint', complaintScore, [
      ...hits.complaint.evidence,
      ...contributionEvidence(analysed, sentiment, -1, 'negative sentiment'),
    ]),
    intent('praise', praiseScore, [
      ...hits.praise.evidence,
      ...contributionEvidence(analysed, sentiment, 1, 'positive sentiment'),
    ]),
    intent('idea', hits.idea.score, hits.idea.evidence),
    intent('question', hits.question.score, hits.question.evidence),
  ].filter((item): item is Intent => item !== null);

  const churnCues = 1 - (1 - hits.churn.score) * (1 - hits.legal.score);
  const churnScore = churnCues * (sentiment.score > 0.3 ? 0.5 : 1) + (churnCues > 0 ? negativity * 0.2 : 0);
  const churnRisk = {
    score: round(Math.min(1, churnScore)),
    evidence: [...hits.churn.evidence, ...hits.legal.evidence].sort((a, b) => a.start - b.start).slice(0, MAX_EVIDENCE),
  };

  const complaint = intents.some((item) => item.id === 'complaint');
  const question = intents.some((item) => item.id === 'question');
  let urgency: Urgency = 'normal';
  if (hits.legal.score >= 0.8 || hits.urgent.score >= 0.8 || (churnRisk.score >= 0.7 && sentiment.score <= -0.5)) {
    urgency = 'high';
  } else if (!complaint && !question && churnRisk.score < 0.3 && hits.urgent.score === 0) urgency = 'low';
  return { intents, churnRisk, urgency };
}
