import type { EventBridge } from '../events/event-bridge';
import type { HttpRequest, HttpResponse } from '../http/http-message';
import { headerValue } from '../http/http-message';
import type { SecretsManager } from '../secrets/secrets-manager';
import type { SqsApi } from '../sqs/sqs-api';
import { AwsError, errorResponse, type JsonResponse, jsonResponse } from './aws-error';
import { awsServicePaths } from './service-paths';

export interface AwsServices {
  sqs: SqsApi;
  eventBridge: EventBridge;
  secrets: SecretsManager;
}

interface JsonService {
  path: string;
  targetPrefix: string;
  contentType: string;
  errorNamespace?: string;
  call: (operation: string, input: Record<string, unknown>) => unknown;
}

/**
 * The local AWS APIs the functions' SDK clients reach through `AWS_ENDPOINT_URL_<SERVICE>`: each service's JSON
 * protocol under its own path, dispatched on `X-Amz-Target`.
 */
export class AwsEndpoint {
  private readonly services: JsonService[];

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
    ];
  }

  handles(path: string): boolean {
    return path.startsWith('/__aws/');
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const path = request.path.replace(/\/+$/, '');
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
      let input: Record<string, unknown>;
      try {
        input = request.body.length === 0 ? {} : (JSON.parse(request.body.toString('utf8')) as Record<string, unknown>);
      } catch {
        throw new AwsError('SerializationException', 'The request body is not valid JSON');
      }
      const output = await service.call(target.slice(service.targetPrefix.length), input);
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
}

function toHttp(response: JsonResponse): HttpResponse {
  return {
    statusCode: response.statusCode,
    headers: Object.entries(response.headers),
    body: Buffer.from(response.body),
  };
}
