import type { Score } from '@cxloop/events';
import * as z from 'zod';
import { scoreOnScale, WebhookPayloadError } from './feedback';

/** RFC 6901 JSON pointer into the delivered body, e.g. `/ticket/id`; `~1` escapes `/` and `~0` escapes `~`. */
const jsonPointerSchema = z
  .string()
  .regex(/^(\/([^~/]|~[01])*)+$/, 'must be a JSON pointer such as /ticket/id')
  .describe('JSON pointer into the delivered body');

export const scoreScaleSchema = z
  .object({
    kind: z.enum(['nps', 'csat', 'ces', 'rating']),
    min: z.number(),
    max: z.number(),
    labels: z
      .record(z.string().min(1), z.number())
      .optional()
      .describe(
        'Text values and the score each stands for, matched case-insensitively on the whole value or its first words (`good` matches "Good, I\'m satisfied")',
      ),
  })
  .refine((scale) => scale.min < scale.max, { message: 'min must be below max', path: ['max'] })
  .refine((scale) => Object.values(scale.labels ?? {}).every((value) => value >= scale.min && value <= scale.max), {
    message: 'every label must map into [min, max]',
    path: ['labels'],
  });
export type ScoreScale = z.infer<typeof scoreScaleSchema>;

/**
 * Where an admin-defined payload (Zendesk trigger, Freshdesk automation) keeps each piece of the feedback. Typeform uses
 * `scoreFieldId` / `commentFieldId` (question ids) instead of `score` / `comment`, and pointers for the rest.
 */
export const fieldMappingSchema = z
  .object({
    eventId: jsonPointerSchema.optional().describe('Per-delivery id used for de-duplication'),
    ticketId: jsonPointerSchema.optional().describe('Ticket the rating belongs to: the identity of the response'),
    score: jsonPointerSchema.optional(),
    scale: scoreScaleSchema.optional(),
    comment: jsonPointerSchema.optional(),
    respondentId: jsonPointerSchema.optional(),
    respondentEmail: jsonPointerSchema.optional(),
    occurredAt: jsonPointerSchema.optional(),
    locale: jsonPointerSchema.optional(),
    scoreFieldId: z.string().min(1).optional().describe('Typeform: id of the question that holds the score'),
    commentFieldId: z.string().min(1).optional().describe('Typeform: id of the question that holds the comment'),
  })
  .refine((mapping) => (mapping.score === undefined && mapping.scoreFieldId === undefined) || mapping.scale, {
    message: 'a scale is required when a score is mapped',
    path: ['scale'],
  });
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/** Mappings for the templates documented in README.md, used when an integration does not define its own. */
export const defaultFieldMappings = {
  zendesk: {
    ticketId: '/ticket_id',
    score: '/rating',
    scale: { kind: 'csat', min: 1, max: 2, labels: { good: 2, bad: 1 } },
    comment: '/comment',
    respondentId: '/requester_id',
    respondentEmail: '/requester_email',
    locale: '/locale',
    occurredAt: '/updated_at',
  },
  freshdesk: {
    ticketId: '/ticket_id',
    score: '/score',
    scale: { kind: 'csat', min: 1, max: 5 },
    comment: '/comment',
    respondentEmail: '/requester_email',
  },
} as const satisfies Record<'zendesk' | 'freshdesk', FieldMapping>;

export function resolvePointer(document: unknown, pointer: string): unknown {
  let current = document;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(key)) {
      current = current[Number(key)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Template placeholders render as strings and as "" when empty; both count as absent when blank. */
export function readText(document: unknown, pointer: string | undefined): string | undefined {
  if (pointer === undefined) return undefined;
  const value = resolvePointer(document, pointer);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function labelledValue(text: string, labels: Record<string, number>): number | undefined {
  const lowered = text.toLowerCase();
  const byLength = Object.entries(labels).sort(([a], [b]) => b.length - a.length);
  for (const [label, value] of byLength) {
    const wanted = label.toLowerCase();
    const next = lowered.charAt(wanted.length);
    if (lowered.startsWith(wanted) && !/[\p{L}\p{N}]/u.test(next)) return value;
  }
  return undefined;
}

/** Reads a raw score (number, numeric text or label) onto `scale`; blank is no score, anything else unknown fails. */
export function scoreFromValue(raw: unknown, scale: ScoreScale): Score | undefined {
  if (typeof raw === 'number') return scoreOnScale(raw, scale);
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return scoreOnScale(Number(text), scale);
  const labelled = scale.labels ? labelledValue(text, scale.labels) : undefined;
  if (labelled === undefined) throw new WebhookPayloadError('the mapped score is not a number or a configured label');
  return scoreOnScale(labelled, scale, text);
}
