import { describe, expect, it } from 'vitest';
import { apiDocument } from '../lib/api-document';
import { synthesizeStack } from './support/synthesized-stack';

describe('the HTTP API and its OpenAPI document', () => {
  it('document exactly the routes of the synthesized template, with their authorization', () => {
    const { resources } = synthesizeStack();
    const templateRoutes = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
      .map(
        (route) => `${route.Properties.RouteKey} ${route.Properties.AuthorizationType === 'CUSTOM' ? 'key' : 'open'}`,
      );
    const documented = Object.entries(apiDocument().paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) =>
          `${method.toUpperCase()} ${path} ${(operation as { security: unknown[] }).security.length ? 'key' : 'open'}`,
      ),
    );
    expect(templateRoutes.sort()).toEqual(documented.sort());
  });
});
