import { describe, expect, it } from 'vitest';
import {
  CellDeltas,
  COMBINED_VALUE_SEPARATOR,
  countedOf,
  normaliseValue,
  OTHER_VALUE,
  parsePackedAttribute,
  unpackSlots,
  ValueBudget,
} from '../../src/domain/counting';
import { defaultSurveyConfig, surveyConfigSchema } from '../../src/domain/survey-config';
import { npsRecord, topic } from '../support';

describe('normaliseValue', () => {
  it.each([
    ['web', 'web'],
    ['  pro  ', 'pro'],
    ['a\u0000b\nc', 'a b c'],
    ['', '(none)'],
    [undefined, '(none)'],
    [42, '42'],
    [true, 'true'],
    ['x'.repeat(80), 'x'.repeat(64)],
  ])('%j → %j', (value, expected) => {
    expect(normaliseValue(value)).toBe(expected);
  });
});

describe('countedOf', () => {
  it('places a response in its day and hour and in one value of every dimension', () => {
    const counted = countedOf(
      npsRecord({
        feedbackId: 'fb_1',
        score: 9,
        occurredAt: '2026-11-20T22:30:00Z',
        topics: [topic('price', 0.2), topic('delivery', 0.9)],
        intents: [{ id: 'praise', score: 0.8, evidence: [] }],
      }),
      defaultSurveyConfig,
      'Europe/Moscow',
    );
    expect(counted).toEqual({
      scale: 'nps',
      score: 9,
      day: '2026-11-21',
      hour: '2026-11-21T01',
      entries: [
        'channel=web',
        'source=widget',
        'language=ru',
        'topic=delivery',
        'topic=price',
        'sentiment=neutral',
        'intent=praise',
      ],
    });
  });

  it('counts the five highest-scoring topics, and (none) for a response without topics or intents', () => {
    const many = npsRecord({
      feedbackId: 'fb_1',
      score: 9,
      topics: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, index) => topic(id, index / 10)),
    });
    const entries = countedOf(many, defaultSurveyConfig, 'UTC')!.entries;
    expect(entries.filter((entry) => entry.startsWith('topic='))).toEqual([
      'topic=g',
      'topic=f',
      'topic=e',
      'topic=d',
      'topic=c',
    ]);
    const bare = countedOf(npsRecord({ feedbackId: 'fb_2', score: 9 }), defaultSurveyConfig, 'UTC')!.entries;
    expect(bare).toEqual(expect.arrayContaining(['topic=(none)', 'intent=(none)']));
  });

  it('adds declared segment keys and crosses only the configured pairs', () => {
    const config = surveyConfigSchema.parse({ segmentKeys: ['plan'], combinations: [['topic', 'plan']] });
    const entries = countedOf(
      npsRecord({
        feedbackId: 'fb_1',
        score: 9,
        attributes: { plan: 'pro', region: 'eu' },
        topics: [topic('delivery'), topic('price')],
      }),
      config,
      'UTC',
    )!.entries;
    expect(entries).toEqual(
      expect.arrayContaining([
        'plan=pro',
        `plan+topic=pro${COMBINED_VALUE_SEPARATOR}delivery`,
        `plan+topic=pro${COMBINED_VALUE_SEPARATOR}price`,
      ]),
    );
    expect(entries.some((entry) => entry.startsWith('region='))).toBe(false);
  });

  it.each([
    ['without a survey', { surveyId: undefined }],
    ['without a score', { score: undefined }],
    ['with a score off its scale', { score: 11 }],
    ['of a kind without a scale', { kind: 'review' as const }],
  ])('does not count a response %s', (_, overrides) => {
    expect(
      countedOf({ ...npsRecord({ feedbackId: 'fb_1', score: 9 }), ...overrides }, defaultSurveyConfig, 'UTC'),
    ).toBe(undefined);
  });
});

describe('CellDeltas', () => {
  const counted = (score: number, channel: string) =>
    countedOf(npsRecord({ feedbackId: 'fb', score, channel }), defaultSurveyConfig, 'UTC')!;

  // Score 9 is slot 4 of group 1 (scores 5–9): one answer adds 10^(7·4).
  const nine = 10n ** 28n;

  it('merges the responses of a batch into one update per cell', () => {
    const changes = new CellDeltas().add(counted(9, 'web'), 1).add(counted(9, 'email'), 1).changes();
    const channel = changes.find((change) => change.key.dimension === 'channel')!;
    expect(Object.fromEntries(channel.deltas)).toEqual({ 'web|1': nine, 'email|1': nine });
    const all = changes.find((change) => change.key.dimension === 'all' && change.key.bucket.startsWith('day#'))!;
    expect(Object.fromEntries(all.deltas)).toEqual({ '*|1': 2n * nine });
  });

  it('moves a response: the old cell loses it, the new gains it, unchanged cells are left out', () => {
    const changes = new CellDeltas().move(counted(9, 'web'), counted(9, 'email')).changes();
    expect(changes.map((change) => [change.key.dimension, Object.fromEntries(change.deltas)])).toEqual([
      ['channel', { 'web|1': -nine, 'email|1': nine }],
    ]);
  });

  it('packs a changed score within one value into one signed number', () => {
    const changes = new CellDeltas().move(counted(6, 'web'), counted(9, 'web')).changes();
    const channel = changes.find((change) => change.key.dimension === 'channel')!;
    expect(Object.fromEntries(channel.deltas)).toEqual({ 'web|1': nine - 10n ** 7n });
  });
});

describe('ValueBudget', () => {
  const key = { scale: 'nps' as const, dimension: 'plan', bucket: 'day#2026-11-20' };

  it('admits values a cell holds, and new values while it has room; the rest become (other)', () => {
    const budget = new ValueBudget(new Map([['nps#plan#day#2026-11-20', new Set(['free', 'pro'])]]), 3);
    expect(budget.admit(key, 'pro')).toBe('pro');
    expect(budget.admit(key, 'enterprise')).toBe('enterprise');
    expect(budget.admit(key, 'team')).toBe(OTHER_VALUE);
    expect(budget.admit(key, 'enterprise')).toBe('enterprise');
    expect(budget.admit({ ...key, bucket: 'day#2026-11-21' }, 'team')).toBe('team');
  });
});

describe('packed histograms', () => {
  it('name a value and a group, split at the last bar so that values may contain bars', () => {
    expect(parsePackedAttribute('a|b|2')).toEqual({ value: 'a|b', group: 2 });
    expect(parsePackedAttribute('*|0')).toEqual({ value: '*', group: 0 });
    expect(parsePackedAttribute('pk')).toBeUndefined();
    expect(parsePackedAttribute('web|')).toBeUndefined();
  });

  it('unpack into five counts of seven digits, from numbers, bigints and strings alike', () => {
    expect(unpackSlots(3)).toEqual([3, 0, 0, 0, 0]);
    expect(unpackSlots(9_999_999n * 10n ** 28n + 10_000_001n)).toEqual([1, 1, 0, 0, 9_999_999]);
    expect(unpackSlots('200000000000000')).toEqual([0, 0, 2, 0, 0]);
    expect(() => unpackSlots(-1)).toThrow(RangeError);
  });
});
