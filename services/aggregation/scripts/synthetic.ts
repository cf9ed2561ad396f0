import { encodeTime } from 'ulid';
import type { FeedbackRecord, LabelRecord } from '../src/domain/feedback-record';

/** Deterministic pseudo-random numbers (mulberry32), so that every run of a benchmark sees the same responses. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(weighted: readonly (readonly [T, number])[]): T => {
    let roll = next() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of weighted) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return weighted.at(-1)![0];
  };
  return { next, pick, integer: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

const topics = [
  'delivery',
  'support',
  'price',
  'quality',
  'app',
  'payment',
  'returns',
  'packaging',
  'courier',
  'website',
];
const ruWords = ['доставка', 'опоздала', 'курьер', 'поддержка', 'быстро', 'отлично', 'цена', 'качество', 'приложение'];
const enWords = ['delivery', 'was', 'late', 'support', 'great', 'fast', 'price', 'quality', 'app', 'checkout'];

export interface SyntheticOptions {
  surveyId: string;
  /** Responses (distinct pieces of feedback). */
  count: number;
  /** Occurrence times spread evenly over [start, start + days). */
  start: Date;
  days: number;
  seed?: number;
}

/**
 * Realistic NPS responses in occurrence order: a skewed score distribution, web-heavy channels, Russian and English
 * comments on six in ten responses (median ≈ 90 characters), zero to three topics, customer plan and region.
 */
export function* syntheticResponses(options: SyntheticOptions): Generator<FeedbackRecord> {
  const random = randomSource(options.seed ?? 42);
  const span = options.days * 86_400_000;
  for (let index = 0; index < options.count; index++) {
    const occurredMs = options.start.getTime() + Math.floor(((index + random.next()) / options.count) * span);
    const score = random.pick([
      [10, 22],
      [9, 18],
      [8, 15],
      [7, 10],
      [6, 7],
      [5, 7],
      [4, 4],
      [3, 5],
      [2, 3],
      [1, 3],
      [0, 6],
    ] as const);
    const language = random.pick([
      ['ru', 7],
      ['en', 3],
    ] as const);
    const words = language === 'ru' ? ruWords : enWords;
    const wordCount = random.next() < 0.4 ? 0 : Math.round(Math.exp(2.5 + random.next() * 1.2));
    const text = Array.from({ length: wordCount }, () => words[random.integer(0, words.length - 1)]).join(' ');
    const labelCount = text ? random.integer(0, 3) : 0;
    const chosen = [
      ...new Set(Array.from({ length: labelCount }, () => topics[random.integer(0, topics.length - 1)]!)),
    ];
    const labels: LabelRecord[] = chosen.map((id) => {
      const start = random.integer(0, Math.max(0, text.length - 10));
      return {
        id,
        score: Math.round(random.next() * 100) / 100,
        evidence: [[start, Math.min(text.length, start + 8)]],
      };
    });
    const sentiment = score >= 9 ? 'positive' : score >= 7 ? 'neutral' : 'negative';
    yield {
      feedbackId: `fb_${encodeTime(occurredMs, 10)}${String(index).padStart(16, '0')}`,
      revision: 1,
      categorisedAt: new Date(occurredMs + 1500).toISOString(),
      surveyId: options.surveyId,
      timeZone: 'Europe/Moscow',
      kind: 'nps',
      score,
      ...(text ? { text } : {}),
      channel: random.pick([
        ['web', 60],
        ['email', 25],
        ['in_app', 10],
        ['sms', 5],
      ] as const),
      source: random.pick([
        ['widget', 70],
        ['email', 20],
        ['link', 10],
      ] as const),
      language: text ? language : 'und',
      sentiment: { label: sentiment, score: sentiment === 'positive' ? 0.6 : sentiment === 'negative' ? -0.6 : 0 },
      topics: labels,
      intents:
        text && random.next() < 0.5
          ? [{ id: score <= 6 ? 'complaint' : 'praise', score: 0.7, evidence: [[0, Math.min(8, text.length)]] }]
          : [],
      churnRisk: score <= 6 ? 0.4 : 0.05,
      attributes: {
        plan: random.pick([
          ['free', 50],
          ['pro', 35],
          ['enterprise', 15],
        ] as const),
        region: random.pick([
          ['eu', 40],
          ['us', 30],
          ['apac', 20],
          ['latam', 10],
        ] as const),
      },
      occurredAt: new Date(occurredMs).toISOString(),
    };
  }
}

/**
 * A live stream of deliveries: each response once, plus the effects of at-least-once delivery and updates. A share
 * of responses is delivered twice, and a share gets a second revision (the comment edited, the score sometimes
 * changed) a little later in the stream.
 */
export function* liveDeliveries(
  responses: Iterable<FeedbackRecord>,
  { duplicateShare = 0.05, updateShare = 0.1, seed = 7 } = {},
): Generator<FeedbackRecord> {
  const random = randomSource(seed);
  const later: { due: number; record: FeedbackRecord }[] = [];
  let position = 0;
  for (const record of responses) {
    yield record;
    position++;
    if (random.next() < duplicateShare) later.push({ due: position + random.integer(1, 80), record });
    if (random.next() < updateShare) {
      const changed = random.next() < 0.3 ? random.integer(0, 10) : record.score;
      later.push({
        due: position + random.integer(5, 200),
        record: {
          ...record,
          revision: 2,
          ...(changed === undefined ? {} : { score: changed }),
          categorisedAt: new Date(Date.parse(record.categorisedAt) + 60_000).toISOString(),
        },
      });
    }
    for (let index = later.length - 1; index >= 0; index--) {
      if (later[index]!.due <= position) yield later.splice(index, 1)[0]!.record;
    }
  }
  yield* later.map((entry) => entry.record);
}
