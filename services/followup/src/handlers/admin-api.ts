import { caseStatuses } from '@cxloop/events';
import {
  decodeCursor,
  documentClient,
  encodeCursor,
  httpRouter,
  json,
  NotFoundError,
  parsePath,
  parseQuery,
  type RouteHandler,
  requiredEnv,
  requirePrincipal,
} from '@cxloop/lambda-kit';
import * as z from 'zod';
import type { CaseAdminRoute } from '../routes/cases';
import { caseStore } from '../store/cases';

const cases = caseStore(documentClient(), requiredEnv('TABLE_NAME'));

const listQuery = z.object({
  status: z.enum(caseStatuses).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});
const casePath = z.object({ caseId: z.string().min(1).max(200) });

const routes: Record<CaseAdminRoute, RouteHandler> = {
  'GET /v1/followups': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const query = parseQuery(event, listQuery);
    const page = await cases.listByStatus(query.status, query.limit, decodeCursor(query.cursor));
    return json(200, { items: page.cases, nextCursor: encodeCursor(page.next) ?? null });
  },
  'GET /v1/followups/{caseId}': async ({ event }) => {
    requirePrincipal(event, 'admin');
    const { caseId } = parsePath(event, casePath);
    const found = await cases.get(caseId);
    if (!found) throw new NotFoundError(`Case ${caseId} does not exist`);
    return json(200, found);
  },
};

export const handler = httpRouter(routes);
