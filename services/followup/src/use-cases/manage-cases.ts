import type { Causation } from '@cxloop/events';
import { logger } from '@cxloop/lambda-kit';
import {
  applyCaseCommand,
  awaitsContact,
  type CaseCommand,
  type ManagedCase,
  nextSlaTimer,
} from '../domain/case-lifecycle';
import type { CaseStatus } from '../domain/cases';
import { escalationPolicyOf, type FollowUpConfig } from '../domain/config';
import type { SlaTimers } from '../scheduling/sla-timers';
import { type CaseListQuery, type CaseStore, CaseVersionConflictError, type StoredCase } from '../store/cases';
import { type AnnouncementDeps, announceResolution } from './case-announcements';

export const caseActions = ['acknowledge', 'contact', 'resolve', 'close', 'assign'] as const;
export type CaseAction = (typeof caseActions)[number];

export const MAX_NOTES = 100;

export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist`);
  }
}

export class TooManyNotesError extends Error {
  override readonly name = 'TooManyNotesError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} has ${MAX_NOTES} notes, the most it keeps`);
  }
}

export interface CaseView {
  case: ManagedCase;
  version: number;
}

export interface ManageCasesDeps extends Pick<AnnouncementDeps, 'cases' | 'publish'> {
  timers: Pick<SlaTimers, 'disarm'>;
  config: () => Promise<FollowUpConfig>;
}

export async function listCases(cases: CaseStore, query: CaseListQuery) {
  return cases.list(query);
}

export async function getCase(cases: CaseStore, caseId: string): Promise<CaseView> {
  const stored = await cases.get(caseId);
  if (!stored) throw new CaseNotFoundError(caseId);
  return { case: stored.case, version: stored.version };
}

export interface CaseUpdate {
  caseId: string;
  action?: CaseAction;
  owner?: string;
  note?: string;
  /** The version the caller saw; a case changed since answers with `CaseVersionConflictError`. */
  expectedVersion?: number;
  author: string;
}

const statusOfAction: Partial<Record<CaseAction, CaseStatus>> = {
  acknowledge: 'acknowledged',
  contact: 'contacted',
  resolve: 'resolved',
  close: 'closed',
};

/**
 * The commands an update stands for. Asking again for the status the case already has is a no-op rather than an
 * invalid move, so a retried request succeeds (recording another contact is a real move: `contacted → contacted`).
 */
export function commandsFor(current: ManagedCase, update: CaseUpdate): CaseCommand[] {
  const commands: CaseCommand[] = [];
  const target = update.action ? statusOfAction[update.action] : undefined;
  if (update.action === 'assign') {
    if (update.owner && update.owner !== current.owner) commands.push({ type: 'assign', owner: update.owner });
  } else if (update.action === 'contact') {
    commands.push({ type: 'record_contact' });
  } else if (update.action && target !== current.status) {
    commands.push({ type: update.action as 'acknowledge' | 'resolve' | 'close' });
  }
  if (update.note !== undefined) commands.push({ type: 'add_note', author: update.author, text: update.note });
  return commands;
}

const MAX_ATTEMPTS = 3;

/**
 * Applies an owner's update (a lifecycle move, an assignment and/or a note) with optimistic concurrency. Leaving
 * "awaits contact" disarms the pending SLA timer; resolving or closing publishes CaseResolved (once per SLA period,
 * also when a retried request finds the case already resolved but the event not yet published).
 */
export async function updateCase(
  deps: ManageCasesDeps,
  update: CaseUpdate,
  causation: Causation,
  now: Date,
): Promise<CaseView> {
  const config = await deps.config();
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.cases.get(update.caseId);
    if (!stored) throw new CaseNotFoundError(update.caseId);
    if (update.expectedVersion !== undefined && update.expectedVersion !== stored.version) {
      throw new CaseVersionConflictError(update.caseId, update.expectedVersion);
    }
    const commands = commandsFor(stored.case, update);
    const notes = commands.filter((command) => command.type === 'add_note').length;
    if (notes > 0 && stored.case.notes.length + notes > MAX_NOTES) throw new TooManyNotesError(update.caseId);
    const next = commands.reduce((current, command) => applyCaseCommand(current, command, now), stored.case);
    let saved: StoredCase = stored;
    if (commands.length > 0) {
      try {
        saved = { ...stored, case: next, version: await deps.cases.save(next, stored.version) };
      } catch (error) {
        if (!(error instanceof CaseVersionConflictError) || update.expectedVersion !== undefined) throw error;
        if (attempt >= MAX_ATTEMPTS) throw error;
        continue;
      }
    }
    await afterChange(deps, stored.case, saved, config, causation);
    return { case: saved.case, version: saved.version };
  }
}

async function afterChange(
  deps: ManageCasesDeps,
  before: ManagedCase,
  after: StoredCase,
  config: FollowUpConfig,
  causation: Causation,
): Promise<void> {
  if (awaitsContact(before) && !awaitsContact(after.case)) {
    const pending = nextSlaTimer(before, escalationPolicyOf(config));
    // Best effort: a timer that still fires finds the case contacted and does nothing.
    if (pending) {
      await deps.timers
        .disarm({ caseId: before.caseId, period: before.reopenCount, level: pending.level })
        .catch((error: unknown) => logger.warn('Could not disarm the SLA timer', { caseId: before.caseId, error }));
    }
  }
  await announceResolution(deps, after, config, causation);
}
