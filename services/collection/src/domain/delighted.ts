import { customerAttributesSchema } from '@cxloop/events';
import { delightedPageQuery, delightedTimestamp, toUnixSeconds } from '@cxloop/http-contracts';
import { identifierHash } from '@cxloop/privacy';
import * as z from 'zod';
import type { Respondent } from './respondents';
import type { ResponseContent, StoredResponse } from './responses';

/**
 * Collection's side of the Delighted-compatible API (`/delighted/v1/survey_responses`): Delighted's request fields
 * and answer shape over collection's responses.
 *
 * A Delighted person id is the hash by which cxloop indexes what it holds on a person (`identifierHash` of the
 * e-mail address, as follow-up's people answer it), so an id needs no mapping table: a response created for an
 * address gets that address's id, a response created for an id is indexed under it (an erasure of the address
 * reaches it), and both are found with one Query of the person index.
 */
const personIdPattern = /^[0-9a-f]{64}$/;

export const delightedPersonIdOfEmail = (email: string) => identifierHash('email', email);

/** The Delighted person of a response: the id it was created for, else its respondent's address or id. */
export function delightedPersonIdOf(response: Pick<StoredResponse, 'content' | 'personId'>): string | null {
  if (response.personId) return response.personId;
  const { respondent } = response.content;
  if (respondent.email) return delightedPersonIdOfEmail(respondent.email);
  return respondent.id ? identifierHash('respondentId', respondent.id) : null;
}

const person = z
  .union([z.string().trim(), z.number().int().nonnegative().transform(String)])
  .pipe(
    z.union([
      z
        .email()
        .max(254)
        .transform((email) => ({ email })),
      z
        .string()
        .regex(personIdPattern)
        .transform((id) => ({ id })),
    ]),
  )
  .describe('The id of the person responding (as `GET /people` answers it), or their e-mail address');

/** `POST /delighted/v1/survey_responses`, with Delighted's field names. */
export const delightedResponseRequestSchema = z.object({
  person: z.unknown().pipe(person),
  score: z.number().int().min(0).max(10),
  comment: z.string().trim().max(5000).optional(),
  person_properties: customerAttributesSchema
    .refine((properties) => Object.keys(properties).length <= 50, 'expected at most 50 properties')
    .optional(),
  created_at: delightedTimestamp.optional().describe('When the answer was given (Unix seconds); now unless said'),
});
export type DelightedResponseRequest = z.output<typeof delightedResponseRequestSchema>;

/**
 * The response a Delighted client posts: given by the customer's own server with its key, so the address it names
 * is taken as proven, as a verified provider's is.
 */
export function delightedResponseContent(request: DelightedResponseRequest): ResponseContent {
  const respondent: Respondent =
    'email' in request.person
      ? { verified: false, email: request.person.email, emailVerified: true }
      : { verified: false, emailVerified: false };
  return {
    score: request.score,
    ...(request.comment ? { comment: request.comment } : {}),
    answers: [],
    channel: 'api',
    respondent,
    properties: request.person_properties ?? {},
  };
}

const expansions = z
  .string()
  .transform((list) => list.split(','))
  .pipe(z.array(z.enum(['person', 'notes'])));

export const delightedOrders = ['asc', 'desc', 'asc:updated_at', 'desc:updated_at'] as const;

/** `GET /delighted/v1/survey_responses`. */
export const delightedResponseListQuerySchema = delightedPageQuery
  .extend({
    since: delightedTimestamp.optional(),
    until: delightedTimestamp.optional(),
    updated_since: delightedTimestamp.optional(),
    updated_until: delightedTimestamp.optional(),
    trend: z
      .string()
      .regex(/^[^:]{1,64}:.{1,200}$/, 'expected a segment as <property>:<value>, e.g. plan:pro')
      .optional()
      .describe('A Delighted trend (a saved segment) is a cxloop segment: responses whose property has the value'),
    person_id: z.string().regex(personIdPattern, 'expected a person id as this API answers it').optional(),
    person_email: z.email().max(254).optional(),
    order: z.enum(delightedOrders).default('asc'),
    'expand[]': expansions.optional().describe('person and/or notes (repeat the parameter for both)'),
    expand: expansions.optional().describe('the same, as the Node client sends an array'),
  })
  .refine((query) => !(query.person_id && query.person_email), {
    message: 'give person_id or person_email, not both',
    path: ['person_email'],
  });
export type DelightedResponseListQuery = z.output<typeof delightedResponseListQuerySchema>;

/** What a list asks of the store: bounds as ISO times, the segment as a property and value. */
export interface DelightedResponseSelection {
  surveyId: string;
  order: (typeof delightedOrders)[number];
  created?: { from?: string; to?: string };
  updated?: { from?: string; to?: string };
  property?: { name: string; value: string };
  personId?: string;
  offset: number;
  limit: number;
}

const range = (from: Date | undefined, to: Date | undefined) =>
  from || to ? { ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) } : undefined;

export function delightedSelection(surveyId: string, query: DelightedResponseListQuery): DelightedResponseSelection {
  const created = range(query.since, query.until);
  const updated = range(query.updated_since, query.updated_until);
  const at = query.trend?.indexOf(':') ?? -1;
  const personId = query.person_id ?? (query.person_email ? delightedPersonIdOfEmail(query.person_email) : undefined);
  return {
    surveyId,
    order: query.order,
    ...(created ? { created } : {}),
    ...(updated ? { updated } : {}),
    ...(query.trend && at > 0
      ? { property: { name: query.trend.slice(0, at), value: query.trend.slice(at + 1) } }
      : {}),
    ...(personId ? { personId } : {}),
    offset: (query.page - 1) * query.per_page,
    limit: query.per_page,
  };
}

/** A person as an expanded response shows them: what collection knows of them (their address, when given). */
const delightedPerson = (id: string, response: StoredResponse) => ({
  id,
  email: response.content.respondent.email ?? null,
  name: null,
  phone_number: null,
  created_at: toUnixSeconds(response.occurredAt),
});

/** A response in Delighted's shape; `permalink` is the response's own URL in this API. */
export function delightedResponseView(
  response: StoredResponse,
  options: { expand: readonly ('person' | 'notes')[]; permalinkBase: string },
) {
  const personId = delightedPersonIdOf(response);
  return {
    id: response.responseId,
    person: options.expand.includes('person') && personId ? delightedPerson(personId, response) : personId,
    survey_type: 'nps' as const,
    score: response.content.score,
    comment: response.content.comment ?? null,
    permalink: `${options.permalinkBase}/${encodeURIComponent(response.responseId)}`,
    created_at: toUnixSeconds(response.occurredAt),
    updated_at: toUnixSeconds(response.updatedAt),
    person_properties: response.content.properties,
    notes: [],
    tags: [],
    additional_answers: [],
  };
}
export type DelightedResponseView = ReturnType<typeof delightedResponseView>;
