import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  batchGetAll,
  type Item,
  isConditionFailure,
  keyId,
  queryPage,
  writeIfConditionHolds,
} from '@cxloop/lambda-kit';
import { daysAfter, personIdentifiers, ttlOf, writePersonIndex } from '@cxloop/privacy';
import { awaitsContact, caseIdOf, erasedCase, type ManagedCase } from '../domain/case-lifecycle';
import type { CaseStatus } from '../domain/cases';
import type { LoopMetricsCase } from '../domain/loop-metrics';
import { identifierOfPersonKey } from '../domain/person';
import type { RuleEvaluation } from '../domain/rules';
import { defaultRetention, type RetentionSource } from './people';

type Key = { pk: string; sk: string };

/**
 * Keys of the cases area. A case is one item (`CASE#<id>` / `CASE`, in gsi1 by status and opening time) plus two
 * index items under the same partition that put a summary of it into gsi1 by owner (`OWNER`) and, while it awaits
 * contact, by first-contact deadline (`DUE`). All three are written in one transaction, conditional on the case's
 * version. `FOLLOWUP` (same partition, keyed by the feedback's would-be case id) records which revision of the
 * feedback was handled; `PERSONCASE#<person>` points at a person's latest case.
 */
export const caseKeys = {
  case: (caseId: string): Key => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  ownerIndex: (caseId: string): Key => ({ pk: `CASE#${caseId}`, sk: 'OWNER' }),
  dueIndex: (caseId: string): Key => ({ pk: `CASE#${caseId}`, sk: 'DUE' }),
  followUp: (feedbackId: string): Key => ({ pk: `CASE#${caseIdOf(feedbackId)}`, sk: 'FOLLOWUP' }),
  personCase: (personKey: string): Key => ({ pk: `PERSONCASE#${personKey}`, sk: 'LATEST' }),
  byStatus: (status: CaseStatus, openedAt = '', caseId = '') => ({
    gsi1pk: `CASES#${status}`,
    gsi1sk: caseId ? `${openedAt}#${caseId}` : openedAt,
  }),
  byOwner: (owner: string, status: CaseStatus, openedAt: string, caseId: string) => ({
    gsi1pk: `CASES#owner#${owner}`,
    gsi1sk: `${status}#${openedAt}#${caseId}`,
  }),
  awaitingContact: (dueAt: string, caseId: string) => ({ gsi1pk: 'CASES#awaiting', gsi1sk: `${dueAt}#${caseId}` }),
};

/** A case as lists show it: without its notes (GET one case for those). */
export type CaseSummary = Omit<ManagedCase, 'notes'> & { noteCount: number; version: number };

export interface StoredCase {
  case: ManagedCase;
  version: number;
  /** The SLA period (reopen count) whose CaseOpened was published, if any. */
  announcedOpenPeriod?: number;
  /** How many of the case's escalations were published (CaseEscalated and their messages). */
  announcedEscalations: number;
  /** The SLA period whose CaseResolved was published, if any. */
  announcedResolvedPeriod?: number;
}

export class CaseVersionConflictError extends Error {
  override readonly name = 'CaseVersionConflictError';
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
  ) {
    super(`Case ${caseId} changed since version ${expectedVersion}`);
  }
}

export class InvalidCaseCursorError extends Error {
  override readonly name = 'InvalidCaseCursorError';
}

export interface FollowUpRecord {
  feedbackId: string;
  revision: number;
  evaluation: RuleEvaluation;
  /** FollowUpRequested was published for this revision. */
  requested: boolean;
  /** Every action of this revision was carried out. */
  done: boolean;
  claimedAt: string;
}

export interface CaseListQuery {
  status?: CaseStatus;
  owner?: string;
  /** Only cases past their first-contact deadline that still await contact. */
  overdue?: boolean;
  now: Date;
  limit: number;
  cursor?: Record<string, unknown>;
}

export function summariseCase(followUpCase: ManagedCase, version: number): CaseSummary {
  const { notes, ...rest } = followUpCase;
  return { ...rest, noteCount: notes.length, version };
}

function indexWrites(
  tableName: string,
  followUpCase: ManagedCase,
  version: number,
  expiresAt: number,
): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const summary = summariseCase(followUpCase, version);
  const { caseId, owner, status, openedAt, dueAt } = followUpCase;
  const filterable = { status, ...(owner ? { owner } : {}) };
  return [
    owner
      ? {
          Put: {
            TableName: tableName,
            Item: {
              ...caseKeys.ownerIndex(caseId),
              ...caseKeys.byOwner(owner, status, openedAt, caseId),
              ...filterable,
              summary,
              expiresAt,
            },
          },
        }
      : { Delete: { TableName: tableName, Key: caseKeys.ownerIndex(caseId) } },
    awaitsContact(followUpCase)
      ? {
          Put: {
            TableName: tableName,
            Item: {
              ...caseKeys.dueIndex(caseId),
              ...caseKeys.awaitingContact(dueAt, caseId),
              ...filterable,
              summary,
              expiresAt,
            },
          },
        }
      : { Delete: { TableName: tableName, Key: caseKeys.dueIndex(caseId) } },
  ];
}

function storedCaseOf(item: Item): StoredCase {
  return {
    case: item.case as ManagedCase,
    version: Number(item.version ?? 1),
    ...(typeof item.announcedOpenPeriod === 'number' ? { announcedOpenPeriod: item.announcedOpenPeriod } : {}),
    announcedEscalations: typeof item.announcedEscalations === 'number' ? item.announcedEscalations : 0,
    ...(typeof item.announcedResolvedPeriod === 'number'
      ? { announcedResolvedPeriod: item.announcedResolvedPeriod }
      : {}),
  };
}

const caseStatusList: readonly CaseStatus[] = ['open', 'acknowledged', 'contacted', 'resolved', 'closed'];

/** Everyone a case can name: its proven person and whatever the respondent only claimed to be. */
function caseIdentifiers(followUpCase: ManagedCase) {
  const { respondent } = followUpCase;
  return [
    ...(followUpCase.personKey ? [identifierOfPersonKey(followUpCase.personKey)] : []),
    ...personIdentifiers({ respondentId: respondent?.id, email: respondent?.email }),
    ...personIdentifiers({ respondentId: respondent?.claimedId, email: respondent?.claimedEmail }),
  ];
}

/**
 * A case holds the customer's contact, their comment and the owner's notes: it ends `casesDays` after its last change
 * (each save moves the end), and is indexed under everyone it names before it is written, so an erasure finds it.
 */
export function caseStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  async function endOfLife(followUpCase: ManagedCase): Promise<number> {
    const changedAt = followUpCase.updatedAt ?? followUpCase.openedAt;
    const expiresAt = ttlOf(daysAfter(changedAt, (await retention()).casesDays)) as number;
    const key = caseKeys.case(followUpCase.caseId);
    await writePersonIndex(db, tableName, caseIdentifiers(followUpCase), 'case', key, expiresAt);
    return expiresAt;
  }

  const queryStatusIndex = (input: Omit<QueryCommandInput, 'TableName' | 'IndexName'>, cursor?: Item) =>
    queryPage(db, { TableName: tableName, IndexName: 'gsi1', ...input }, cursor);

  return {
    /** Creates the case unless it exists; returns whether this call created it. */
    async create(followUpCase: ManagedCase): Promise<boolean> {
      const { caseId, status, openedAt } = followUpCase;
      const expiresAt = await endOfLife(followUpCase);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...caseKeys.case(caseId),
                    ...caseKeys.byStatus(status, openedAt, caseId),
                    case: followUpCase,
                    version: 1,
                    announcedEscalations: 0,
                    expiresAt,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...indexWrites(tableName, followUpCase, 1, expiresAt),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async get(caseId: string): Promise<StoredCase | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: caseKeys.case(caseId), ConsistentRead: true }),
      );
      return result.Item ? storedCaseOf(result.Item) : undefined;
    },

    /** The cases with these ids, by id; missing ones are absent. */
    async getMany(caseIds: readonly string[]): Promise<Map<string, ManagedCase>> {
      const items = await batchGetAll(db, tableName, caseIds.map(caseKeys.case));
      const found = new Map<string, ManagedCase>();
      for (const caseId of caseIds) {
        const item = items.get(keyId(caseKeys.case(caseId)));
        if (item) found.set(caseId, item.case as ManagedCase);
      }
      return found;
    },

    /**
     * Replaces the case if it is still at `expectedVersion` (else `CaseVersionConflictError`), moving its index
     * items along; returns the new version. The announcement markers are left as they are.
     */
    async save(followUpCase: ManagedCase, expectedVersion: number): Promise<number> {
      const { caseId, status, openedAt } = followUpCase;
      const version = expectedVersion + 1;
      const byStatus = caseKeys.byStatus(status, openedAt, caseId);
      const expiresAt = await endOfLife(followUpCase);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: caseKeys.case(caseId),
                  UpdateExpression:
                    'SET #case = :case, #version = :version, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, expiresAt = :expiresAt',
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#case': 'case', '#version': 'version' },
                  ExpressionAttributeValues: {
                    ':case': followUpCase,
                    ':version': version,
                    ':expected': expectedVersion,
                    ':gsi1pk': byStatus.gsi1pk,
                    ':gsi1sk': byStatus.gsi1sk,
                    ':expiresAt': expiresAt,
                  },
                },
              },
              ...indexWrites(tableName, followUpCase, version, expiresAt),
            ],
          }),
        );
        return version;
      } catch (error) {
        if (isConditionFailure(error)) throw new CaseVersionConflictError(caseId, expectedVersion);
        throw error;
      }
    },

    /** Records that an announcement went out; never moves a marker backwards. */
    async markAnnounced(
      caseId: string,
      marker: 'announcedOpenPeriod' | 'announcedEscalations' | 'announcedResolvedPeriod',
      value: number,
    ): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: caseKeys.case(caseId),
            UpdateExpression: 'SET #marker = :value',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#marker) OR #marker < :value)',
            ExpressionAttributeNames: { '#marker': marker },
            ExpressionAttributeValues: { ':value': value },
          }),
        ),
      );
    },

    /**
     * A page of case summaries: overdue cases by deadline (most overdue first), else an owner's cases or the cases
     * of one status (default open), newest first. `owner` and `status` narrow the overdue list too.
     */
    async list(query: CaseListQuery): Promise<{ cases: CaseSummary[]; next?: Record<string, unknown> }> {
      let input: Omit<QueryCommandInput, 'TableName' | 'IndexName'>;
      let partition: string;
      if (query.overdue) {
        partition = 'CASES#awaiting';
        const filters: string[] = [];
        const names: Record<string, string> = {};
        const values: Record<string, unknown> = { ':pk': partition, ':now': query.now.toISOString() };
        if (query.owner) {
          filters.push('#owner = :owner');
          names['#owner'] = 'owner';
          values[':owner'] = query.owner;
        }
        if (query.status) {
          filters.push('#status = :status');
          names['#status'] = 'status';
          values[':status'] = query.status;
        }
        input = {
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :now',
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: true,
        };
      } else if (query.owner) {
        partition = `CASES#owner#${query.owner}`;
        input = {
          KeyConditionExpression: query.status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :status)' : 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': partition, ...(query.status ? { ':status': `${query.status}#` } : {}) },
          ScanIndexForward: false,
        };
      } else {
        partition = `CASES#${query.status ?? 'open'}`;
        input = {
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
        };
      }
      if (query.cursor && !isCursorOf(query.cursor, partition)) {
        throw new InvalidCaseCursorError('The cursor belongs to another list');
      }
      const page = await queryStatusIndex({ ...input, Limit: query.limit }, query.cursor);
      return {
        cases: page.items.map((item) =>
          item.summary ? (item.summary as CaseSummary) : summariseCase(item.case as ManagedCase, Number(item.version)),
        ),
        ...(page.next ? { next: page.next } : {}),
      };
    },

    /**
     * Every case opened in [from, to), in the fields the closed-loop metrics need: one paged query per status over
     * gsi1, whose sort key starts with the opening time.
     */
    async openedBetween(
      from: string,
      to: string,
      pageLimit?: number,
    ): Promise<(LoopMetricsCase & { reason: string })[]> {
      const found: (LoopMetricsCase & { reason: string })[] = [];
      for (const status of caseStatusList) {
        let cursor: Record<string, unknown> | undefined;
        do {
          const page = await queryStatusIndex(
            {
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
              ProjectionExpression:
                '#case.#status, #case.#owner, #case.openedAt, #case.dueAt, #case.slaHours, #case.firstContactAt, #case.resolvedAt, #case.reason',
              ExpressionAttributeNames: { '#case': 'case', '#status': 'status', '#owner': 'owner' },
              ExpressionAttributeValues: { ':pk': caseKeys.byStatus(status).gsi1pk, ':from': from, ':to': to },
              ...(pageLimit ? { Limit: pageLimit } : {}),
            },
            cursor,
          );
          found.push(...page.items.map((item) => item.case as LoopMetricsCase & { reason: string }));
          cursor = page.next;
        } while (cursor);
      }
      return found;
    },

    /** The latest case of a person, if any. */
    async latestCaseOf(personKey: string): Promise<string | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: caseKeys.personCase(personKey), ConsistentRead: true }),
      );
      return typeof result.Item?.caseId === 'string' ? result.Item.caseId : undefined;
    },

    /**
     * Erasure: the case keeps its status, times, score and owner (the closed-loop figures count it) and loses the
     * customer's contact, comment, attributes and the notes. Retried on a concurrent change; idempotent.
     */
    async erase(key: Key): Promise<void> {
      const caseId = key.pk.slice('CASE#'.length);
      for (;;) {
        const stored = await this.get(caseId);
        if (!stored || stored.case.erasedAt) return;
        try {
          await this.save(erasedCase(stored.case, new Date()), stored.version);
          return;
        } catch (error) {
          if (!(error instanceof CaseVersionConflictError)) throw error;
        }
      }
    },

    /** Erasure of a person's link to their latest case (its key names the person). */
    async erasePersonLink(key: Key): Promise<void> {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },

    /** Points the person at this case unless they already point at one opened later. */
    async pointPersonTo(personKey: string, caseId: string, openedAt: string): Promise<void> {
      const link = caseKeys.personCase(personKey);
      const expiresAt = ttlOf(daysAfter(openedAt, (await retention()).casesDays));
      await writePersonIndex(db, tableName, [identifierOfPersonKey(personKey)], 'personCase', link, expiresAt);
      await writeIfConditionHolds(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...link, caseId, openedAt, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk) OR openedAt <= :openedAt',
            ExpressionAttributeValues: { ':openedAt': openedAt },
          }),
        ),
      );
    },

    async followUpOf(feedbackId: string): Promise<FollowUpRecord | undefined> {
      const result = await db.send(
        new GetCommand({ TableName: tableName, Key: caseKeys.followUp(feedbackId), ConsistentRead: true }),
      );
      return result.Item ? (result.Item.record as FollowUpRecord) : undefined;
    },

    /**
     * Claims the handling of a feedback revision with the evaluation it will carry out, unless the same or a later
     * revision was claimed already; returns whether this call claimed it.
     */
    async claimFollowUp(record: FollowUpRecord): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...caseKeys.followUp(record.feedbackId), revision: record.revision, record },
            ConditionExpression: 'attribute_not_exists(pk) OR revision < :revision',
            ExpressionAttributeValues: { ':revision': record.revision },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /** Marks progress on a claimed revision (ignored once a later revision took over). */
    async markFollowUp(
      feedbackId: string,
      revision: number,
      progress: Partial<Pick<FollowUpRecord, 'requested' | 'done'>>,
    ) {
      const entries = Object.entries(progress);
      if (entries.length === 0) return;
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: caseKeys.followUp(feedbackId),
            UpdateExpression: `SET ${entries.map(([field]) => `#record.#${field} = :${field}`).join(', ')}`,
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeNames: {
              '#record': 'record',
              ...Object.fromEntries(entries.map(([field]) => [`#${field}`, field])),
            },
            ExpressionAttributeValues: {
              ':revision': revision,
              ...Object.fromEntries(entries.map(([field, value]) => [`:${field}`, value])),
            },
          }),
        ),
      );
    },
  };
}
export type CaseStore = ReturnType<typeof caseStore>;

function isCursorOf(cursor: Record<string, unknown>, partition: string): boolean {
  const keys = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  return (
    Object.keys(cursor).length === keys.length &&
    keys.every((key) => typeof cursor[key] === 'string') &&
    cursor.gsi1pk === partition
  );
}
