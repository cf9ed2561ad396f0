import { CellDeltas, type CellKey, type Counted, cellKeyId, cellsOf, countedOf, ValueBudget } from '../domain/counting';
import { type FeedbackRecord, isNewerVersion } from '../domain/feedback-record';
import type { ScoreScale } from '../domain/metrics';
import { ALL_DIMENSION } from '../domain/survey-config';
import {
  type CellStore,
  type Commit,
  type FeedbackStore,
  feedbackKeyId,
  liveGenerations,
  respondentPointers,
  type StoredFeedback,
  type SurveyMeta,
  type SurveyStore,
  type WriteAction,
  type WriteActions,
} from '../store';
import { aggregationKeys } from '../store/keys';
import { backoff, lostARace, MAX_ATTEMPTS, packIntoTransactions } from './transaction-packing';

export interface CountingDeps {
  surveys: SurveyStore;
  feedback: FeedbackStore;
  cells: CellStore;
  actions: WriteActions;
  commit: Commit;
  /** Waits before retrying moves that lost a race (attempt 1, 2, …); exponential backoff with jitter by default. */
  pause?: (attempt: number) => Promise<void>;
}

export type CountOutcome = 'counted' | 'ignored';

export interface CountResult {
  /** Per input record, in order: what happened, or why it could not be counted this time. */
  outcomes: (CountOutcome | Error)[];
  /** Surveys whose figures changed. */
  changedSurveys: Set<string>;
}

/** One response moving from where it is counted (if anywhere) to where its new version belongs, in each generation. */
interface Move {
  index: number;
  record: FeedbackRecord;
  stored?: StoredFeedback;
  meta?: SurveyMeta;
  /** Where the new version is counted, before values beyond a cell's capacity are turned into `(other)`. */
  target?: Counted;
  /** A time zone seen in the feedback, recorded for the survey if it has none yet. */
  seenTimeZone?: string;
  /** Person-index pointers to the feedback item, written in its transaction (none when indexed already). */
  pointers: Record<string, unknown>[];
  /** The items the move writes: its feedback item and pointers, its survey item and every cell it may change. */
  footprint: Set<string>;
  bytes: number;
}

/**
 * Counts a batch of categorised feedback exactly once, in as few write units as the batch allows.
 *
 * Each response's new state (the read model with "counted at this version, in these cells") and the histogram changes
 * it causes commit in one DynamoDB transaction, conditional on the state it was computed from. Responses of the batch
 * share a transaction where they fit (100 items, 4 MB), and their changes to a cell are merged into one update, so a
 * cell that 50 responses touch costs one write instead of 50. A duplicate or older version is ignored; a newer one
 * subtracts what its predecessor added. A crash between two transactions leaves the first committed and the second
 * not at all; the redelivered batch finds the first's responses counted at their version and counts the rest. Moves
 * that lose a race (a concurrent batch, a rebuild starting) are re-read and retried.
 */
export async function countFeedback(deps: CountingDeps, records: readonly FeedbackRecord[]): Promise<CountResult> {
  const outcomes: (CountOutcome | Error)[] = new Array(records.length);
  const changedSurveys = new Set<string>();
  let pending = newestPerFeedback(records, outcomes);
  // Responses of a transaction that failed for another reason than a race are retried one per transaction, so that
  // one bad response (say, an item over 400 KB) fails alone instead of taking its batch to the DLQ with it.
  const alone = new Set<number>();
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === MAX_ATTEMPTS) {
      for (const index of pending) outcomes[index] = new Error('Lost the race for these responses too many times');
      break;
    }
    if (attempt > 0) await (deps.pause ?? backoff)(attempt);
    const moves = await planMoves(deps, records, pending, outcomes);
    const chunks = [
      ...packIntoTransactions(moves.filter((move) => !alone.has(move.index))),
      ...moves.filter((move) => alone.has(move.index)).map((move) => [move]),
    ];
    const retry: number[] = [];
    for (const chunk of chunks) {
      try {
        await deps.commit(await transactionOf(deps, chunk));
      } catch (error) {
        if (lostARace(error) || chunk.length > 1) {
          if (!lostARace(error)) for (const move of chunk) alone.add(move.index);
          retry.push(...chunk.map((move) => move.index));
        } else {
          outcomes[chunk[0]!.index] = error as Error;
        }
        continue;
      }
      for (const move of chunk) {
        outcomes[move.index] = 'counted';
        if (move.record.surveyId && (move.target || Object.keys(move.stored?.counted ?? {}).length > 0)) {
          changedSurveys.add(move.record.surveyId);
        }
        if (move.meta) noteCommitted(move.meta, move);
      }
    }
    pending = retry;
  }
  return { outcomes, changedSurveys };
}

/** Indexes of the newest version of each feedback in the batch; older copies are ignored right away. */
function newestPerFeedback(records: readonly FeedbackRecord[], outcomes: (CountOutcome | Error)[]): number[] {
  const newest = new Map<string, number>();
  records.forEach((record, index) => {
    const id = feedbackKeyId(record.surveyId, record.feedbackId);
    const current = newest.get(id);
    if (current === undefined || isNewerVersion(record, records[current])) {
      if (current !== undefined) outcomes[current] = 'ignored';
      newest.set(id, index);
    } else {
      outcomes[index] = 'ignored';
    }
  });
  return [...newest.values()];
}

async function planMoves(
  deps: CountingDeps,
  records: readonly FeedbackRecord[],
  pending: readonly number[],
  outcomes: (CountOutcome | Error)[],
): Promise<Move[]> {
  const surveyIds = [...new Set(pending.flatMap((index) => records[index]!.surveyId ?? []))];
  const [states, metas] = await Promise.all([
    deps.feedback.getMany(
      pending.map((index) => aggregationKeys.feedback(records[index]!.surveyId, records[index]!.feedbackId)),
    ),
    deps.surveys.getMany(surveyIds),
  ]);
  // One time zone per survey for the whole batch, so that its responses land in one set of buckets.
  const zones = new Map<string, { timeZone: string; seen?: string }>();
  const zoneOf = (meta: SurveyMeta, record: FeedbackRecord) => {
    let zone = zones.get(meta.surveyId);
    if (!zone) {
      const configured = meta.config.timeZone ?? meta.observedTimeZone;
      zone = configured ? { timeZone: configured } : { timeZone: record.timeZone ?? 'UTC', seen: record.timeZone };
      zones.set(meta.surveyId, zone);
    }
    return zone;
  };

  const moves: Move[] = [];
  for (const index of pending) {
    const record = records[index]!;
    const stored = states.get(feedbackKeyId(record.surveyId, record.feedbackId));
    if (stored && !isNewerVersion(record, stored.record)) {
      outcomes[index] = 'ignored';
      continue;
    }
    const meta = record.surveyId ? metas.get(record.surveyId) : undefined;
    const zone = meta ? zoneOf(meta, record) : undefined;
    const target = meta && zone ? countedOf(record, meta.config, zone.timeZone) : undefined;
    const pointers = respondentPointers(record, stored);
    const footprint = new Set([`feedback:${feedbackKeyId(record.surveyId, record.feedbackId)}`]);
    for (const pointer of pointers) footprint.add(`pointer:${pointer.pk}#${pointer.sk}`);
    if (meta) {
      footprint.add(`survey:${meta.surveyId}`);
      for (const generation of liveGenerations(meta)) {
        for (const counted of [stored?.counted[String(generation)], target]) {
          for (const { key } of counted ? cellsOf(counted) : []) {
            footprint.add(`cell:${meta.surveyId}#${generation}#${cellKeyId(key)}`);
          }
        }
      }
    }
    moves.push({
      index,
      record,
      ...(stored ? { stored } : {}),
      ...(meta ? { meta } : {}),
      ...(target ? { target } : {}),
      ...(zone?.seen ? { seenTimeZone: zone.seen } : {}),
      pointers,
      footprint,
      bytes: Buffer.byteLength(JSON.stringify(record)) * 2 + footprint.size * 300,
    });
  }
  return moves;
}

const generationKey = (surveyId: string, generation: number) => `${surveyId}#${generation}`;

async function transactionOf(deps: CountingDeps, chunk: readonly Move[]): Promise<WriteAction[]> {
  const budgets = await valueBudgets(deps, chunk);
  const deltas = new Map<string, { surveyId: string; generation: number; deltas: CellDeltas }>();
  const surveys = new Map<string, { meta: SurveyMeta; timeZone?: string; scales: Set<ScoreScale> }>();
  const actions: WriteAction[] = [];
  for (const move of chunk) {
    const counted: Record<string, Counted> = {};
    if (move.meta) {
      const { surveyId } = move.meta;
      for (const generation of liveGenerations(move.meta)) {
        const key = generationKey(surveyId, generation);
        const after = move.target ? budgets.get(key)!.apply(move.target) : undefined;
        let entry = deltas.get(key);
        if (!entry) {
          entry = { surveyId, generation, deltas: new CellDeltas() };
          deltas.set(key, entry);
        }
        entry.deltas.move(move.stored?.counted[String(generation)], after);
        if (after) counted[String(generation)] = after;
      }
      const survey = surveys.get(surveyId) ?? { meta: move.meta, scales: new Set<ScoreScale>() };
      if (move.target) survey.scales.add(move.target.scale);
      survey.timeZone ??= move.seenTimeZone;
      surveys.set(surveyId, survey);
    }
    actions.push(
      ...deps.actions.putPointers(move.pointers),
      deps.actions.putFeedback(
        { record: move.record, seq: (move.stored?.seq ?? 0) + 1, counted, indexedRevision: move.record.revision },
        move.stored?.seq,
      ),
    );
  }
  for (const { meta, timeZone, scales } of surveys.values()) {
    actions.push(deps.actions.guardSurvey(meta, { ...(timeZone ? { timeZone } : {}), scales: [...scales] }));
  }
  for (const { surveyId, generation, deltas: cellDeltas } of deltas.values()) {
    for (const change of cellDeltas.changes()) {
      actions.push(deps.actions.addToCell(surveyId, generation, change.key, change.deltas));
    }
  }
  return actions;
}

/** What each cell the chunk adds to holds already, per survey and generation, to keep cells within their capacity. */
async function valueBudgets(deps: CountingDeps, chunk: readonly Move[]): Promise<Map<string, ValueBudget>> {
  const wanted = new Map<string, { surveyId: string; generation: number; keys: CellKey[] }>();
  for (const move of chunk) {
    if (!move.meta) continue;
    for (const generation of liveGenerations(move.meta)) {
      const key = generationKey(move.meta.surveyId, generation);
      const entry = wanted.get(key) ?? { surveyId: move.meta.surveyId, generation, keys: [] };
      wanted.set(key, entry);
      for (const { key: cell } of move.target ? cellsOf(move.target) : []) {
        if (cell.dimension !== ALL_DIMENSION) entry.keys.push(cell);
      }
    }
  }
  const budgets = new Map<string, ValueBudget>();
  await Promise.all(
    [...wanted].map(async ([key, { surveyId, generation, keys }]) => {
      budgets.set(
        key,
        new ValueBudget(keys.length > 0 ? await deps.cells.values(surveyId, generation, keys) : new Map()),
      );
    }),
  );
  return budgets;
}

function noteCommitted(meta: SurveyMeta, move: Move): void {
  meta.exists = true;
  if (move.target && !meta.scales.includes(move.target.scale)) meta.scales.push(move.target.scale);
  if (move.seenTimeZone && meta.observedTimeZone === undefined) meta.observedTimeZone = move.seenTimeZone;
}
