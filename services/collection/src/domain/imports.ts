import { createHash } from 'node:crypto';
import { customerAttributesSchema, type RetentionPolicy } from '@cxloop/events';
import * as z from 'zod';
import type { ResponseContent } from './responses';
import { type EndOfLife, feedbackEndOfLife } from './retention';
import { type Survey, surveyScales } from './surveys';

/** Rows per `POST /v1/surveys/{surveyId}/imports`: 100 rows of a few KiB stay well inside one Lambda invocation. */
export const IMPORT_BATCH_MAX_ROWS = 100;

/** An answer may be stamped this far ahead of the server's clock (a source's clock running fast). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** One answer from another system's history, as the importer sends it. */
export const importRowSchema = z.object({
  sourceId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe("The answer's id in the source: what makes an import idempotent"),
  answeredAt: z.iso.datetime({ offset: true }).describe('When the customer answered (kept as the time of the answer)'),
  score: z.number().int(),
  comment: z.string().trim().max(5000).optional(),
  respondent: z
    .object({
      id: z.string().trim().min(1).max(200).optional(),
      email: z.email().max(254).optional(),
      name: z.string().max(200).optional().describe('Accepted and not stored: cxloop keeps no names with answers'),
    })
    .optional(),
  properties: customerAttributesSchema
    .refine((properties) => Object.keys(properties).length <= 50, 'expected at most 50 properties')
    .optional(),
});
export type ImportRow = z.infer<typeof importRowSchema>;

/** The body of an import request; rows are checked one by one, so one bad row rejects only itself. */
export const importBatchSchema = z.object({
  source: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, 'expected a short lower-case name such as "delighted" or "csv"')
    .describe('Where the rows come from; with the survey and each sourceId it makes the stable response id'),
  rows: z.array(z.unknown()).min(1).max(IMPORT_BATCH_MAX_ROWS),
});
export type ImportBatch = z.infer<typeof importBatchSchema>;

export type ImportRejection = { reason: 'invalid' | 'past_retention' | 'erased'; field: string; message: string };

export type ImportRowResult = { index: number; sourceId?: string } & (
  | { status: 'imported' | 'duplicate' }
  | ({ status: 'rejected' } & ImportRejection)
);

/** Where an imported response came from, kept on it. */
export interface ImportOrigin {
  source: string;
  sourceId: string;
}

/**
 * The response id of an imported answer: a digest of survey, source and source id, so a re-run finds the same
 * response. It contains a ".", which public response ids cannot, so no widget post can revise an imported answer.
 */
export function importedResponseId(surveyId: string, origin: ImportOrigin): string {
  const digest = createHash('sha256').update(`${surveyId}|${origin.source}|${origin.sourceId}`).digest('base64url');
  return `imported.${digest.slice(0, 32)}`;
}

const invalid = (field: string, message: string): ImportRejection => ({ reason: 'invalid', field, message });

/** Parses one row; a problem names the row's field (`score`, `respondent.email`, …). */
export function parseImportRow(row: unknown): { row: ImportRow } | { rejection: ImportRejection } {
  const parsed = importRowSchema.safeParse(row);
  if (parsed.success) return { row: parsed.data };
  const issue = parsed.error.issues[0];
  return { rejection: invalid(issue?.path.join('.') || 'row', issue?.message ?? 'invalid row') };
}

/**
 * What an imported row is stored as, or why it is not: its score must be on the survey's scale, its time not in the
 * future, and its end of life (counted from when it was answered, as for a live answer) not already past; an answer
 * older than the retention period is rejected rather than stored and deleted.
 */
export function importedContent(
  survey: Pick<Survey, 'type'>,
  row: ImportRow,
  policy: RetentionPolicy,
  now: Date,
): { content: ResponseContent; endOfLife: EndOfLife } | { rejection: ImportRejection } {
  const scale = surveyScales[survey.type];
  if (row.score < scale.min || row.score > scale.max) {
    return { rejection: invalid('score', `must be an integer from ${scale.min} to ${scale.max}`) };
  }
  const answeredAt = new Date(row.answeredAt);
  if (answeredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return { rejection: invalid('answeredAt', 'is in the future') };
  }
  const endOfLife = feedbackEndOfLife(policy, answeredAt);
  if (endOfLife.expiresAt * 1000 <= now.getTime()) {
    const days = Math.min(policy.feedbackTextDays, policy.contactDetailsDays);
    return {
      rejection: {
        reason: 'past_retention',
        field: 'answeredAt',
        message: `answered more than ${days} days ago: past the retention policy, so it would be deleted at once`,
      },
    };
  }
  const { id, email } = row.respondent ?? {};
  return {
    endOfLife,
    content: {
      score: row.score,
      ...(row.comment ? { comment: row.comment } : {}),
      answers: [],
      channel: 'import',
      // The admin key that imports them vouches for them, as a verified provider does for its webhooks.
      respondent: {
        ...(id ? { id } : {}),
        verified: id !== undefined,
        ...(email ? { email } : {}),
        emailVerified: email !== undefined,
      },
      properties: row.properties ?? {},
    },
  };
}
