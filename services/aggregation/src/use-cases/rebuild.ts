import { randomUUID } from 'node:crypto';
import { CellDeltas, type CellKey, type Counted, cellKeyId, cellsOf, countedOf, ValueBudget } from '../domain/counting';
import { ALL_DIMENSION } from '../domain/survey-config';
import {
  type CellStore,
  type Commit,
  type FeedbackStore,
  type RebuildJob,
  type StoredFeedback,
  type SurveyMeta,
  type SurveyStore,
  timeZoneOf,
  type WriteAction,
  type WriteActions,
} from '../store';
import { aggregationKeys } from '../store/keys';
import { backoff, lostARace, MAX_ATTEMPTS, packIntoTransactions } from './transaction-packing';

export interface RebuildDeps {
  surveys: SurveyStore;
  feedback: FeedbackStore;
  cells: CellStore;
  actions: WriteActions;
  commit: Commit;
  pause?: (attempt: number) => Promise<void>;
}

/** Stored feedback read per page of a rebuild. */
const PAGE_SIZE = 50;

export class RebuildConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Starts recounting a survey's stored feedback into a new generation of cells, next to the one the API serves.
 *
 * From the moment the new generation is live, the consumer counts every change into both generations, conditional on
 * the survey's generations not having changed since it read them, so nothing reaches only the old one. The scan then
 * counts each stored response that is not yet counted in the new generation, in transactions conditional on the
 * response not having changed since it was read: a response is counted in the new generation by the consumer or by
 * the scan, never both. When the scan is through, the new generation becomes the active one in one write. Starting
 * again while a rebuild runs returns that rebuild (and recreates its job if a crash lost it).
 */
export async function startRebuild(deps: RebuildDeps, surveyId: string, now: Date): Promise<RebuildJob> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const meta = await deps.surveys.get(surveyId, { consistent: true });
    if (!meta.exists) throw new RebuildConflictError(`Survey ${surveyId} has no feedback or configuration to rebuild`);
    if (meta.buildingGeneration !== undefined) {
      const job = await deps.surveys.getRebuild(surveyId);
      if (job?.status === 'running' && job.generation === meta.buildingGeneration) return job;
      return createJob(deps, surveyId, meta.buildingGeneration, now);
    }
    const generation = meta.activeGeneration + 1;
    if (await deps.surveys.startGeneration(meta, generation)) return createJob(deps, surveyId, generation, now);
  }
  throw new RebuildConflictError(`The generations of survey ${surveyId} kept changing; try again`);
}

async function createJob(deps: RebuildDeps, surveyId: string, generation: number, now: Date): Promise<RebuildJob> {
  const job: RebuildJob = {
    surveyId,
    jobId: randomUUID(),
    generation,
    status: 'running',
    processed: 0,
    recounted: 0,
    total: await deps.feedback.count(surveyId),
    scanned: false,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.surveys.putRebuild(job);
  return job;
}

/**
 * Scans pages of stored feedback until the scan is through or `keepGoing` says stop, then switches the survey to the
 * new generation. Safe to run twice at once or again after a crash: the job records where the scan is, only one
 * worker advances it past a page (the other stops), and recounting a page again changes nothing. `more` says that
 * this worker stopped early and the scan should be continued.
 */
export async function continueRebuild(
  deps: RebuildDeps,
  surveyId: string,
  keepGoing: () => boolean,
  now: () => Date = () => new Date(),
): Promise<{ job: RebuildJob | undefined; more: boolean }> {
  for (;;) {
    const job = await deps.surveys.getRebuild(surveyId);
    if (job?.status !== 'running') return { job, more: false };
    if (job.scanned) return { job: await finish(deps, job, now()), more: false };
    const meta = await deps.surveys.get(surveyId, { consistent: true });
    if (meta.buildingGeneration !== job.generation) return { job, more: false };
    const page = await deps.feedback.page(surveyId, PAGE_SIZE, job.cursor);
    const recounted = await recount(deps, meta, job.generation, page.items);
    const { cursor: _cursor, ...rest } = job;
    const next: RebuildJob = {
      ...rest,
      processed: job.processed + page.items.length,
      recounted: job.recounted + recounted,
      ...(page.next ? { cursor: page.next } : {}),
      scanned: page.next === undefined,
      updatedAt: now().toISOString(),
    };
    if (!(await deps.surveys.advanceRebuild(next, job.cursor))) return { job: next, more: false };
    if (next.scanned) return { job: await finish(deps, next, now()), more: false };
    if (!keepGoing()) return { job: next, more: true };
  }
}

async function finish(deps: RebuildDeps, job: RebuildJob, now: Date): Promise<RebuildJob> {
  await deps.surveys.activateGeneration(job.surveyId, job.generation);
  const done: RebuildJob = { ...job, status: 'done', updatedAt: now.toISOString(), finishedAt: now.toISOString() };
  await deps.surveys.putRebuild(done);
  return done;
}

interface Recount {
  stored: StoredFeedback;
  target: Counted;
  footprint: Set<string>;
  bytes: number;
}

/** Counts into `generation` each of the items not counted there yet; returns how many it counted. */
async function recount(
  deps: RebuildDeps,
  meta: SurveyMeta,
  generation: number,
  items: readonly StoredFeedback[],
): Promise<number> {
  const timeZone = timeZoneOf(meta);
  let pending = [...items];
  let recounted = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw new Error(`Rebuild of ${meta.surveyId} kept losing races; it will go on`);
    if (attempt > 0) await (deps.pause ?? backoff)(attempt);
    const units: Recount[] = [];
    for (const stored of pending) {
      const target = stored.counted[String(generation)] ? undefined : countedOf(stored.record, meta.config, timeZone);
      if (!target) continue;
      units.push({
        stored,
        target,
        footprint: new Set([
          `feedback:${stored.record.feedbackId}`,
          ...cellsOf(target).map(({ key }) => `cell:${cellKeyId(key)}`),
          'survey',
        ]),
        bytes: 2048,
      });
    }
    const lost: string[] = [];
    for (const chunk of packIntoTransactions(units)) {
      try {
        await deps.commit(await recountTransaction(deps, meta, generation, chunk));
        recounted += chunk.length;
      } catch (error) {
        if (!lostARace(error)) throw error;
        lost.push(...chunk.map((unit) => unit.stored.record.feedbackId));
      }
    }
    const reread = await deps.feedback.getMany(
      lost.map((feedbackId) => aggregationKeys.feedback(meta.surveyId, feedbackId)),
    );
    pending = [...reread.values()];
  }
  return recounted;
}

async function recountTransaction(
  deps: RebuildDeps,
  meta: SurveyMeta,
  generation: number,
  chunk: readonly Recount[],
): Promise<WriteAction[]> {
  const keys = new Map<string, CellKey>();
  for (const { target } of chunk) {
    for (const { key } of cellsOf(target)) if (key.dimension !== ALL_DIMENSION) keys.set(cellKeyId(key), key);
  }
  const budget = new ValueBudget(await deps.cells.values(meta.surveyId, generation, [...keys.values()]));
  const deltas = new CellDeltas();
  const actions: WriteAction[] = [deps.actions.guardBuilding(meta.surveyId, generation)];
  for (const { stored, target } of chunk) {
    const counted = budget.apply(target);
    deltas.add(counted, 1);
    actions.push(deps.actions.setCounted(meta.surveyId, stored.record.feedbackId, generation, counted, stored.seq));
  }
  for (const change of deltas.changes()) {
    actions.push(deps.actions.addToCell(meta.surveyId, generation, change.key, change.deltas));
  }
  return actions;
}

/** A job as the API shows it: progress in percent, without the scan's position. */
export function rebuildProgress(job: RebuildJob) {
  const { cursor: _cursor, ...progress } = job;
  return {
    ...progress,
    percent: job.status === 'done' ? 100 : Math.min(99, Math.floor((100 * job.processed) / Math.max(1, job.total))),
  };
}
