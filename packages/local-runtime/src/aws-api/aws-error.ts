/** An error of a local AWS API, reported the way the JSON protocols report errors so SDK clients parse it. */
export class AwsError extends Error {
  override name = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    /** The awsQueryCompatible code (SQS), sent in `x-amzn-query-error`. */
    readonly queryErrorCode?: string,
  ) {
    super(message);
  }
}

export interface JsonResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(body: unknown, contentType: string): JsonResponse {
  return { statusCode: 200, headers: { 'content-type': contentType }, body: JSON.stringify(body ?? {}) };
}

export function errorResponse(error: AwsError, contentType: string, namespace?: string): JsonResponse {
  const type = namespace ? `${namespace}#${error.code}` : error.code;
  return {
    statusCode: error.statusCode,
    headers: {
      'content-type': contentType,
      'x-amzn-errortype': error.code,
      ...(error.queryErrorCode ? { 'x-amzn-query-error': `${error.queryErrorCode};Sender` } : {}),
    },
    body: JSON.stringify({ __type: type, message: error.message, Message: error.message }),
  };
}
