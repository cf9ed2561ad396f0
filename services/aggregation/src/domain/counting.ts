import { NONE_SEGMENT_VALUE, segmentValueOf } from '@cxloop/events';
import type { FeedbackRecord } from './feedback-record';
import { bucketKey, histogramLength, isScoreOnScale, isScoreScale, type ScoreScale, scaleBounds } from './metrics';
import { ALL_DIMENSION, ALL_VALUE, combinationId, combinationParts, type SurveyConfig } from './survey-config';

/**
 * Where one version of a response is counted: its score, the day and hour bucket (in the survey's time zone) and its
 * value in every dimension. It is stored with the response, so a later version subtracts exactly what was added, even
 * after the configuration or the time zone changed.
 */
export interface Counted {
  scale: ScoreScale;
  score: number;
  day: string;
  hour: string;
  /** `dimension=value` for every dimension but `all`. */
  entries: string[];
}

export const NONE_VALUE = NONE_SEGMENT_VALUE;
/** Where values beyond a cell's {@link countingLimits.valuesPerCell} distinct values are counted. */
export const OTHER_VALUE = '(other)';

export const countingLimits = {
  /** Topics counted per response, the highest-scoring first. */
  topicsPerResponse: 5,
  /**
   * Distinct values in one dimension's item for one bucket. A cell item holds every value of its dimension, so this
   * bounds its size (and the write units every update of it costs) when a segment key turns out to have many values.
   */
  valuesPerCell: 100,
} as const;

/** Joins the two values of a combination; control characters are stripped from values, so it never occurs in one. */
export const COMBINED_VALUE_SEPARATOR = '\u001f';

/** A dimension value as counted: the same spelling as the segments alerts name (`segmentValueOf`). */
export const normaliseValue = segmentValueOf;

const distinct = (values: string[]) => [...new Set(values)];

/** Every value a response has in each plain dimension (several for topics and intents). */
export function dimensionValues(record: FeedbackRecord, config: SurveyConfig): Map<string, string[]> {
  const topics = [...record.topics]
    .sort((a, b) => b.score - a.score)
    .slice(0, countingLimits.topicsPerResponse)
    .map((topic) => normaliseValue(topic.id));
  const intents = record.intents.map((intent) => normaliseValue(intent.id));
  const values = new Map<string, string[]>([
    ['channel', [normaliseValue(record.channel)]],
    ['source', [normaliseValue(record.source)]],
    ['language', [normaliseValue(record.language)]],
    ['topic', topics.length > 0 ? distinct(topics) : [NONE_VALUE]],
    ['sentiment', [normaliseValue(record.sentiment.label)]],
    ['intent', intents.length > 0 ? distinct(intents) : [NONE_VALUE]],
  ]);
  for (const key of config.segmentKeys) values.set(key, [normaliseValue(record.attributes[key])]);
  return values;
}

export function scaleOf(record: Pick<FeedbackRecord, 'kind' | 'score'>): ScoreScale | undefined {
  if (!isScoreScale(record.kind) || record.score === undefined) return undefined;
  return isScoreOnScale(record.kind, record.score) ? record.kind : undefined;
}

/** Where a response is counted, or undefined when it is not (no survey, no score, or not an NPS/CSAT/CES score). */
export function countedOf(record: FeedbackRecord, config: SurveyConfig, timeZone: string): Counted | undefined {
  const scale = scaleOf(record);
  if (!record.surveyId || !scale || record.score === undefined) return undefined;
  const values = dimensionValues(record, config);
  const entries: string[] = [];
  for (const [dimension, dimensionValues] of values) {
    for (const value of dimensionValues) entries.push(`${dimension}=${value}`);
  }
  for (const [first, second] of config.combinations) {
    const dimension = combinationId(first, second);
    const [left, right] = combinationParts(dimension)!;
    for (const leftValue of values.get(left) ?? [NONE_VALUE]) {
      for (const rightValue of values.get(right) ?? [NONE_VALUE]) {
        entries.push(`${dimension}=${leftValue}${COMBINED_VALUE_SEPARATOR}${rightValue}`);
      }
    }
  }
  return {
    scale,
    score: record.score,
    day: bucketKey(record.occurredAt, 'day', timeZone),
    hour: bucketKey(record.occurredAt, 'hour', timeZone),
    entries,
  };
}

export function parseEntry(entry: string): { dimension: string; value: string } {
  const at = entry.indexOf('=');
  return { dimension: entry.slice(0, at), value: entry.slice(at + 1) };
}

/** One histogram item: every value of one dimension in one bucket (`day#2026-11-20` or `hour#2026-11-20T09`). */
export interface CellKey {
  scale: ScoreScale;
  dimension: string;
  bucket: string;
}

export const dayBucket = (day: string) => `day#${day}`;
export const hourBucket = (hour: string) => `hour#${hour}`;

/**
 * A value's histogram is stored packed into a few numbers: each number holds the counts of five consecutive scores in
 * seven decimal digits each (35 of DynamoDB's 38 significant digits), so that `ADD 10^(7·slot)` counts one answer.
 * NPS takes 3 numbers instead of 11 attributes, which makes a cell item (what each update costs in write units, and
 * what a query reads) three to four times smaller. A slot holds at most 9,999,999 answers of one score for one value
 * in one day (or hour).
 */
export const histogramPacking = { slotDigits: 7, slotsPerAttribute: 5 } as const;
const SLOT_BASE = 10n ** BigInt(histogramPacking.slotDigits);

/** The attribute of a cell item that holds group `group` (scores 5·group … 5·group + 4 of the scale) of `value`. */
export function packedAttribute(value: string, group: number): string {
  return `${value}|${group}`;
}

/** The value and group an attribute packs, or undefined for the item's other attributes. */
export function parsePackedAttribute(name: string): { value: string; group: number } | undefined {
  const at = name.lastIndexOf('|');
  if (at < 0) return undefined;
  const group = Number(name.slice(at + 1));
  return Number.isInteger(group) && name.slice(at + 1) !== '' ? { value: name.slice(0, at), group } : undefined;
}

/** The counts of the five slots of a packed number (as DynamoDB returns it: a number, a bigint or a numeric string). */
export function unpackSlots(packed: number | bigint | string): number[] {
  const digits = BigInt(packed).toString();
  if (digits.startsWith('-')) throw new RangeError(`A packed histogram is never negative: ${packed}`);
  // Cutting the decimal digits is several times faster than BigInt division, and a query unpacks thousands.
  const { slotDigits, slotsPerAttribute } = histogramPacking;
  return Array.from({ length: slotsPerAttribute }, (_, slot) => {
    const end = digits.length - slot * slotDigits;
    return end > 0 ? Number(digits.slice(Math.max(0, end - slotDigits), end)) : 0;
  });
}

/** Each cell (with its value) a counted response adds one answer to. */
export function cellsOf(counted: Counted): { key: CellKey; value: string }[] {
  const { scale } = counted;
  return [
    { key: { scale, dimension: ALL_DIMENSION, bucket: dayBucket(counted.day) }, value: ALL_VALUE },
    { key: { scale, dimension: ALL_DIMENSION, bucket: hourBucket(counted.hour) }, value: ALL_VALUE },
    ...counted.entries.map((entry) => {
      const { dimension, value } = parseEntry(entry);
      return { key: { scale, dimension, bucket: dayBucket(counted.day) }, value };
    }),
  ];
}

export const cellKeyId = (key: CellKey) => `${key.scale}#${key.dimension}#${key.bucket}`;

/**
 * The net change of every cell attribute from a set of moves (subtract what was counted, add what is counted now),
 * merged so that responses sharing a cell share its one update.
 */
export class CellDeltas {
  /** Cell → value → score index → change of its count. */
  private readonly cells = new Map<string, { key: CellKey; values: Map<string, Map<number, number>> }>();

  add(counted: Counted | undefined, sign: 1 | -1): this {
    if (!counted) return this;
    const index = counted.score - scaleBounds[counted.scale].min;
    for (const { key, value } of cellsOf(counted)) {
      const id = cellKeyId(key);
      let cell = this.cells.get(id);
      if (!cell) {
        cell = { key, values: new Map() };
        this.cells.set(id, cell);
      }
      let byIndex = cell.values.get(value);
      if (!byIndex) {
        byIndex = new Map();
        cell.values.set(value, byIndex);
      }
      byIndex.set(index, (byIndex.get(index) ?? 0) + sign);
    }
    return this;
  }

  move(before: Counted | undefined, after: Counted | undefined): this {
    return this.add(before, -1).add(after, 1);
  }

  /** The cells that change, each with the non-zero change of every packed attribute. */
  changes(): { key: CellKey; deltas: Map<string, bigint> }[] {
    const changes: { key: CellKey; deltas: Map<string, bigint> }[] = [];
    for (const { key, values } of this.cells.values()) {
      const deltas = new Map<string, bigint>();
      for (const [value, byIndex] of values) {
        for (const [index, delta] of byIndex) {
          const attribute = packedAttribute(value, Math.floor(index / histogramPacking.slotsPerAttribute));
          const slot = BigInt(index % histogramPacking.slotsPerAttribute);
          deltas.set(attribute, (deltas.get(attribute) ?? 0n) + BigInt(delta) * SLOT_BASE ** slot);
        }
      }
      for (const [attribute, delta] of deltas) if (delta === 0n) deltas.delete(attribute);
      if (deltas.size > 0) changes.push({ key, deltas });
    }
    return changes;
  }
}

/**
 * Admits values into cells up to {@link countingLimits.valuesPerCell} distinct values each, knowing the values the
 * cells hold already; anything beyond is counted as `(other)`. Decided per new value, so a response once counted keeps
 * its cell however full the cell becomes.
 */
export class ValueBudget {
  constructor(
    private readonly existing: Map<string, Set<string>>,
    private readonly limit: number = countingLimits.valuesPerCell,
  ) {}

  admit(key: CellKey, value: string): string {
    const id = cellKeyId(key);
    let values = this.existing.get(id);
    if (!values) {
      values = new Set();
      this.existing.set(id, values);
    }
    if (values.has(value) || value === OTHER_VALUE) return value;
    if (values.size >= this.limit) return OTHER_VALUE;
    values.add(value);
    return value;
  }

  /** The counted response with every value its cells cannot take replaced by `(other)`. */
  apply(counted: Counted): Counted {
    return {
      ...counted,
      entries: counted.entries.map((entry) => {
        const { dimension, value } = parseEntry(entry);
        const admitted = this.admit({ scale: counted.scale, dimension, bucket: dayBucket(counted.day) }, value);
        return `${dimension}=${admitted}`;
      }),
    };
  }
}

/** A value's histogram from a cell item's unpacked slots (zeros where nothing was counted). */
export function histogramOfValue(scale: ScoreScale, slots: ReadonlyMap<string, readonly number[]>, value: string) {
  const counts = slots.get(value) ?? [];
  return Array.from({ length: histogramLength(scale) }, (_, index) => counts[index] ?? 0);
}
