import { aggregationAdminRoutes, aggregationDelightedRoutes, aggregationReadRoutes } from '@cxloop/aggregation/routes';
import { categorisationAdminRoutes } from '@cxloop/categorisation/routes';
import {
  collectionAdminRoutes,
  collectionDelightedRoutes,
  collectionImportRoutes,
  collectionPageRoutes,
  collectionPublicRoutes,
  collectionWebhookRoutes,
} from '@cxloop/collection/routes';
import { caseAdminRoutes } from '@cxloop/followup/routes/cases';
import { autopilotAdminRoutes, delightedPeopleRoutes } from '@cxloop/followup/routes/delighted';
import { outboundAdminRoutes } from '@cxloop/followup/routes/outbound';
import { peopleAdminRoutes, unsubscribePageRoutes } from '@cxloop/followup/routes/people';
import { smsLinkRoutes } from '@cxloop/followup/routes/sms';
import { type AnyRouteContract, openApiDocument } from '@cxloop/http-contracts';

/** Every route of the HTTP API, service by service: what the OpenAPI document describes. */
export const apiRoutes: readonly AnyRouteContract[] = [
  ...collectionAdminRoutes,
  ...collectionImportRoutes,
  ...collectionDelightedRoutes,
  ...collectionPublicRoutes,
  ...collectionWebhookRoutes,
  ...collectionPageRoutes,
  ...categorisationAdminRoutes,
  ...aggregationReadRoutes,
  ...aggregationAdminRoutes,
  ...aggregationDelightedRoutes,
  ...caseAdminRoutes,
  ...outboundAdminRoutes,
  ...peopleAdminRoutes,
  ...delightedPeopleRoutes,
  ...autopilotAdminRoutes,
  ...unsubscribePageRoutes,
  ...smsLinkRoutes,
];

/**
 * Where the document is written (`npm run openapi:generate`) for the collection's pages function to serve at
 * `GET /v1/openapi.json` and the dashboard build to render: generated once instead of at every cold start.
 */
export const apiDocumentPath = 'services/collection/generated/openapi.json';

export const apiDocument = () =>
  openApiDocument(
    {
      title: 'cxloop API',
      version: '1',
      description:
        'Surveys and responses, webhooks, categorisation, metrics and follow-up. Admin routes take an API key as ' +
        '`Authorization: Bearer <key>`; public routes are called by widgets, hosted pages and providers; the ' +
        'Delighted-compatible routes (`/delighted/v1/…`) take a `delighted` key as the Basic user name.',
    },
    apiRoutes,
  );

export const renderApiDocument = () => `${JSON.stringify(apiDocument(), null, 2)}\n`;
