/** An HTTP request or response as the API gateway layer sees it, independent of node:http. */
export interface HttpRequest {
  method: string;
  /** Path without the query string, as received (not decoded). */
  path: string;
  rawQueryString: string;
  /** Header pairs in arrival order, names as sent. */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp: string;
  protocol: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

export function headerValue(headers: Array<[string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
  return values.length > 0 ? values.join(',') : undefined;
}

/** API Gateway's own error answers: `{"message":"Not Found"}` and friends. */
export function gatewayError(statusCode: number, message: string): HttpResponse {
  return {
    statusCode,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ message })),
  };
}
