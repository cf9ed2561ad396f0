import {
  BadRequestError,
  decodeCursor,
  documentClient,
  encodeCursor,
  eventPublisher,
  httpRoutes,
  json,
  parseOrBadRequest,
} from '@cxloop/lambda-kit';
import { followUpConfigSchema } from '../domain/config';
import { caseAdminApiEnvironment } from '../environment';
import { caseAdminRoutes } from '../routes/cases';
import { schedulerSlaTimerDisarmer } from '../scheduling/sla-timers';
import { caseStore } from '../store/cases';
import { configStore } from '../store/config';
import { outreachStore } from '../store/outreach';
import { currentRetention } from '../store/privacy';
import { ruleStore } from '../store/rules';
import { closedLoopMetrics } from '../use-cases/loop-metrics';
import { getCase, listCases, updateCase } from '../use-cases/manage-cases';
import { listOutreach } from '../use-cases/segment-outreach';
import { followUpErrors } from './http-errors';

const env = caseAdminApiEnvironment.read();
const db = documentClient();
const tableName = env.TABLE_NAME;
const cases = caseStore(db, tableName, currentRetention(db, tableName));
const rules = ruleStore(db, tableName);
const configs = configStore(db, tableName);
const outreach = outreachStore(db, tableName);
const manageDeps = {
  cases,
  publish: eventPublisher(env.EVENT_BUS_NAME),
  timers: schedulerSlaTimerDisarmer(env.SLA_SCHEDULE_GROUP),
  config: async () => (await configs.get()).config,
};

const DAY_MS = 86_400_000;

export const handler = httpRoutes(
  caseAdminRoutes,
  {
    'GET /v1/followups': async ({ query, now }) => {
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
    },

    'GET /v1/followups/{caseId}': async ({ path }) => {
      const view = await getCase(cases, path.caseId);
      return json(200, { ...view.case, version: view.version });
    },

    'PATCH /v1/followups/{caseId}': async ({ path, body, principal, causation, now }) => {
      const view = await updateCase(manageDeps, { caseId: path.caseId, ...body, author: principal.id }, causation, now);
      return json(200, { ...view.case, version: view.version });
    },

    'POST /v1/followups/{caseId}/notes': async ({ path, body, principal, causation, now }) => {
      const view = await updateCase(
        manageDeps,
        {
          caseId: path.caseId,
          note: body.text,
          ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
          author: principal.id,
        },
        causation,
        now,
      );
      return json(201, { ...view.case, version: view.version });
    },

    'GET /v1/followup-rules': async () => json(200, await rules.current()),

    'PUT /v1/followup-rules': async ({ body, principal, now }) =>
      json(200, await rules.publish(body.rules, body.expectedVersion, principal.id, now)),

    'GET /v1/followup-rules/versions': async ({ query }) => {
      const page = await rules.history(query.limit, decodeCursor(query.cursor));
      const current = await rules.current();
      return json(200, { current: current.version, items: page.versions, nextCursor: encodeCursor(page.next) ?? null });
    },

    'GET /v1/followup-config': async () => {
      const stored = await configs.get();
      return json(200, {
        ...stored.config,
        version: stored.version,
        ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
        ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
      });
    },

    'PUT /v1/followup-config': async ({ body, principal, now }) => {
      // What GET answered may be sent back as it is: its version and audit fields are not part of the config.
      const { expectedVersion, version: _version, updatedAt: _at, updatedBy: _by, ...document } = body;
      const config = parseOrBadRequest(followUpConfigSchema, document, 'body');
      const stored = await configs.put(config, principal.id, now, expectedVersion);
      return json(200, {
        ...stored.config,
        version: stored.version,
        updatedAt: stored.updatedAt,
        updatedBy: stored.updatedBy,
      });
    },

    'GET /v1/followup-metrics': async ({ query, now }) => {
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

    'GET /v1/followup-outreach': async ({ query, now }) => {
      const cursor = decodeCursor(query.cursor);
      const page = await listOutreach(
        { outreach, cases },
        { surveyId: query.surveyId, limit: query.limit, ...(cursor ? { cursor } : {}) },
        now,
      );
      return json(200, { items: page.items, nextCursor: encodeCursor(page.next) ?? null });
    },
  },
  { errors: followUpErrors },
);
