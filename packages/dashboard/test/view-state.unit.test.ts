import { describe, expect, it } from 'vitest';
import {
  defaultState,
  filtersOf,
  formatHash,
  intervalOf,
  metricsQuery,
  parseHash,
  rangeOf,
  type ViewState,
} from '../src/view-state';

describe('the view in the URL hash', () => {
  it('round-trips every part of a view', () => {
    const state: ViewState = {
      route: { name: 'dashboard' },
      survey: 'srv_1',
      period: 'custom',
      from: '2026-10-01',
      to: '2026-10-31',
      interval: 'week',
      channel: 'web',
      source: 'widget',
      segment: 'plan',
      segmentValue: 'pro plan',
      groupBy: 'topic',
      lang: 'ru',
    };
    const hash = formatHash(state);
    expect(hash).toBe(
      '#/?survey=srv_1&period=custom&from=2026-10-01&to=2026-10-31&interval=week&channel=web&source=widget&segment=plan&segmentValue=pro+plan&groupBy=topic&lang=ru',
    );
    expect(parseHash(hash)).toEqual(state);
  });

  it('leaves defaults out, so a shared link stays short', () => {
    expect(formatHash(defaultState)).toBe('#/');
    expect(formatHash({ ...defaultState, survey: 'srv_1' })).toBe('#/?survey=srv_1');
    expect(parseHash('')).toEqual(defaultState);
    expect(parseHash('#/')).toEqual(defaultState);
  });

  it('routes to one case and keeps the filters for the way back', () => {
    const state = parseHash('#/cases/case_fb%2F01?survey=srv_1&period=7d');
    expect(state.route).toEqual({ name: 'case', caseId: 'case_fb/01' });
    expect(state).toMatchObject({ survey: 'srv_1', period: '7d' });
    expect(formatHash(state)).toBe('#/cases/case_fb%2F01?survey=srv_1&period=7d');
  });

  it('ignores what it does not understand instead of failing', () => {
    expect(parseHash('#/?period=12y&interval=hour&lang=de&groupBy=a%20b&segment=1x')).toEqual(defaultState);
    // A custom period needs both days, and real ones.
    expect(parseHash('#/?period=custom&from=2026-10-01').period).toBe('30d');
    expect(parseHash('#/?period=custom&from=2026-02-31x&to=2026-03-01').period).toBe('30d');
    expect(parseHash('#/cases/%E0%A4%A').route).toEqual({ name: 'dashboard' });
    // A segment value without its key means nothing.
    expect(parseHash('#/?segmentValue=pro')).toEqual(defaultState);
  });
});

describe('what a view asks the metrics API', () => {
  it('takes the last N days up to today in the survey’s time zone', () => {
    const now = new Date('2026-11-05T22:30:00Z');
    expect(rangeOf({ ...defaultState, period: '7d' }, 'UTC', now)).toEqual({ from: '2026-10-30', to: '2026-11-05' });
    expect(rangeOf({ ...defaultState, period: '7d' }, 'Europe/Moscow', now)).toEqual({
      from: '2026-10-31',
      to: '2026-11-06',
    });
    expect(rangeOf({ ...defaultState, period: '90d' }, 'UTC', now).from).toBe('2026-08-08');
    expect(rangeOf({ ...defaultState, period: 'custom', from: '2026-01-01', to: '2026-01-31' }, 'UTC', now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
    });
  });

  it('picks days for up to two months, weeks up to a year, months beyond, unless told', () => {
    expect(intervalOf(defaultState, { from: '2026-10-01', to: '2026-11-30' })).toBe('day');
    expect(intervalOf(defaultState, { from: '2026-08-08', to: '2026-11-05' })).toBe('week');
    expect(intervalOf(defaultState, { from: '2024-01-01', to: '2026-01-01' })).toBe('month');
    expect(intervalOf({ ...defaultState, interval: 'month' }, { from: '2026-10-01', to: '2026-10-07' })).toBe('month');
  });

  it('turns filters into filter[dimension] parameters', () => {
    const state: ViewState = { ...defaultState, channel: 'web', segment: 'plan', segmentValue: 'pro' };
    expect(filtersOf(state)).toEqual({ channel: 'web', plan: 'pro' });
    expect(filtersOf({ ...defaultState, segment: 'plan' })).toEqual({});
    expect(
      metricsQuery({
        surveyId: 'srv_1',
        range: { from: '2026-10-01', to: '2026-10-31' },
        interval: 'day',
        scale: 'nps',
        filter: filtersOf(state),
      }),
    ).toBe(
      'surveyId=srv_1&from=2026-10-01&to=2026-10-31&interval=day&scale=nps&filter%5Bchannel%5D=web&filter%5Bplan%5D=pro',
    );
  });
});

describe('the feedback explorer route', () => {
  it('round-trips a topic through the hash, keeping the view', () => {
    const state = parseHash('#/feedback/delivery?survey=srv_1&period=7d');
    expect(state.route).toEqual({ name: 'feedback', topic: 'delivery' });
    expect(formatHash(state)).toBe('#/feedback/delivery?survey=srv_1&period=7d');
    expect(parseHash(formatHash({ ...state, route: { name: 'feedback', topic: 'a b/c' } })).route).toEqual({
      name: 'feedback',
      topic: 'a b/c',
    });
  });
});
