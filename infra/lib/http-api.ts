import type { AnyRouteContract } from '@cxloop/http-contracts';
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, type HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** A route key as API Gateway writes it: `METHOD /path/{param}`. */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'} /${string}`;

export interface CxHttpApiProps {
  /** Validates `Authorization: Bearer <key>` for admin routes. */
  readonly authorizerHandler: IFunction;
  /** Steady-state requests per second per stage, and the burst above it (abuse protection for public routes). */
  readonly throttle?: { rateLimit: number; burstLimit: number };
}

/** The one HTTP API (API Gateway v2) in front of every service: public routes and admin routes behind the authorizer. */
export class CxHttpApi extends Construct {
  readonly api: HttpApi;
  private readonly authorizer: HttpLambdaAuthorizer;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();
  private readonly stage: CfnStage;

  constructor(scope: Construct, id: string, props: CxHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { description: 'cxloop public and admin API', createDefaultStage: true });
    this.authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', props.authorizerHandler, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.minutes(1),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    this.stage = stage;
    const throttle = props.throttle ?? { rateLimit: 200, burstLimit: 400 };
    stage.defaultRouteSettings = {
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
    };
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // No request bodies, headers or query strings: they may carry personal data or keys.
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };

    new CfnOutput(Stack.of(this), 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the cxloop API' });
  }

  /**
   * The routes of a group of contracts, served by `handler`: scoped routes behind the API-key authorizer, public ones
   * open (their handler proves the caller), each with its contract's throttle.
   */
  addRoutes(contracts: readonly AnyRouteContract[], handler: IFunction): void {
    for (const contract of contracts) {
      const route = this.addRoute(contract.key as RouteKey, handler, contract.auth !== 'public');
      if (contract.auth === 'public') {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Public by design: answered by widgets and providers, checked in the handler (signature, rate limits)',
        });
      }
      if (contract.throttle) {
        this.stage.addPropertyOverride(`RouteSettings.${contract.key}`, {
          ThrottlingRateLimit: contract.throttle.rateLimit,
          ThrottlingBurstLimit: contract.throttle.burstLimit,
        });
      }
    }
  }

  private addRoute(routeKey: RouteKey, handler: IFunction, authorized: boolean): HttpRoute {
    const [method, path] = routeKey.split(' ') as [HttpMethod, string];
    let integration = this.integrations.get(handler);
    if (!integration) {
      // One invoke permission per function, scoped to this API, instead of one per route: each route would add a
      // resource (the stack is near CloudFormation's 500), and what a route reaches is decided by its integration.
      integration = new HttpLambdaIntegration(`${handler.node.id}Integration`, handler, {
        scopePermissionToRoute: false,
      });
      this.integrations.set(handler, integration);
    }
    return new HttpRoute(this, routeKey.replace(/[^A-Za-z0-9]/g, ''), {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(path, method),
      integration,
      ...(authorized ? { authorizer: this.authorizer } : {}),
    });
  }
}
