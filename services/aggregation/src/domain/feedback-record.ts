import type {
  Categorisation,
  Evidence,
  Feedback,
  FeedbackKind,
  FeedbackSource,
  PersonIdentifier,
} from '@cxloop/events';
import { feedbackTtl, respondentIdentifiers } from '@cxloop/privacy';

/**
 * The aggregation service's own copy of a piece of feedback and its labels: what the feedback explorer lists and what
 * a rebuild recounts from, so neither needs another service's table. Evidence keeps only the spans; their text is cut
 * from `text` when served, which keeps the item (and the write units it costs) small.
 */
export interface FeedbackRecord {
  feedbackId: string;
  revision: number;
  /** When this revision's labels were published: orders re-categorisations of one revision (later wins). */
  categorisedAt: string;
  surveyId?: string;
  /** The survey's time zone as the feedback carried it. */
  timeZone?: string;
  kind: FeedbackKind;
  score?: number;
  text?: string;
  channel: string;
  source: FeedbackSource;
  language: string;
  sentiment: { label: Categorisation['sentiment']['label']; score: number };
  topics: LabelRecord[];
  intents: LabelRecord[];
  churnRisk: number;
  attributes: Record<string, string | number | boolean>;
  occurredAt: string;
  /** End of life of this copy (DynamoDB TTL, epoch seconds): when the feedback's text or its respondent's ends. */
  expiresAt?: number;
  /** Hashes of the respondent's identifiers, by which an erasure finds the copy; used while writing, not kept. */
  identifiers?: PersonIdentifier[];
}

export interface LabelRecord {
  id: string;
  score: number;
  /** [start, end) UTF-16 offsets into `text`. */
  evidence: [number, number][];
}

export interface RecordVersion {
  revision: number;
  categorisedAt: string;
}

const spansOf = (evidence: readonly Evidence[]): [number, number][] => evidence.map(({ start, end }) => [start, end]);

export function feedbackRecordOf(
  feedback: Feedback,
  categorisation: Categorisation,
  categorisedAt: string,
): FeedbackRecord {
  return {
    feedbackId: feedback.feedbackId,
    revision: feedback.revision,
    categorisedAt: new Date(categorisedAt).toISOString(),
    ...(feedback.surveyId ? { surveyId: feedback.surveyId } : {}),
    ...(feedback.timeZone ? { timeZone: feedback.timeZone } : {}),
    kind: feedback.kind,
    ...(feedback.score ? { score: feedback.score.value } : {}),
    ...(feedback.text ? { text: feedback.text } : {}),
    channel: feedback.channel,
    source: feedback.source,
    language: categorisation.language,
    sentiment: { label: categorisation.sentiment.label, score: categorisation.sentiment.score },
    topics: categorisation.topics.map(({ id, score, evidence }) => ({ id, score, evidence: spansOf(evidence) })),
    intents: categorisation.intents.map(({ id, score, evidence }) => ({ id, score, evidence: spansOf(evidence) })),
    churnRisk: categorisation.churnRisk.score,
    attributes: feedback.attributes,
    occurredAt: feedback.occurredAt,
    expiresAt: feedbackTtl(feedback),
    identifiers: respondentIdentifiers(feedback.respondent),
  };
}

/**
 * Whether `candidate` should replace `current`: a higher revision, or the same revision categorised later (a
 * re-categorisation after a taxonomy change or a correction). Equal versions are copies of one delivery.
 */
export function isNewerVersion(candidate: RecordVersion, current: RecordVersion | undefined): boolean {
  if (!current) return true;
  if (candidate.revision !== current.revision) return candidate.revision > current.revision;
  return Date.parse(candidate.categorisedAt) > Date.parse(current.categorisedAt);
}

/** A label with its evidence as the explorer serves it: each span with the text it covers. */
export function labelWithEvidenceText(label: LabelRecord, text: string | undefined) {
  return {
    id: label.id,
    score: label.score,
    evidence: label.evidence.map(([start, end]) => ({ start, end, text: (text ?? '').slice(start, end) })),
  };
}
