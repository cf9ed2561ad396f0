import * as z from 'zod';
import { delightedErrorBodySchema } from './delighted';
import { type AnyRouteContract, errorBodySchema, isRawBody, isRawResponse, type ResponseSpec } from './route';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

const delightedErrors = (contract: AnyRouteContract): Record<number, string | undefined> => ({
  ...(contract.request.path || contract.request.query || contract.request.body
    ? { 422: 'A parameter is invalid; `errors` names it' }
    : {}),
  401: 'Missing or unknown key, or not a delighted key bound to a survey (the message says which)',
  406: 'The Accept header asks for something other than JSON',
  429: 'Too many requests (Retry-After says when to retry, when known)',
});

/** The statuses every route of a kind answers besides its own errors, with why. */
const commonErrors = (contract: AnyRouteContract): Record<number, string | undefined> =>
  contract.dialect === 'delighted'
    ? delightedErrors(contract)
    : {
        ...(contract.request.path || contract.request.query || contract.request.body
          ? { 400: 'A path parameter, query parameter or body field is invalid; the message names it' }
          : {}),
        ...(contract.auth === 'public'
          ? {}
          : { 401: 'Missing, unknown or revoked API key', 403: `The key lacks the ${contract.auth} scope` }),
        ...(contract.request.body && !isRawBody(contract.request.body)
          ? { 413: 'The body is too large', 415: 'The body is not sent as application/json' }
          : {}),
      };

/**
 * Answers are documented open (no `additionalProperties: false`): their schemas name what clients may rely on,
 * and an answer may carry more.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    reused: 'inline',
    override: ({ jsonSchema: generated }) => {
      if (io === 'output' && generated.additionalProperties === false) delete generated.additionalProperties;
    },
  });
  return rest;
}

/** The properties of an object schema (or of an intersection of objects), each with whether it is required. */
function propertiesOf(schema: JsonSchema): { name: string; schema: JsonSchema; required: boolean }[] {
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [schema];
  return parts.flatMap((part) => {
    const required = new Set((part.required as string[] | undefined) ?? []);
    return Object.entries((part.properties as Record<string, JsonSchema> | undefined) ?? {}).map(([name, value]) => ({
      name,
      schema: value,
      required: required.has(name),
    }));
  });
}

function parameters(contract: AnyRouteContract) {
  const { path, query } = contract.request;
  const pathNames = [...contract.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const pathSchemas = new Map(path ? propertiesOf(jsonSchema(path, 'input')).map((p) => [p.name, p.schema]) : []);
  return [
    ...pathNames.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: pathSchemas.get(name) ?? { type: 'string' },
    })),
    ...(query
      ? propertiesOf(jsonSchema(query, 'input')).map((property) => ({
          name: property.name,
          in: 'query',
          required: property.required,
          schema: property.schema,
        }))
      : []),
  ];
}

function requestBody(contract: AnyRouteContract) {
  const { body } = contract.request;
  if (!body) return undefined;
  if (isRawBody(body)) return { required: true, content: { [body.raw]: { schema: {} } } };
  return { required: true, content: { 'application/json': { schema: jsonSchema(body, 'input') } } };
}

function response(spec: ResponseSpec) {
  if (!isRawResponse(spec)) {
    return {
      description: spec.description ?? 'Success',
      content: { 'application/json': { schema: jsonSchema(spec, 'output') } },
    };
  }
  return spec.mediaType === null
    ? { description: spec.description }
    : { description: spec.description, content: { [spec.mediaType]: { schema: { type: 'string' } } } };
}

const errorResponse = (description: string, schemaName: 'Error' | 'DelightedError') => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
});

const security = (contract: AnyRouteContract) =>
  contract.auth === 'public' ? [] : contract.auth === 'delighted' ? [{ delighted: [] }] : [{ apiKey: [contract.auth] }];

/** `GET /v1/surveys/{surveyId}` → `getV1SurveysSurveyId`. */
const operationId = (contract: AnyRouteContract) =>
  [contract.method.toLowerCase(), ...contract.path.split(/[^A-Za-z0-9]+/).filter(Boolean)]
    .map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');

function operation(contract: AnyRouteContract) {
  const params = parameters(contract);
  const body = requestBody(contract);
  const errors = { ...commonErrors(contract), ...contract.errors };
  return {
    operationId: operationId(contract),
    ...(contract.dialect === 'delighted' ? { tags: ['Delighted'] } : {}),
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    security: security(contract),
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: {
      ...Object.fromEntries(Object.entries(contract.responses).map(([status, spec]) => [status, response(spec)])),
      ...Object.fromEntries(
        Object.entries(errors).map(([status, description]) => [
          status,
          errorResponse(description ?? '', contract.dialect === 'delighted' ? 'DelightedError' : 'Error'),
        ]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document of a set of routes: paths in route order, one operation per contract. */
export function openApiDocument(info: OpenApiInfo, contracts: readonly AnyRouteContract[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const contract of contracts) {
    const operations = paths[contract.path] ?? {};
    operations[contract.method.toLowerCase()] = operation(contract);
    paths[contract.path] = operations;
  }
  const delighted = contracts.some((contract) => contract.dialect === 'delighted');
  return {
    openapi: '3.1.1',
    info,
    ...(delighted
      ? {
          tags: [
            {
              name: 'Delighted',
              description:
                "Delighted's API under /delighted/v1, as its official clients call it (each path also with .json)",
            },
          ],
        }
      : {}),
    paths,
    components: {
      schemas: {
        Error: jsonSchema(errorBodySchema, 'output'),
        ...(delighted ? { DelightedError: jsonSchema(delightedErrorBodySchema, 'output') } : {}),
      },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (or the admin key) as `Authorization: Bearer <key>`; the scope a route needs is named',
        },
        ...(delighted
          ? {
              delighted: {
                type: 'http',
                scheme: 'basic',
                description:
                  'A `delighted` API key bound to a survey as the user name of HTTP Basic auth (the password is ignored)',
              },
            }
          : {}),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
