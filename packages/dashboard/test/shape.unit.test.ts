import { describe, expect, it } from 'vitest';
import {
  breakdownRows,
  caseRows,
  changeOf,
  distributionOf,
  exampleComments,
  headlineOf,
  segmentsOf,
  sentimentShares,
  sortRows,
  topTopics,
  trendOf,
} from '../src/shape';
import type { FeedbackItem, Figures, FollowUpCase, GroupFigures, MetricPoint } from '../src/types';

const nps = (histogram: number[], extra: Partial<Figures> = {}): Figures => ({
  responses: histogram.reduce((sum, count) => sum + count, 0),
  histogram,
  scale: 'nps',
  n: histogram.reduce((sum, count) => sum + count, 0),
  ...extra,
});

const group = (value: string, n: number, score: number | null, delta: number | null = null): GroupFigures => ({
  value,
  responses: n,
  histogram: [],
  n,
  nps: score,
  marginOfError: score === null ? null : 10,
  interval: score === null ? null : { lower: score - 10, upper: score + 10 },
  previous: null,
  comparison: { metric: 'nps', delta, pValue: null, significant: false },
});

describe('headline figures', () => {
  it('takes NPS with its margin, CSAT top-2-box and CES mean with half their interval as ±', () => {
    expect(
      headlineOf('nps', nps([0], { nps: 20, marginOfError: 54, interval: { lower: -34, upper: 74 }, n: 10 })),
    ).toEqual({ n: 10, value: 20, lower: -34, upper: 74, margin: 54 });
    expect(
      headlineOf('csat', {
        ...nps([0]),
        scale: 'csat',
        n: 5,
        topTwoBox: { count: 3, percent: 60, interval: { lower: 23.07, upper: 88.24 } },
      }),
    ).toMatchObject({ value: 60, lower: 23.07, upper: 88.24, margin: (88.24 - 23.07) / 2 });
    expect(
      headlineOf('ces', {
        ...nps([0]),
        scale: 'ces',
        n: 4,
        mean: { mean: 5.5, standardDeviation: 1, interval: { lower: 4, upper: 7 } },
      }),
    ).toMatchObject({ value: 5.5, margin: 1.5 });
  });

  it('has no value, and no margin, without answers', () => {
    expect(headlineOf('nps', nps([0, 0], { nps: null, marginOfError: null, interval: null }))).toEqual({
      n: 0,
      value: null,
      lower: null,
      upper: null,
      margin: null,
    });
    expect(
      headlineOf('ces', { ...nps([]), scale: 'ces', mean: { mean: 6, standardDeviation: null, interval: null } }),
    ).toMatchObject({ value: 6, margin: null });
  });
});

describe('changes against the previous period', () => {
  it('says whether a change can be trusted', () => {
    expect(changeOf({ metric: 'nps', delta: -12, pValue: 0.01, significant: true })).toEqual({
      delta: -12,
      pValue: 0.01,
      verdict: 'significant',
      direction: 'down',
    });
    expect(changeOf({ metric: 'nps', delta: 4, pValue: 0.4, significant: false }).verdict).toBe('not-significant');
    expect(changeOf({ metric: 'nps', delta: 4, pValue: null, significant: false }).verdict).toBe('too-few');
    expect(changeOf({ metric: 'nps', delta: null, pValue: null, significant: false })).toMatchObject({
      verdict: 'no-previous',
      direction: null,
    });
    expect(changeOf(null).verdict).toBe('no-previous');
    expect(changeOf({ metric: 'nps', delta: 0, pValue: 1, significant: false }).direction).toBe('unchanged');
  });
});

describe('the trend', () => {
  it('leaves a gap (not a zero) where a bucket has no answers, and draws the band from the interval', () => {
    const point = (bucket: string, figures: Figures): MetricPoint => ({
      bucket,
      start: `${bucket}T00:00:00.000Z`,
      end: `${bucket}T23:59:59.999Z`,
      comparison: { metric: 'nps', delta: null, pValue: null, significant: false },
      ...figures,
    });
    const series = trendOf('nps', [
      point('2026-11-01', nps([1], { n: 4, nps: 50, interval: { lower: 10, upper: 90 } })),
      point('2026-11-02', nps([0], { n: 0, nps: null, interval: null })),
      point('2026-11-03', nps([1], { n: 1, nps: 100, interval: null })),
    ]);
    expect(series.values).toEqual([50, null, 100]);
    expect(series.lower).toEqual([10, null, 100]);
    expect(series.upper).toEqual([90, null, 100]);
    expect(series.counts).toEqual([4, 0, 1]);
  });
});

describe('the score distribution', () => {
  it('colours NPS answers as detractors, passives and promoters, with their shares', () => {
    const bars = distributionOf('nps', [1, 0, 0, 1, 0, 0, 1, 1, 1, 3, 2]);
    expect(bars.map((bar) => bar.group)).toEqual([
      'low',
      'low',
      'low',
      'low',
      'low',
      'low',
      'low',
      'middle',
      'middle',
      'high',
      'high',
    ]);
    expect(bars[9]).toEqual({ score: 9, count: 3, share: 30, group: 'high' });
  });

  it('splits CSAT at 4 and CES at 5, and has no shares without answers', () => {
    expect(distributionOf('csat', [1, 0, 1, 1, 2]).map((bar) => [bar.score, bar.group])).toEqual([
      [1, 'low'],
      [2, 'low'],
      [3, 'low'],
      [4, 'high'],
      [5, 'high'],
    ]);
    expect(distributionOf('ces', new Array(7).fill(0)).map((bar) => `${bar.score}:${bar.group}:${bar.share}`)).toEqual([
      '1:low:null',
      '2:low:null',
      '3:low:null',
      '4:low:null',
      '5:high:null',
      '6:high:null',
      '7:high:null',
    ]);
  });
});

describe('breakdown and topics', () => {
  const groups = [group('web', 5, 40, 10), group('email', 3, 0, -5), group('sms', 2, null), group('(none)', 9, 10)];

  it('sorts by any column, rows without a figure last either way', () => {
    const rows = breakdownRows('nps', groups);
    expect(sortRows(rows, 'n', 'descending').map((row) => row.value)).toEqual(['(none)', 'web', 'email', 'sms']);
    expect(sortRows(rows, 'score', 'ascending').map((row) => row.value)).toEqual(['email', '(none)', 'web', 'sms']);
    expect(sortRows(rows, 'score', 'descending').map((row) => row.value)).toEqual(['web', '(none)', 'email', 'sms']);
    expect(sortRows(rows, 'change', 'descending').map((row) => row.value)).toEqual(['web', 'email', '(none)', 'sms']);
    expect(sortRows(rows, 'value', 'ascending').map((row) => row.value)).toEqual(['(none)', 'email', 'sms', 'web']);
  });

  it('drops groups without answers in the period', () => {
    expect(breakdownRows('nps', [group('web', 0, null)])).toEqual([]);
  });

  it('lists the most mentioned topics, without answers that have none', () => {
    expect(topTopics('nps', groups, 2).map((row) => row.value)).toEqual(['web', 'email']);
  });
});

describe('comments', () => {
  const item = (
    feedbackId: string,
    text: string | undefined,
    label: FeedbackItem['sentiment']['label'],
    spans: [number, number][] = [],
  ) =>
    ({
      feedbackId,
      ...(text === undefined ? {} : { text }),
      score: 3,
      channel: 'web',
      sentiment: { label, score: 0 },
      topics: [{ id: 'delivery', score: 1, evidence: spans.map(([start, end]) => ({ start, end, text: '' })) }],
      intents: [],
      occurredAt: '2026-11-05T10:00:00.000Z',
    }) satisfies FeedbackItem;

  it('counts the sentiment of the comments', () => {
    expect(
      sentimentShares([item('a', 'x', 'negative'), item('b', 'y', 'negative'), item('c', 'z', 'positive')]),
    ).toEqual({ total: 3, positive: 1, neutral: 0, negative: 2 });
  });

  it('marks the evidence in a comment, merging spans that overlap', () => {
    expect(
      segmentsOf('Delivery was late again', [
        { start: 13, end: 17 },
        { start: 0, end: 8 },
        { start: 15, end: 23 },
      ]),
    ).toEqual([
      { text: 'Delivery', evidence: true },
      { text: ' was ', evidence: false },
      { text: 'late again', evidence: true },
    ]);
    expect(segmentsOf('abc', [{ start: 5, end: 9 }])).toEqual([{ text: 'abc', evidence: false }]);
  });

  it('takes the latest comments with text as examples, with that topic’s evidence', () => {
    const examples = exampleComments(
      [
        item('a', undefined, 'neutral'),
        item('b', 'Доставка опоздала', 'negative', [[0, 8]]),
        item('c', 'ok', 'positive'),
      ],
      'delivery',
      1,
    );
    expect(examples).toEqual([
      {
        feedbackId: 'b',
        score: 3,
        sentiment: 'negative',
        segments: [
          { text: 'Доставка', evidence: true },
          { text: ' опоздала', evidence: false },
        ],
      },
    ]);
  });
});

describe('open follow-ups', () => {
  const now = new Date('2026-11-05T12:00:00Z');
  const followUp = (caseId: string, priority: FollowUpCase['priority'], dueAt: string): FollowUpCase => ({
    caseId,
    feedbackId: `fb_${caseId}`,
    status: 'open',
    reason: 'detractor',
    priority,
    openedAt: '2026-11-04T12:00:00Z',
    dueAt,
  });

  it('puts overdue cases first, then by priority, then the soonest due', () => {
    const rows = caseRows(
      [
        followUp('normal-later', 'normal', '2026-11-06T12:00:00Z'),
        followUp('high-later', 'high', '2026-11-06T18:00:00Z'),
        followUp('low-overdue', 'low', '2026-11-05T11:00:00Z'),
        followUp('normal-sooner', 'normal', '2026-11-05T13:00:00Z'),
      ],
      now,
    );
    expect(rows.map((row) => row.caseId)).toEqual(['low-overdue', 'high-later', 'normal-sooner', 'normal-later']);
    expect(rows[0]).toMatchObject({ overdue: true, dueInMs: -3_600_000 });
    expect(rows[2]?.overdue).toBe(false);
  });
});
