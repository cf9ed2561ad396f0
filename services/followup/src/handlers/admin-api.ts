import { caseStatuses } from '@cxloop/events';
import {
  BadRequestError,
  ConflictError,
  decodeCursor,
  documentClient,
  encodeCursor,
  eventPublisher,
  httpRouter,
  json,
  NotFoundError,
  parseBody,
  parseOrBadRequest,
  parsePath,
  parseQuery,
  type RouteHandler,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import { InvalidCaseTransitionError } from '../domain/case-lifecycle';
import { followUpConfigSchema } from '../domain/config';
import { rulesSchema } from '../domain/rules';
import { caseAdminApiEnvironment } from '../environment';
import type { CaseAdminRoute } from '../routes/cases';
import { schedulerSlaTimerDisarmer } from '../scheduling/sla-timers';
import { CaseVersionConflictError, caseStore, InvalidCaseCursorError } from '../store/cases';
import { ConfigVersionConflictError, configStore } from '../store/config';
import { currentRetention } from '../store/privacy';
import { RuleSetVersionConflictError, ruleStore } from '../store/rules';
import { closedLoopMetrics } from '../use-cases/loop-metrics';
import {
  CaseNotFoundError,
  caseActions,
  getCase,
  listCases,
  TooManyNotesError,
  updateCase,
} from '../use-cases/manage-cases';

const env = caseAdminApiEnvironment.read();
const db = documentClient();
const tableName = env.TABLE_NAME;
const cases = caseStore(db, tableName, currentRetention(db, tableName));
const rules = ruleStore(db, tableName);
const configs = configStore(db, tableName);
const manageDeps = {
  cases,
  publish: eventPublisher(env.EVENT_BUS_NAME),
  timers: schedulerSlaTimerDisarmer(env.SLA_SCHEDULE_GROUP),
  config: async () => (await configs.get()).config,
};

const DAY_MS = 86_400_000;
const ownerName = z.string().trim().min(1).max(200);
const casePath = z.object({ caseId: z.string().min(1).max(200) });

const listQuery = z
  .object({
    status: z.enum(caseStatuses).optional(),
    owner: ownerName.optional(),
    overdue: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().optional(),
  })
  .refine((query) => !query.overdue || !query.status || ['open', 'acknowledged'].includes(query.status), {
    message: 'only open or acknowledged cases can be overdue',
    path: ['overdue'],
  });

const patchBody = z
  .object({
    action: z.enum(caseActions),
    owner: ownerName.optional(),
    note: z.string().trim().min(1).max(1000).optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict()
  .refine((body) => body.action !== 'assign' || body.owner !== undefined, {
    message: 'required when action is assign',
    path: ['owner'],
  });

const noteBody = z
  .object({ text: z.string().trim().min(1).max(1000), expectedVersion: z.number().int().positive().optional() })
  .strict();

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((value) => new Date(value).toISOString());
const metricsQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  reason: z.string().min(1).max(100).optional(),
});

const rulesBody = z.object({ expectedVersion: z.number().int().positive(), rules: rulesSchema });
const configEnvelope = z.looseObject({ expectedVersion: z.number().int().nonnegative().optional() });

const versionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
});

/** The cases area's own errors as HTTP answers. */
function withCaseErrors(route: RouteHandler): RouteHandler {
  return async (request) => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof CaseNotFoundError) throw new NotFoundError(error.message);
      if (error instanceof InvalidCaseTransitionError) {
        throw new ConflictError(error.message, { from: error.from, to: error.to });
      }
      if (error instanceof CaseVersionConflictError) {
        throw new ConflictError(error.message, { expectedVersion: error.expectedVersion });
      }
      if (error instanceof TooManyNotesError) throw new ConflictError(error.message);
      if (error instanceof RuleSetVersionConflictError || error instanceof ConfigVersionConflictError) {
        throw new ConflictError(error.message, { currentVersion: error.currentVersion });
      }
      if (error instanceof InvalidCaseCursorError) {
        throw new BadRequestError(`query.cursor: ${error.message}`, undefined, 'validation_failed');
      }
      throw error;
    }
  };
}

const routes: Record<CaseAdminRoute, RouteHandler> = {
  'GET /v1/followups': withCaseErrors(async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
    const cursor = decodeCursor(query.cursor);
    const page = await listCases(cases, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.owner ? { owner: query.owner } : {}),
      overdue: query.overdue,
      now,
      limit: query.limit,
      ...(cursor ? { cursor } : {}),
    });
    return json(200, { items: page.cases, nextCursor: encodeCursor(page.next) ?? null });
  }),

  'GET /v1/followups/{caseId}': withCaseErrors(async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { caseId } = parsePath(event, casePath);
    const view = await getCase(cases, caseId);
    return json(200, { ...view.case, version: view.version });
  }),

  'PATCH /v1/followups/{caseId}': withCaseErrors(async ({ event, now, correlationId, requestId }) => {
    const principal = requirePrincipal(event, 'admin');
    const { caseId } = parsePath(event, casePath);
    const body = parseBody(event, patchBody);
    const view = await updateCase(
      manageDeps,
      { caseId, ...body, author: principal.id },
      { correlationId, causationId: requestId },
      now,
    );
    return json(200, { ...view.case, version: view.version });
  }),

  'POST /v1/followups/{caseId}/notes': withCaseErrors(async ({ event, now, correlationId, requestId }) => {
    const principal = requirePrincipal(event, 'admin');
    const { caseId } = parsePath(event, casePath);
    const body = parseBody(event, noteBody);
    const view = await updateCase(
      manageDeps,
      {
        caseId,
        note: body.text,
        ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
        author: principal.id,
      },
      { correlationId, causationId: requestId },
      now,
    );
    return json(201, { ...view.case, version: view.version });
  }),

  'GET /v1/followup-rules': async ({ event }) => {
    requirePrincipal(event, 'admin');
    return json(200, await rules.current());
  },

  'PUT /v1/followup-rules': withCaseErrors(async ({ event, now }) => {
    const principal = requirePrincipal(event, 'admin');
    const body = parseBody(event, rulesBody, 256 * 1024);
    return json(200, await rules.publish(body.rules, body.expectedVersion, principal.id, now));
  }),

  'GET /v1/followup-rules/versions': withCaseErrors(async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, versionsQuery);
    const page = await rules.history(query.limit, decodeCursor(query.cursor));
    const current = await rules.current();
    return json(200, { current: current.version, items: page.versions, nextCursor: encodeCursor(page.next) ?? null });
  }),

  'GET /v1/followup-config': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const stored = await configs.get();
    return json(200, {
      ...stored.config,
      version: stored.version,
      ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
      ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
    });
  },

  'PUT /v1/followup-config': withCaseErrors(async ({ event, now }) => {
    const principal = requirePrincipal(event, 'admin');
    // What GET answered may be sent back as it is: its version and audit fields are not part of the config.
    const {
      expectedVersion,
      version: _version,
      updatedAt: _at,
      updatedBy: _by,
      ...document
    } = parseBody(event, configEnvelope);
    const config = parseOrBadRequest(followUpConfigSchema, document, 'body');
    const stored = await configs.put(config, principal.id, now, expectedVersion);
    return json(200, {
      ...stored.config,
      version: stored.version,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
    });
  }),

  'GET /v1/followup-metrics': async ({ event, now }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, metricsQuery);
    const to = query.to ?? now.toISOString();
    const from = query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
    if (Date.parse(from) >= Date.parse(to)) {
      throw new BadRequestError('query.from: must be before query.to', undefined, 'validation_failed');
    }
    if (Date.parse(to) - Date.parse(from) > 366 * DAY_MS) {
      throw new BadRequestError('query.from: at most 366 days before query.to', undefined, 'validation_failed');
    }
    return json(
      200,
      await closedLoopMetrics(cases, { from, to, ...(query.reason ? { reason: query.reason } : {}) }, now),
    );
  },
};

export const handler = httpRouter(routes);
