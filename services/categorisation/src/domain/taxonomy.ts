import * as z from 'zod';
import { scriptOfLanguage } from './language';
import { compilePatterns, type PatternIndex, type TermMode } from './patterns';
import { type CompiledRegex, compileRegex, MAX_REGEX_PROGRAM_SIZE, regexProgramSize } from './regex';

/**
 * A taxonomy of feedback topics that the CX team edits. Each topic has rules per language:
 * - keywords: single words, compared by Snowball stem (`доставка` also matches `доставку`), or `word*` for any word
 *   starting with `word` (`достав*` also matches `доставили`);
 * - phrases: several such words in a row (`on hold`, `служб* поддержки`);
 * - exclusions: keywords or phrases; a keyword/phrase match that overlaps an exclusion match does not count
 *   (`доставить удовольствие` is not about delivery);
 * - regex: RE2 regular expressions (case-insensitive, Unicode) run on the text itself.
 */
const MAX_PATTERN_LENGTH = 100;
const MAX_REGEX_LENGTH = 200;
/** Every regex scans the text (at most MAX_ANALYSED_CHARS), so these bound the regex time of one text. */
const MAX_TAXONOMY_REGEXES = 50;
const MAX_TAXONOMY_REGEX_PROGRAM_SIZE = 1_000;

const languageCodeSchema = z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639-1 language code, e.g. "ru"');

const patternSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_PATTERN_LENGTH)
  .regex(/[\p{L}\p{N}]/u, 'a pattern needs at least one word');

const regexSchema = z
  .string()
  .min(1)
  .max(MAX_REGEX_LENGTH)
  .superRefine((source, context) => {
    const compiled = regexProgramSize(source);
    if ('problem' in compiled) context.addIssue({ code: 'custom', message: compiled.problem });
    else if (compiled.size > MAX_REGEX_PROGRAM_SIZE) {
      context.addIssue({
        code: 'custom',
        message: `too complex: ${compiled.size} RE2 instructions, at most ${MAX_REGEX_PROGRAM_SIZE}`,
      });
    }
  });

export const languageRulesSchema = z.object({
  keywords: z.array(patternSchema).max(1_000).default([]),
  phrases: z.array(patternSchema).max(1_000).default([]),
  exclusions: z.array(patternSchema).max(500).default([]),
  regex: z.array(regexSchema).max(50).default([]),
});
export type LanguageRules = z.infer<typeof languageRulesSchema>;

export const topicSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, "_" or "-"'),
  names: z.record(languageCodeSchema, z.string().min(1).max(80)),
  description: z.string().max(500).optional(),
  rules: z.record(languageCodeSchema, languageRulesSchema),
});
export type Topic = z.infer<typeof topicSchema>;

/** Flags the regex that takes the taxonomy past its budget (count or total program size). */
function checkRegexBudget(
  taxonomy: { topics: readonly { rules: Record<string, { regex: readonly string[] }> }[] },
  context: z.RefinementCtx,
): void {
  let count = 0;
  let size = 0;
  for (const [index, topic] of taxonomy.topics.entries()) {
    for (const [language, rules] of Object.entries(topic.rules)) {
      for (const [position, source] of rules.regex.entries()) {
        count++;
        const compiled = regexProgramSize(source);
        // A regex refused on its own (invalid or too complex) is reported by regexSchema.
        if ('size' in compiled && compiled.size <= MAX_REGEX_PROGRAM_SIZE) size += compiled.size;
        if (count > MAX_TAXONOMY_REGEXES || size > MAX_TAXONOMY_REGEX_PROGRAM_SIZE) {
          context.addIssue({
            code: 'custom',
            message:
              `the taxonomy's regexes exceed their budget: at most ${MAX_TAXONOMY_REGEXES} regexes ` +
              `of at most ${MAX_TAXONOMY_REGEX_PROGRAM_SIZE} RE2 instructions in all`,
            path: ['topics', index, 'rules', language, 'regex', position],
          });
          return;
        }
      }
    }
  }
}

export const taxonomySchema = z
  .object({
    version: z.number().int().nonnegative(),
    topics: z.array(topicSchema).max(200),
  })
  .superRefine((taxonomy, context) => {
    const seen = new Set<string>();
    taxonomy.topics.forEach((topic, index) => {
      if (seen.has(topic.id)) {
        context.addIssue({
          code: 'custom',
          message: `duplicate topic id "${topic.id}"`,
          path: ['topics', index, 'id'],
        });
      }
      seen.add(topic.id);
    });
    checkRegexBudget(taxonomy, context);
  });
export type Taxonomy = z.infer<typeof taxonomySchema>;
export type TaxonomyInput = z.input<typeof taxonomySchema>;

/** The body of `PUT /v1/taxonomy`: a taxonomy whose `version`, when given, must be the one it will be stored as. */
export const taxonomyBodySchema = z.looseObject({ version: z.number().int().positive().optional() });

export type TopicRuleKind = 'keyword' | 'phrase' | 'exclusion';

export interface TopicRuleRef {
  readonly topicId: string;
  readonly kind: TopicRuleKind;
}

export interface CompiledLanguageRules {
  readonly language: string;
  readonly script: ReturnType<typeof scriptOfLanguage>;
  readonly patterns: PatternIndex<TopicRuleRef>;
  readonly regexes: readonly { readonly topicId: string; readonly source: string; readonly regex: CompiledRegex }[];
}

export interface CompiledTaxonomy {
  readonly version: number;
  readonly topicIds: readonly string[];
  readonly languages: ReadonlyMap<string, CompiledLanguageRules>;
}

const KEYWORD_MODE: TermMode = 'stem';

function compileLanguage(taxonomy: Taxonomy, language: string): CompiledLanguageRules {
  const specs: { pattern: string; payload: TopicRuleRef }[] = [];
  const regexes: { topicId: string; source: string; regex: CompiledRegex }[] = [];
  for (const topic of taxonomy.topics) {
    const rules = topic.rules[language];
    if (!rules) continue;
    for (const pattern of rules.keywords) specs.push({ pattern, payload: { topicId: topic.id, kind: 'keyword' } });
    for (const pattern of rules.phrases) specs.push({ pattern, payload: { topicId: topic.id, kind: 'phrase' } });
    for (const pattern of rules.exclusions) specs.push({ pattern, payload: { topicId: topic.id, kind: 'exclusion' } });
    for (const source of rules.regex) regexes.push({ topicId: topic.id, source, regex: compileRegex(source) });
  }
  return {
    language,
    script: scriptOfLanguage(language),
    patterns: compilePatterns(specs, language, KEYWORD_MODE),
    regexes,
  };
}

const compiledCache = new WeakMap<Taxonomy, CompiledTaxonomy>();

/**
 * Validates a taxonomy and compiles it once (stems, pattern indexes, regexes); the result is cached per taxonomy
 * object, so callers can keep passing the same object on the hot path.
 */
export function compileTaxonomy(input: TaxonomyInput | Taxonomy): CompiledTaxonomy {
  const cached = compiledCache.get(input as Taxonomy);
  if (cached) return cached;
  const taxonomy = taxonomySchema.parse(input);
  const languages = new Map<string, CompiledLanguageRules>();
  for (const topic of taxonomy.topics) {
    for (const language of Object.keys(topic.rules)) {
      if (!languages.has(language)) languages.set(language, compileLanguage(taxonomy, language));
    }
  }
  const compiled: CompiledTaxonomy = {
    version: taxonomy.version,
    topicIds: taxonomy.topics.map((topic) => topic.id),
    languages,
  };
  compiledCache.set(input as Taxonomy, compiled);
  return compiled;
}
