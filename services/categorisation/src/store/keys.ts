import type { Categorisation } from '@cxloop/events';

/**
 * Where a categorisation is listed in the generic `gsi1`: once under `all`, once under its sentiment, and once per
 * topic and intent. A feedback is multi-label, so each label is an item of its own in the feedback's partition,
 * written in the same transaction as the result.
 */
export type LabelKind = 'all' | 'sentiment' | 'topic' | 'intent';
export interface LabelRef {
  readonly kind: LabelKind;
  readonly id: string;
}

/** Caps a result's index items so that one transaction (100 actions) can replace all of them. */
export const MAX_INDEXED_TOPICS = 40;

export function labelsOf(categorisation: Categorisation): LabelRef[] {
  const topics = [...categorisation.topics].sort((a, b) => b.score - a.score).slice(0, MAX_INDEXED_TOPICS);
  return [
    { kind: 'all', id: '*' },
    { kind: 'sentiment', id: categorisation.sentiment.label },
    ...topics.map((topic) => ({ kind: 'topic' as const, id: topic.id })),
    ...categorisation.intents.map((intent) => ({ kind: 'intent' as const, id: intent.id })),
  ];
}

const TAXONOMY_VERSION_DIGITS = 10;

export const categorisationKeys = {
  result: (feedbackId: string) => ({ pk: `FEEDBACK#${feedbackId}`, sk: 'CATEGORISATION' }),
  label: (feedbackId: string, label: LabelRef) => ({
    pk: `FEEDBACK#${feedbackId}`,
    sk: `LABEL#${label.kind}#${label.id}`,
  }),
  /** Newest first by when the customer gave the feedback; the feedback id keeps equal timestamps apart. */
  labelIndex: (label: LabelRef, occurredAt: string, feedbackId: string) => ({
    gsi1pk: labelPartition(label),
    gsi1sk: `${new Date(occurredAt).toISOString()}#${feedbackId}`,
  }),
  taxonomyVersion: (version: number) => ({
    pk: 'TAXONOMY',
    sk: `VERSION#${String(version).padStart(TAXONOMY_VERSION_DIGITS, '0')}`,
  }),
  activeTaxonomy: () => ({ pk: 'TAXONOMY', sk: 'ACTIVE' }),
  /** Corrections share one partition: people make them, so there are few, and training reads them all consistently. */
  correction: (feedbackId: string) => ({ pk: 'CORRECTIONS', sk: `FEEDBACK#${feedbackId}` }),
  correctionCounter: () => ({ pk: 'CORRECTIONS', sk: 'COUNTER' }),
  model: () => ({ pk: 'MODEL', sk: 'ACTIVE' }),
};

/**
 * Kinds of items that hold personal data, each found through the person index (`@cxloop/privacy`): a result (the
 * feedback with its text and respondent, evidence snippets) and a correction (the text it corrected).
 */
export const personalItemKinds = { results: 'results', corrections: 'corrections' } as const;
export type PersonalItemKind = keyof typeof personalItemKinds;

export function labelPartition(label: LabelRef): string {
  return `LABEL#${label.kind}#${label.id}`;
}

export const TAXONOMY_VERSION_PREFIX = 'VERSION#';
export const CORRECTION_PREFIX = 'FEEDBACK#';
