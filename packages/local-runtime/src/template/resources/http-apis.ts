import type { Json } from '../intrinsics';
import type { StackTemplate } from '../stack-template';
import { functionNameOfInvocationUri } from './functions';
import { numberOr } from './reader';

export interface HttpApiDefinition {
  logicalId: string;
  apiId: string;
  name: string;
  cors?: CorsConfiguration;
  stage: StageDefinition;
  routes: RouteDefinition[];
}
export interface CorsConfiguration {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}
export interface ThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}
export interface StageDefinition {
  name: string;
  defaultThrottle?: ThrottleSettings;
  routeThrottles: Record<string, ThrottleSettings>;
}
export interface RouteDefinition {
  logicalId: string;
  routeKey: string;
  integration?: IntegrationDefinition;
  authorizer?: AuthorizerDefinition;
}
export interface IntegrationDefinition {
  functionName?: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutMs: number;
}
export interface AuthorizerDefinition {
  id: string;
  name: string;
  functionName: string;
  payloadFormatVersion: '1.0' | '2.0';
  simpleResponses: boolean;
  identitySource: string[];
  ttlSeconds: number;
}

export function httpApisOf(template: StackTemplate): HttpApiDefinition[] {
  const ofApi = (type: string, apiId: string) =>
    template
      .resourcesOfType(type)
      .map(([logicalId]) => ({ logicalId, ref: String(template.ref(logicalId)), p: template.propertiesOf(logicalId) }))
      .filter(({ p }) => p.ApiId === apiId);

  return template.resourcesOfType('AWS::ApiGatewayV2::Api').flatMap(([logicalId]) => {
    const p = template.propertiesOf(logicalId);
    if (p.ProtocolType !== 'HTTP') return [];
    const apiId = String(template.ref(logicalId));
    const integrations = new Map(
      ofApi('AWS::ApiGatewayV2::Integration', apiId).map(({ ref, p: integration }) => [
        ref,
        {
          ...(integration.IntegrationType === 'AWS_PROXY' && typeof integration.IntegrationUri === 'string'
            ? { functionName: functionNameOfInvocationUri(integration.IntegrationUri) }
            : {}),
          payloadFormatVersion: integration.PayloadFormatVersion === '1.0' ? '1.0' : '2.0',
          timeoutMs: numberOr(integration.TimeoutInMillis, 30_000),
        } satisfies IntegrationDefinition,
      ]),
    );
    const authorizers = new Map(
      ofApi('AWS::ApiGatewayV2::Authorizer', apiId).map(({ ref, p: authorizer }) => [
        ref,
        {
          id: ref,
          name: String(authorizer.Name ?? ref),
          functionName: functionNameOfInvocationUri(String(authorizer.AuthorizerUri ?? '')),
          payloadFormatVersion: authorizer.AuthorizerPayloadFormatVersion === '1.0' ? '1.0' : '2.0',
          simpleResponses: authorizer.EnableSimpleResponses === true,
          identitySource: (authorizer.IdentitySource as string[] | undefined) ?? [],
          ttlSeconds: numberOr(authorizer.AuthorizerResultTtlInSeconds, 0),
        } satisfies AuthorizerDefinition,
      ]),
    );
    const routes = ofApi('AWS::ApiGatewayV2::Route', apiId).map(({ logicalId: routeId, p: route }) => {
      const integration = integrations.get(String(route.Target ?? '').replace(/^integrations\//, ''));
      const authorizer =
        route.AuthorizationType === 'CUSTOM' ? authorizers.get(String(route.AuthorizerId ?? '')) : undefined;
      return {
        logicalId: routeId,
        routeKey: String(route.RouteKey),
        ...(integration ? { integration } : {}),
        ...(authorizer ? { authorizer } : {}),
      };
    });
    const [stage] = ofApi('AWS::ApiGatewayV2::Stage', apiId);
    return [
      {
        logicalId,
        apiId,
        name: String(p.Name ?? logicalId),
        ...(p.CorsConfiguration ? { cors: corsOf(p.CorsConfiguration as Record<string, Json>) } : {}),
        stage: stageOf(stage?.p),
        routes,
      },
    ];
  });
}

function corsOf(cors: Record<string, Json>): CorsConfiguration {
  const list = (value: Json | undefined) => ((value as string[] | undefined) ?? []).map(String);
  return {
    allowOrigins: list(cors.AllowOrigins),
    allowMethods: list(cors.AllowMethods).map((method) => method.toUpperCase()),
    allowHeaders: list(cors.AllowHeaders).map((header) => header.toLowerCase()),
    exposeHeaders: list(cors.ExposeHeaders).map((header) => header.toLowerCase()),
    ...(cors.MaxAge !== undefined ? { maxAge: Number(cors.MaxAge) } : {}),
    allowCredentials: cors.AllowCredentials === true,
  };
}

function stageOf(stage: Record<string, Json> | undefined): StageDefinition {
  const throttle = (settings: Json | undefined): ThrottleSettings | undefined => {
    const s = settings as Record<string, Json> | undefined;
    // CloudFormation documents these in PascalCase; CDK's escape hatches often write them in camelCase.
    const burst = s?.ThrottlingBurstLimit ?? s?.throttlingBurstLimit;
    const rate = s?.ThrottlingRateLimit ?? s?.throttlingRateLimit;
    if (burst === undefined && rate === undefined) return undefined;
    return {
      ...(burst !== undefined ? { burstLimit: Number(burst) } : {}),
      ...(rate !== undefined ? { rateLimit: Number(rate) } : {}),
    };
  };
  const defaultThrottle = throttle(stage?.DefaultRouteSettings);
  const routeThrottles: Record<string, ThrottleSettings> = {};
  for (const [routeKey, settings] of Object.entries((stage?.RouteSettings ?? {}) as Record<string, Json>)) {
    const routeThrottle = throttle(settings);
    if (routeThrottle) routeThrottles[routeKey] = routeThrottle;
  }
  return {
    name: String(stage?.StageName ?? '$default'),
    ...(defaultThrottle ? { defaultThrottle } : {}),
    routeThrottles,
  };
}
