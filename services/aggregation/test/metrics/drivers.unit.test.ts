import { describe, expect, it } from 'vitest';
import { driversOf, histogramFromScores, npsMetrics } from '../../src/domain/metrics';

const scores = (counts: Record<number, number>) =>
  Object.entries(counts).flatMap(([score, count]) => new Array<number>(count).fill(Number(score)));
const nps = (counts: Record<number, number>) => histogramFromScores('nps', scores(counts));
const options = { confidence: 0.95, noneValue: '(none)' };

describe('driversOf', () => {
  // 200 answers: "delivery" is mentioned by 60 (40 detractors), "price" by 50 (10 detractors), 90 mention nothing.
  const delivery = nps({ 2: 40, 8: 10, 10: 10 });
  const price = nps({ 5: 10, 8: 20, 9: 20 });
  const none = nps({ 4: 10, 7: 30, 9: 20, 10: 30 });
  const total = histogramFromScores('nps', [
    ...scores({ 2: 40, 8: 10, 10: 10 }),
    ...scores({ 5: 10, 8: 20, 9: 20 }),
    ...scores({ 4: 10, 7: 30, 9: 20, 10: 30 }),
  ]);
  const drivers = driversOf(
    'nps',
    total,
    [
      { value: 'price', histogram: price },
      { value: 'delivery', histogram: delivery },
      { value: '(none)', histogram: none },
    ],
    options,
  );

  it('ranks by points at stake: what the NPS would gain if the topic’s detractors were passives', () => {
    expect(drivers.map((driver) => driver.id)).toEqual(['delivery', 'price']);
    // 40 of 200 answers are detractors mentioning delivery: 20 NPS points.
    expect(drivers[0]!.pointsAtStake).toBeCloseTo(20, 10);
    expect(drivers[1]!.pointsAtStake).toBeCloseTo(5, 10);
  });

  it('gives the score with and without the topic, exactly from the histograms', () => {
    const withoutDelivery = histogramFromScores('nps', [
      ...scores({ 5: 10, 8: 20, 9: 20 }),
      ...scores({ 4: 10, 7: 30, 9: 20, 10: 30 }),
    ]);
    expect(drivers[0]).toMatchObject({
      id: 'delivery',
      n: 60,
      share: 0.3,
      score: npsMetrics(delivery).nps,
      scoreWithout: npsMetrics(withoutDelivery).nps,
      interval: npsMetrics(delivery).interval,
      smallSample: false,
    });
    expect(drivers[0]!.pValue).toBeLessThan(0.001);
  });

  it('leaves out answers without a label, and says when a driver has too few answers to rank', () => {
    expect(drivers.some((driver) => driver.id === '(none)')).toBe(false);
    const few = driversOf('nps', total, [{ value: 'app', histogram: nps({ 1: 3 }) }], options);
    expect(few[0]).toMatchObject({ id: 'app', n: 3, smallSample: true });
  });

  it('weights the gap in CSAT by the share of answers for the points at stake', () => {
    const total = histogramFromScores('csat', [...new Array(50).fill(2), ...new Array(150).fill(5)]);
    const [slow] = driversOf(
      'csat',
      total,
      [{ value: 'slow', histogram: histogramFromScores('csat', new Array(50).fill(2)) }],
      options,
    );
    // Answers mentioning it: 0 % satisfied, the rest 100 %: share 0.25 × 100 points.
    expect(slow).toMatchObject({ score: 0, scoreWithout: 100, share: 0.25 });
    expect(slow!.pointsAtStake).toBeCloseTo(25, 10);
  });

  it('has no drivers without answers', () => {
    expect(driversOf('nps', nps({}), [], options)).toEqual([]);
  });
});
