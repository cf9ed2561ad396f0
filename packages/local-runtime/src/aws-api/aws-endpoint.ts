import type { EventBridge } from '../events/event-bridge';
import type { HttpRequest, HttpResponse } from '../http/http-message';
import { headerValue } from '../http/http-message';
import type { AwsApiCall } from '../metering/aws-api-usage';
import type { Scheduler } from '../scheduler/scheduler';
import type { SecretsManager } from '../secrets/secrets-manager';
import type { SesV2 } from '../ses/sesv2';
import type { SmsVoiceV2 } from '../sms/sms-voice-v2';
import type { SqsApi } from '../sqs/sqs-api';
import { AwsError, errorResponse, type JsonResponse, jsonResponse } from './aws-error';
import { awsServicePaths, withoutCaller } from './service-paths';

export interface AwsServices {
  sqs: SqsApi;
  eventBridge: EventBridge;
  secrets: SecretsManager;
  scheduler: Scheduler;
  sesv2: SesV2;
  smsVoice: SmsVoiceV2;
}

type ServiceName = keyof typeof awsServicePaths;

/** Hears every successful call, with the function that made it (from the path it called). */
export type AwsApiMeter = (caller: string | undefined, call: AwsApiCall) => void;

interface JsonService {
  name: ServiceName;
  path: string;
  targetPrefix: string;
  contentType: string;
  errorNamespace?: string;
  call: (operation: string, input: Record<string, unknown>) => unknown;
}

/** A REST-JSON service: operations are methods and paths below the service's endpoint. */
interface RestService {
  name: ServiceName;
  path: string;
  call: (method: string, path: string, query: URLSearchParams, input: Record<string, unknown>) => unknown;
}

/**
 * The local AWS APIs the functions' SDK clients reach through `AWS_ENDPOINT_URL_<SERVICE>`, each under its own path:
 * JSON-protocol services dispatched on `X-Amz-Target`, REST-JSON ones (Scheduler, SESv2) on method and path. A
 * function calls them below `/__aws/fn/<function>/`, which names the caller to the meter.
 */
export class AwsEndpoint {
  private readonly services: JsonService[];
  private readonly restServices: RestService[];

  constructor(
    services: AwsServices,
    private readonly meter: AwsApiMeter = () => {},
  ) {
    this.services = [
      {
        name: 'sqs',
        path: awsServicePaths.sqs,
        targetPrefix: 'AmazonSQS.',
        contentType: 'application/x-amz-json-1.0',
        errorNamespace: 'com.amazonaws.sqs',
        call: (operation, input) => services.sqs.handle(operation, input),
      },
      {
        name: 'events',
        path: awsServicePaths.events,
        targetPrefix: 'AWSEvents.',
        contentType: 'application/x-amz-json-1.1',
        call: (operation, input) => {
          if (operation !== 'PutEvents') {
            throw new AwsError(
              'UnknownOperationException',
              `The local runtime does not implement EventBridge ${operation}`,
            );
          }
          return services.eventBridge.putEvents(input.Entries);
        },
      },
      {
        name: 'secretsmanager',
        path: awsServicePaths.secretsmanager,
        targetPrefix: 'secretsmanager.',
        contentType: 'application/x-amz-json-1.1',
        call: (operation, input) => services.secrets.handle(operation, input),
      },
      {
        name: 'smsVoice',
        path: awsServicePaths.smsVoice,
        targetPrefix: 'PinpointSMSVoiceV2.',
        contentType: 'application/x-amz-json-1.0',
        call: (operation, input) => services.smsVoice.handle(operation, input),
      },
    ];
    this.restServices = [
      {
        name: 'scheduler',
        path: awsServicePaths.scheduler,
        call: (method, path, query, input) => services.scheduler.handle(method, path, query, input),
      },
      {
        name: 'sesv2',
        path: awsServicePaths.sesv2,
        call: (method, path, _query, input) => services.sesv2.handle(method, path, input),
      },
      {
        name: 'smsVoice',
        path: awsServicePaths.smsVoice,
        call: (method, path, _query, input) => services.smsVoice.handleLocal(method, path, input),
      },
    ];
  }

  handles(path: string): boolean {
    return path.startsWith('/__aws/');
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const { path, caller } = withoutCaller(request.path.replace(/\/+$/, ''));
    const rest = this.restServices.find((candidate) => path.startsWith(`${candidate.path}/`));
    if (rest) return this.handleRest(rest, request, path.slice(rest.path.length), caller);
    const service = this.services.find((candidate) => path === candidate.path);
    if (!service)
      return toHttp({
        statusCode: 404,
        headers: {},
        body: JSON.stringify({ message: `No local AWS service at ${path}` }),
      });
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    try {
      if (!target.startsWith(service.targetPrefix)) {
        throw new AwsError('UnknownOperationException', `Unexpected X-Amz-Target "${target}"`);
      }
      const operation = target.slice(service.targetPrefix.length);
      const input = parseBody(request);
      const response = toHttp(jsonResponse(await service.call(operation, input), service.contentType));
      this.metered(caller, { service: service.name, operation, input, requestBytes: request.body.length }, response);
      return response;
    } catch (error) {
      if (error instanceof AwsError) return toHttp(errorResponse(error, service.contentType, service.errorNamespace));
      return toHttp(
        errorResponse(
          new AwsError('InternalFailure', (error as Error).message, 500),
          service.contentType,
          service.errorNamespace,
        ),
      );
    }
  }

  private async handleRest(
    service: RestService,
    request: HttpRequest,
    path: string,
    caller: string | undefined,
  ): Promise<HttpResponse> {
    const contentType = 'application/json';
    try {
      const query = new URLSearchParams(request.rawQueryString);
      const method = request.method.toUpperCase();
      const input = parseBody(request);
      const response = toHttp(jsonResponse(await service.call(method, path, query, input), contentType));
      const operation = `${method} ${path}`;
      this.metered(caller, { service: service.name, operation, input, requestBytes: request.body.length }, response);
      return response;
    } catch (error) {
      const failure =
        error instanceof AwsError ? error : new AwsError('InternalServerException', (error as Error).message, 500);
      return toHttp(errorResponse(failure, contentType));
    }
  }

  private metered(caller: string | undefined, call: Omit<AwsApiCall, 'responseBytes'>, response: HttpResponse): void {
    this.meter(caller, { ...call, responseBytes: response.body.length });
  }
}

function parseBody(request: HttpRequest): Record<string, unknown> {
  try {
    return request.body.length === 0 ? {} : (JSON.parse(request.body.toString('utf8')) as Record<string, unknown>);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON');
  }
}

function toHttp(response: JsonResponse): HttpResponse {
  return {
    statusCode: response.statusCode,
    headers: Object.entries(response.headers),
    body: Buffer.from(response.body),
  };
}
