import { describe, expect, it } from 'vitest';
import { COMBINED_VALUE_SEPARATOR } from '../../src/domain/counting';
import { SelectionError, selectionFor } from '../../src/domain/selection';
import { surveyConfigSchema } from '../../src/domain/survey-config';

const config = surveyConfigSchema.parse({ segmentKeys: ['plan'], combinations: [['channel', 'plan']] });
const pair = (channel: string, plan: string) => `${channel}${COMBINED_VALUE_SEPARATOR}${plan}`;

describe('selectionFor', () => {
  it('reads the whole survey without filters', () => {
    const selection = selectionFor(config, {});
    expect(selection.dimension).toBe('all');
    expect(selection.groupOf('*')).toBe('*');
  });

  it('reads one dimension to group by it or to filter on it', () => {
    expect(selectionFor(config, {}, 'plan').groupOf('pro')).toBe('pro');
    const filtered = selectionFor(config, { plan: 'pro' });
    expect([filtered.dimension, filtered.groupOf('pro'), filtered.groupOf('free')]).toEqual(['plan', '*', undefined]);
  });

  it('reads a configured pair to filter one dimension and group by the other, in either order', () => {
    const selection = selectionFor(config, { plan: 'pro' }, 'channel');
    expect(selection.dimension).toBe('channel+plan');
    expect(selection.groupOf(pair('web', 'pro'))).toBe('web');
    expect(selection.groupOf(pair('web', 'free'))).toBeUndefined();
    const both = selectionFor(config, { channel: 'web', plan: 'pro' });
    expect([both.groupOf(pair('web', 'pro')), both.groupOf(pair('sms', 'pro'))]).toEqual(['*', undefined]);
  });

  it.each([
    [{}, 'region', 'query.groupBy'],
    [{ region: 'eu' }, undefined, 'query.filter[region]'],
    [{ plan: 'pro' }, 'plan', 'query.filter[plan]'],
    [{ topic: 'delivery' }, 'plan', 'query.groupBy'],
    [{ topic: 'delivery', channel: 'web' }, 'plan', 'query.filter[plan]'],
  ])('names the parameter at fault: filter %j, groupBy %s → %s', (filter, groupBy, field) => {
    try {
      selectionFor(config, filter, groupBy);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SelectionError);
      expect((error as SelectionError).field).toBe(field);
    }
  });
});
