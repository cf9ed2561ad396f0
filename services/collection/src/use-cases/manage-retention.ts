import { type Causation, RetentionPolicyChanged } from '@cxloop/events';
import type { PublishEvents } from '@cxloop/lambda-kit';
import {
  isRepeatOfPolicyInForce,
  type RetentionPolicyUpdate,
  retentionNotes,
  type StoredRetentionPolicy,
} from '../domain/retention';
import type { RetentionPolicyStore } from '../store/retention-policy';

export interface ManageRetentionDeps {
  retention: RetentionPolicyStore;
  publish: PublishEvents;
}

/** What `GET`/`PUT /v1/retention` answer. */
export function retentionPolicyView(stored: StoredRetentionPolicy) {
  return {
    policy: stored.policy,
    version: stored.version,
    ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
    ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
    notes: retentionNotes,
  };
}

/**
 * Stores the policy as its next version (409 if `expectedVersion` no longer holds) and publishes
 * RetentionPolicyChanged. The policy in force sent again makes no version and is published again: a PUT retried
 * after a failed publish repairs it, and follow-up applies each version once.
 */
export async function setRetentionPolicy(
  deps: ManageRetentionDeps,
  update: RetentionPolicyUpdate,
  updatedBy: string,
  causation: Causation,
  now: Date,
) {
  const { expectedVersion, ...policy } = update;
  const current = await deps.retention.get();
  const stored = isRepeatOfPolicyInForce(current, policy)
    ? current
    : await deps.retention.put(current, policy, updatedBy, now, expectedVersion);
  await deps.publish([
    {
      contract: RetentionPolicyChanged,
      data: { policy: stored.policy, version: stored.version, changedAt: stored.updatedAt ?? now.toISOString() },
      causation,
    },
  ]);
  return retentionPolicyView(stored);
}
