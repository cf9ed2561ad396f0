import type { EventBridge } from '../events/event-bridge';
import type { HttpRequest, HttpResponse } from '../http/http-message';
import { headerValue } from '../http/http-message';
import type { Scheduler } from '../scheduler/scheduler';
import type { SecretsManager } from '../secrets/secrets-manager';
import type { SesV2 } from '../ses/sesv2';
import type { SmsVoiceV2 } from '../sms/sms-voice-v2';
import type { SqsApi } from '../sqs/sqs-api';
import { AwsError, errorResponse, type JsonResponse, jsonResponse } from './aws-error';
import { awsServicePaths } from './service-paths';

export interface AwsServices {
  sqs: SqsApi;
  eventBridge: EventBridge;
  secrets: SecretsManager;
  scheduler: Scheduler;
  sesv2: SesV2;
  smsVoice: SmsVoiceV2;
}

interface JsonService {
  path: string;
  targetPrefix: string;
  contentType: string;
  errorNamespace?: string;
  call: (operation: string, input: Record<string, unknown>) => unknown;
}

/** A REST-JSON service: operations are methods and paths below the service's endpoint. */
interface RestService {
  path: string;
  call: (method: string, path: string, query: URLSearchParams, input: Record<string, unknown>) => unknown;
}

/**
 * The local AWS APIs the functions' SDK clients reach through `AWS_ENDPOINT_URL_<SERVICE>`, each under its own path:
 * JSON-protocol services dispatched on `X-Amz-Target`, REST-JSON ones (Scheduler, SESv2) on method and path.
 */
export class AwsEndpoint {
  private readonly services: JsonService[];
  private readonly restServices: RestService[];

  constructor(services: AwsServices) {
    this.services = [
      {
        path: awsServicePaths.sqs,
        targetPrefix: 'AmazonSQS.',
        contentType: 'application/x-amz-json-1.0',
        errorNamespace: 'com.amazonaws.sqs',
        call: (operation, input) => services.sqs.handle(operation, input),
      },
      {
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
        path: awsServicePaths.secretsmanager,
        targetPrefix: 'secretsmanager.',
        contentType: 'application/x-amz-json-1.1',
        call: (operation, input) => services.secrets.handle(operation, input),
      },
      {
        path: awsServicePaths.smsVoice,
        targetPrefix: 'PinpointSMSVoiceV2.',
        contentType: 'application/x-amz-json-1.0',
        call: (operation, input) => services.smsVoice.handle(operation, input),
      },
    ];
    this.restServices = [
      {
        path: awsServicePaths.scheduler,
        call: (method, path, query, input) => services.scheduler.handle(method, path, query, input),
      },
      {
        path: awsServicePaths.sesv2,
        call: (method, path, _query, input) => services.sesv2.handle(method, path, input),
      },
      {
        path: awsServicePaths.smsVoice,
        call: (method, path, _query, input) => services.smsVoice.handleLocal(method, path, input),
      },
    ];
  }

  handles(path: string): boolean {
    return path.startsWith('/__aws/');
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const path = request.path.replace(/\/+$/, '');
    const rest = this.restServices.find((candidate) => path.startsWith(`${candidate.path}/`));
    if (rest) return this.handleRest(rest, request, path.slice(rest.path.length));
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
      const output = await service.call(target.slice(service.targetPrefix.length), parseBody(request));
      return toHttp(jsonResponse(output, service.contentType));
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

  private async handleRest(service: RestService, request: HttpRequest, path: string): Promise<HttpResponse> {
    const contentType = 'application/json';
    try {
      const query = new URLSearchParams(request.rawQueryString);
      const output = await service.call(request.method.toUpperCase(), path, query, parseBody(request));
      return toHttp(jsonResponse(output, contentType));
    } catch (error) {
      const failure =
        error instanceof AwsError ? error : new AwsError('InternalServerException', (error as Error).message, 500);
      return toHttp(errorResponse(failure, contentType));
    }
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
