import type { Categorisation } from '@cxloop/events';
import { analyse, type CategoriseInput } from './analysis';
import { applyCorrection, type Correction } from './corrections';
import { applyModel, type CorrectionModel } from './learner';
import { analyseSentiment } from './sentiment';
import { detectSignals } from './signals';
import type { CompiledTaxonomy } from './taxonomy';
import { matchTopics, round } from './topics';
import { CATEGORISER_VERSION } from './version';

export interface CategoriseOverrides {
  /** The deployment's model trained from corrections; adjusts the rule-based labels. */
  readonly model?: CorrectionModel;
  /** A person's correction of this very feedback; its labels win over everything else. */
  readonly correction?: Correction;
}

/**
 * NPS promoters (9–10) and detractors (0–6) differ from the generic bands, where the top and bottom fifth of a
 * scale count as clearly satisfied or dissatisfied.
 */
function scoreBand(score: NonNullable<CategoriseInput['score']>, kind: string | undefined): 'high' | 'low' | 'mid' {
  const high = kind === 'nps' ? 0.85 : 0.75;
  const low = kind === 'nps' ? 0.35 : 0.25;
  if (score.normalised >= high) return 'high';
  if (score.normalised <= low) return 'low';
  return 'mid';
}

const CLEAR_SENTIMENT = 0.4;

/** false when the score and the text clearly disagree (NPS 10 with an angry comment, 1 star with praise). */
export function isConsistent(input: CategoriseInput, sentimentScore: number): boolean {
  if (!input.score) return true;
  const band = scoreBand(input.score, input.kind);
  if (band === 'high') return sentimentScore > -CLEAR_SENTIMENT;
  if (band === 'low') return sentimentScore < CLEAR_SENTIMENT;
  return true;
}

/** Rule-based categorisation of one feedback text, optionally adjusted by the learned model and a correction. */
export function categorise(
  input: CategoriseInput,
  taxonomy: CompiledTaxonomy,
  overrides: CategoriseOverrides = {},
): Categorisation {
  const analysis = analyse(input);
  const { analysed, language, languageOf } = analysis;
  const sentiment = analyseSentiment(analysed, languageOf);
  const signals = detectSignals(analysed, languageOf, sentiment);
  let categorisation: Categorisation = {
    categoriserVersion: CATEGORISER_VERSION,
    taxonomyVersion: taxonomy.version,
    language,
    sentiment: { label: sentiment.label, score: round(sentiment.score) },
    sentences: sentiment.sentences.map((sentence) => ({
      start: sentence.start,
      end: sentence.end,
      sentiment: { label: sentence.label, score: round(sentence.score) },
    })),
    topics: matchTopics(analysed, taxonomy, languageOf),
    intents: signals.intents,
    churnRisk: signals.churnRisk,
    urgency: signals.urgency,
    consistent: true,
    corrected: false,
  };
  if (overrides.model) categorisation = applyModel(categorisation, analysis, overrides.model);
  if (overrides.correction) categorisation = applyCorrection(categorisation, overrides.correction);
  return { ...categorisation, consistent: isConsistent(input, categorisation.sentiment.score) };
}
