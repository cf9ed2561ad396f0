import { describe, expect, it } from 'vitest';
import { defaultRuleSet, rulesSchema } from '../src/domain/rules';
import { RuleSetVersionConflictError } from '../src/store/rules';
import { casesTable } from './cases-fixtures';

const now = new Date('2026-11-20T09:00:00Z');
const rules = rulesSchema.parse([
  { id: 'all', name: 'Everything to Slack', when: [{}], actions: [{ type: 'notify', channel: 'slack' }] },
]);

describe('ruleStore against DynamoDB Local', () => {
  it('serves the default set as version 1 until a version is published', async () => {
    const { rules: store } = await casesTable();
    expect(await store.current()).toEqual({ ...defaultRuleSet, isDefault: true });
    expect((await store.history(10)).versions).toEqual([{ ...defaultRuleSet, isDefault: true }]);
  });

  it('publishes immutable versions in order, refusing a stale expected version', async () => {
    const { rules: store } = await casesTable();
    const v2 = await store.publish(rules, 1, 'key-admin', now);
    expect(v2).toEqual({ version: 2, rules, createdAt: now.toISOString(), createdBy: 'key-admin' });
    await expect(store.publish(rules, 1, 'key-admin', now)).rejects.toMatchObject({
      name: 'RuleSetVersionConflictError',
      currentVersion: 2,
    });
    await store.publish([], 2, 'key-other', now);
    expect((await store.current()).version).toBe(3);
    expect(await store.getVersion(2)).toEqual(v2);
    const page1 = await store.history(2);
    expect(page1.versions.map((version) => version.version)).toEqual([3, 2]);
    const page2 = await store.history(2, page1.next);
    expect(page2.versions.map((version) => version.version)).toEqual([1]);
  });

  it('lets only one of two concurrent publishers of the same version win', async () => {
    const { rules: store } = await casesTable();
    const results = await Promise.allSettled([store.publish(rules, 1, 'a', now), store.publish(rules, 1, 'b', now)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(RuleSetVersionConflictError);
  });
});
