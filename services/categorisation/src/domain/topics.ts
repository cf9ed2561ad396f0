import type { Evidence } from '@cxloop/events';
import { matchPatterns } from './patterns';
import { regexMatches } from './regex';
import type { CompiledTaxonomy, TopicRuleKind } from './taxonomy';
import { type AnalysedText, isWordLike, type Token } from './text';

export interface TopicMatch {
  readonly id: string;
  readonly score: number;
  readonly evidence: Evidence[];
}

/** How much one match says that the text is about the topic; several matches combine as 1 − Π(1 − w). */
const RULE_WEIGHT: Readonly<Record<TopicRuleKind | 'regex', number>> = {
  keyword: 0.6,
  phrase: 0.8,
  regex: 0.8,
  exclusion: 0,
};
const MAX_EVIDENCE_PER_TOPIC = 10;
const MAX_REGEX_MATCHES = 20;

interface Span {
  readonly start: number;
  readonly end: number;
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

export function matchTopics(
  analysed: AnalysedText,
  taxonomy: CompiledTaxonomy,
  languageOf: (token: Token) => string,
): TopicMatch[] {
  const { text, tokens } = analysed;
  const tokenLanguages = new Set(tokens.filter(isWordLike).map(languageOf));
  const found = new Map<string, { evidence: Evidence[]; missing: number }>();
  const add = (topicId: string, span: Span, rule: string, weight: number) => {
    let entry = found.get(topicId);
    if (!entry) {
      entry = { evidence: [], missing: 1 };
      found.set(topicId, entry);
    }
    if (entry.evidence.some((evidence) => evidence.start === span.start && evidence.end === span.end)) return;
    entry.missing *= 1 - weight;
    if (entry.evidence.length < MAX_EVIDENCE_PER_TOPIC) {
      entry.evidence.push({ start: span.start, end: span.end, text: text.slice(span.start, span.end), rule });
    }
  };

  for (const [language, rules] of taxonomy.languages) {
    if (!tokenLanguages.has(language)) continue;
    const eligible = (token: Token) => isWordLike(token) && languageOf(token) === language;
    const exclusions = new Map<string, Span[]>();
    const candidates: { topicId: string; span: Span; rule: string; weight: number }[] = [];
    for (const match of matchPatterns(rules.patterns, tokens, eligible)) {
      const span = { start: tokens[match.from]!.start, end: tokens[match.to - 1]!.end };
      const { topicId, kind } = match.pattern.payload;
      if (kind === 'exclusion') {
        exclusions.set(topicId, [...(exclusions.get(topicId) ?? []), span]);
      } else candidates.push({ topicId, span, rule: match.pattern.source, weight: RULE_WEIGHT[kind] });
    }
    for (const { topicId, source, regex } of rules.regexes) {
      for (const span of regexMatches(regex, text, MAX_REGEX_MATCHES)) {
        candidates.push({ topicId, span, rule: `/${source}/`, weight: RULE_WEIGHT.regex });
      }
    }
    for (const candidate of candidates) {
      const excluded = exclusions.get(candidate.topicId)?.some((span) => overlaps(span, candidate.span));
      if (!excluded) add(candidate.topicId, candidate.span, candidate.rule, candidate.weight);
    }
  }

  return [...found]
    .map(([id, { evidence, missing }]) => ({
      id,
      score: round(1 - missing),
      evidence: evidence.sort((a, b) => a.start - b.start),
    }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
