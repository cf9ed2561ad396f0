import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, writeIfConditionHolds } from '@cxloop/lambda-kit';
import { writePersonIndex } from '@cxloop/privacy';
import {
  type ClaimResult,
  isFinal,
  LostClaimError,
  type MessageRecord,
  type MessageSummary,
  type SettleResult,
} from '../domain/message-log';
import { ALL_MESSAGES, getMessage, messageKeys, toRecord } from './message-records';
import { defaultRetention, type RetentionSource } from './people';

/** The HTTP status of the last failure, or none when it had no HTTP answer. */
function statusCodeUpdate(statusCode: number | undefined) {
  return statusCode === undefined
    ? { sets: [] as string[], values: {}, removes: ['lastStatusCode'] }
    : { sets: ['lastStatusCode = :statusCode'], values: { ':statusCode': statusCode }, removes: [] as string[] };
}

/** A job may be claimed (or settled without delivery) when it is new, waiting, redriven, or its claim expired. */
const CLAIMABLE =
  'attribute_not_exists(pk) OR #status = :queued OR (#status = :failed AND retryable = :true) ' +
  'OR (#status = :sending AND leaseUntil < :nowMs)';

/**
 * The writes of the message log: the claim that lets one worker at a time deliver a job, and the ends of a claim
 * (sent, retry, failed, settled without delivery). Entries are operational data: kept `messagesDays` (default 400),
 * then removed by TTL.
 */
export function messageClaims(
  db: DynamoDBDocumentClient,
  tableName: string,
  retention: RetentionSource = defaultRetention,
) {
  const key = messageKeys.message;
  const retentionSeconds = async () => (await retention()).messagesDays * 24 * 3600;

  /** A message to a person is indexed under them before its record is written; it ends with the record. */
  async function indexRecipient(summary: MessageSummary, now: Date): Promise<void> {
    if (!summary.identifiers?.length) return;
    const expiresAt = Math.floor(now.getTime() / 1000) + (await retentionSeconds());
    await writePersonIndex(db, tableName, summary.identifiers, 'message', key(summary.messageId), expiresAt);
  }

  /** SET clauses for the summary fields (and the keys/TTL that depend only on the first write). */
  async function summaryUpdate({ identifiers, ...summary }: MessageSummary, now: Date) {
    await indexRecipient({ ...summary, ...(identifiers ? { identifiers } : {}) }, now);
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':now': now.toISOString(),
      ':gsi1pk': ALL_MESSAGES,
      ':gsi1sk': `${now.toISOString()}#${summary.messageId}`,
      ':expiresAt': Math.floor(now.getTime() / 1000) + (await retentionSeconds()),
      ':zero': 0,
    };
    const sets = [
      'queuedAt = if_not_exists(queuedAt, :now)',
      'updatedAt = :now',
      'gsi1pk = :gsi1pk',
      'gsi1sk = if_not_exists(gsi1sk, :gsi1sk)',
      'expiresAt = if_not_exists(expiresAt, :expiresAt)',
    ];
    for (const [field, value] of Object.entries(summary)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    return { names, values, sets };
  }

  async function ensureCaseLink(summary: MessageSummary, queuedAt: string): Promise<void> {
    if (!summary.caseId) return;
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...messageKeys.caseLink(summary.caseId, queuedAt, summary.messageId),
          messageId: summary.messageId,
          expiresAt: Math.floor(Date.parse(queuedAt) / 1000) + (await retentionSeconds()),
        },
      }),
    );
  }

  /** What a failed claim or settle ran into. */
  async function blocked(messageId: string): Promise<{ kind: 'done' | 'busy'; record: MessageRecord }> {
    const record = await getMessage(db, tableName, messageId);
    if (!record) throw new Error(`Message ${messageId} vanished during a conditional write`);
    return { kind: isFinal(record) ? 'done' : 'busy', record };
  }

  /** Ends a claim with `sets`, only while this worker still holds it (and drops the lease unless `keepLease`). */
  async function endClaim(
    messageId: string,
    leaseId: string,
    sets: string[],
    values: Record<string, unknown>,
    removes: string[] = [],
    keepLease = false,
  ): Promise<void> {
    const removed = [...(keepLease ? [] : ['leaseId', 'leaseUntil']), ...removes];
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(messageId),
          UpdateExpression: `SET ${sets.join(', ')}${removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''}`,
          ConditionExpression: '#status = :sending AND leaseId = :leaseId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':sending': 'sending', ':leaseId': leaseId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new LostClaimError(`The claim on message ${messageId} was lost`);
      throw error;
    }
  }

  return {
    /**
     * Claims a job for one delivery attempt: a conditional update that only one of several concurrent workers can
     * win. Counts the attempt and holds the claim for `leaseMs` (longer than the worker can live), after which a
     * crashed worker's claim may be taken over — `previous.status === 'sending'` then tells the new holder that the
     * outcome of the interrupted attempt is unknown.
     */
    async claim(summary: MessageSummary, now: Date, leaseMs: number, leaseId: string): Promise<ClaimResult> {
      const { names, values, sets } = await summaryUpdate(summary, now);
      try {
        const result = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(summary.messageId),
            UpdateExpression: `SET ${[
              ...sets,
              '#status = :sending',
              'leaseId = :leaseId',
              'leaseUntil = :leaseUntil',
              'attempts = if_not_exists(attempts, :zero) + :one',
            ].join(', ')} REMOVE retryable`,
            ConditionExpression: CLAIMABLE,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ...values,
              ':sending': 'sending',
              ':queued': 'queued',
              ':failed': 'failed',
              ':true': true,
              ':one': 1,
              ':leaseId': leaseId,
              ':leaseUntil': now.getTime() + leaseMs,
              ':nowMs': now.getTime(),
            },
            ReturnValues: 'ALL_OLD',
          }),
        );
        const previous = result.Attributes ? toRecord(result.Attributes) : undefined;
        await ensureCaseLink(summary, previous?.queuedAt ?? now.toISOString());
        return { kind: 'claimed', attempts: (previous?.attempts ?? 0) + 1, ...(previous ? { previous } : {}) };
      } catch (error) {
        if (isConditionFailure(error)) return blocked(summary.messageId);
        throw error;
      }
    },

    /**
     * Records the send. The lease stays until MessageSent is published (`markAnnounced`): meanwhile a duplicate copy
     * of the job leaves the announcement to this worker, whose own SQS message is only deleted once it is done.
     */
    async recordSent(messageId: string, leaseId: string, now: Date, providerId?: string): Promise<void> {
      await endClaim(
        messageId,
        leaseId,
        [
          '#status = :sent',
          'sentAt = :now',
          'updatedAt = :now',
          'announced = :false',
          ...(providerId ? ['providerId = :providerId'] : []),
        ],
        {
          ':sent': 'sent',
          ':now': now.toISOString(),
          ':false': false,
          ...(providerId ? { ':providerId': providerId } : {}),
        },
        [],
        true,
      );
    },

    /** Gives the claim back after a transient failure: the job waits (`queued`) for its next attempt. */
    async releaseForRetry(
      messageId: string,
      leaseId: string,
      now: Date,
      failure: { error: string; statusCode?: number },
    ): Promise<void> {
      const status = statusCodeUpdate(failure.statusCode);
      await endClaim(
        messageId,
        leaseId,
        ['#status = :queued', 'updatedAt = :now', 'lastError = :error', ...status.sets],
        { ':queued': 'queued', ':now': now.toISOString(), ':error': failure.error, ...status.values },
        status.removes,
      );
    },

    /** Ends a claim as failed: for good, or `retryable` when the job goes to the dead-letter queue. */
    async recordFailed(
      messageId: string,
      leaseId: string,
      now: Date,
      failure: { error: string; statusCode?: number; retryable: boolean },
    ): Promise<void> {
      const status = statusCodeUpdate(failure.statusCode);
      await endClaim(
        messageId,
        leaseId,
        ['#status = :failed', 'updatedAt = :now', 'lastError = :error', 'retryable = :retryable', ...status.sets],
        {
          ':failed': 'failed',
          ':now': now.toISOString(),
          ':error': failure.error,
          ':retryable': failure.retryable,
          ...status.values,
        },
        status.removes,
      );
    },

    /**
     * Settles a job without delivering it — `suppressed` (the person opted out) or `failed` (nowhere to send it) —
     * unless it is already final or being delivered.
     */
    async settle(
      summary: MessageSummary,
      now: Date,
      outcome: { status: 'suppressed' | 'failed'; error: string },
    ): Promise<SettleResult> {
      const { names, values, sets } = await summaryUpdate(summary, now);
      try {
        const result = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(summary.messageId),
            UpdateExpression: `SET ${[
              ...sets,
              '#status = :outcome',
              'lastError = :error',
              'attempts = if_not_exists(attempts, :zero)',
            ].join(', ')} REMOVE retryable, leaseId, leaseUntil`,
            ConditionExpression: CLAIMABLE,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ...values,
              ':outcome': outcome.status,
              ':error': outcome.error,
              ':sending': 'sending',
              ':queued': 'queued',
              ':failed': 'failed',
              ':true': true,
              ':nowMs': now.getTime(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        await ensureCaseLink(summary, String(result.Attributes?.queuedAt ?? now.toISOString()));
        return { kind: 'settled' };
      } catch (error) {
        if (isConditionFailure(error)) return blocked(summary.messageId);
        throw error;
      }
    },

    /** Records a job as `queued` the first time it is seen without being attempted (a rate-limit deferral). */
    async recordQueued(summary: MessageSummary, now: Date): Promise<void> {
      const { names, values, sets } = await summaryUpdate(summary, now);
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(summary.messageId),
            UpdateExpression: `SET ${[...sets, '#status = :queued', 'attempts = :zero'].join(', ')}`,
            ConditionExpression: 'attribute_not_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ...values, ':queued': 'queued' },
          }),
        );
        await ensureCaseLink(summary, now.toISOString());
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    /**
     * A job that could not even be read: recorded once as `failed` under its job id when it has a usable one, else
     * under `sqs-<SQS message id>`, and never retried.
     */
    async recordMalformed(messageId: string, now: Date, error: string): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(messageId),
              ...messageKeys.byTime(now.toISOString(), messageId),
              messageId,
              purpose: 'unknown',
              status: 'failed',
              attempts: 0,
              lastError: error,
              queuedAt: now.toISOString(),
              updatedAt: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + (await retentionSeconds()),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    /** MessageSent was published: the sending worker's lease ends. */
    async markAnnounced(messageId: string): Promise<void> {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(messageId),
          UpdateExpression: 'SET announced = :true REMOVE leaseId, leaseUntil',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    },

    /** Publishing MessageSent failed: drop the lease so that the next delivery of the job announces it. */
    async releaseAnnouncement(messageId: string, leaseId: string): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(messageId),
            UpdateExpression: 'REMOVE leaseId, leaseUntil',
            ConditionExpression: 'leaseId = :leaseId',
            ExpressionAttributeValues: { ':leaseId': leaseId },
          }),
        ),
      );
    },

    /** Erasure: the log entry stays (delivery figures count it) without the hash that tied it to the person. */
    async erase(messageKey: { pk: string; sk: string }): Promise<void> {
      await writeIfConditionHolds(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: messageKey,
            UpdateExpression: 'REMOVE recipient',
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
    },
  };
}
