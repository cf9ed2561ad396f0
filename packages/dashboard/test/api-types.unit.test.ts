import { describe, expect, expectTypeOf, it } from 'vitest';
import type { MetricsAnswer as ServiceMetricsAnswer } from '../../../services/aggregation/src/use-cases/query-metrics';
import type { ManagedCase } from '../../../services/followup/src/domain/case-lifecycle';
import type { FollowUpCase, MetricsAnswer } from '../src/types';
import { intervals, scales } from '../src/types';

/**
 * The dashboard keeps its own types of the API's answers (a browser bundle must not pull in service code); these
 * checks, run by the typecheck, fail when a service's answer stops fitting them.
 */
describe('the dashboard’s view of the API', () => {
  it('fits what the services answer', () => {
    expectTypeOf<ServiceMetricsAnswer>().toExtend<MetricsAnswer>();
    expectTypeOf<ManagedCase>().toExtend<FollowUpCase>();
    expect(scales).toEqual(['nps', 'csat', 'ces']);
    expect(intervals).toEqual(['day', 'week', 'month']);
  });
});
