import { z } from 'zod';
import { VERSION } from '../config/version.ts';
import { ERROR_CODES } from '../lib/errors.ts';
import type { AnyOperation } from '../operations/kit.ts';
import { answersWithBody, pathFields } from '../operations/kit.ts';
import { HTTP_STATUS } from './errors.ts';

/** A JSON Schema object as the OpenAPI document embeds it. */
type JsonSchema = Record<string, unknown>;

/** The error body every failure has, one component shared by every response. */
const ERROR_BODY: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'issues'],
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES], description: 'stable error code' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          description: 'one entry per bad field: where it is (`query.limit`, `body.name`) and why',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). `io` picks the side of
 * transforms: what a client sends for inputs, what the server returns for outputs.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

function inputProperties(op: AnyOperation): { schema: JsonSchema; required: Set<string> } {
  const schema = jsonSchema(op.input as z.ZodType, 'input');
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return { schema, required };
}

/** Path and query parameters: path template fields, and every field of a GET or DELETE. */
function parameters(op: AnyOperation): JsonSchema[] {
  const { schema, required } = inputProperties(op);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const inPath = new Set(pathFields(op.http.path));
  const readsQuery = op.http.method === 'GET' || op.http.method === 'DELETE';
  return Object.entries(properties)
    .filter(([name]) => inPath.has(name) || readsQuery)
    .map(([name, property]) => {
      const { description, ...propertySchema } = property;
      return {
        name,
        in: inPath.has(name) ? 'path' : 'query',
        required: inPath.has(name) || required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: propertySchema,
      };
    });
}

/** The JSON body of a POST, PUT or PATCH: one field's schema, or every non-path field. */
function requestBody(op: AnyOperation): JsonSchema | undefined {
  if (op.http.method === 'GET' || op.http.method === 'DELETE') return undefined;
  const { schema, required } = inputProperties(op);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const field = op.http.bodyField;
  if (field !== undefined) {
    const bodySchema = properties[field] ?? {};
    return { required: true, content: { 'application/json': { schema: bodySchema } } };
  }
  const inPath = new Set(pathFields(op.http.path));
  const bodyProperties = Object.fromEntries(
    Object.entries(properties).filter(([name]) => !inPath.has(name)),
  );
  const bodyRequired = [...required].filter((name) => !inPath.has(name));
  const bodySchema: JsonSchema = {
    ...schema,
    properties: bodyProperties,
    ...(bodyRequired.length > 0 ? { required: bodyRequired } : { required: undefined }),
  };
  if (bodySchema.required === undefined) delete bodySchema.required;
  return {
    required: bodyRequired.length > 0,
    content: { 'application/json': { schema: bodySchema } },
  };
}

/** The error answers an operation can give, each with the shared error body. */
function errorResponses(op: AnyOperation): Record<string, JsonSchema> {
  const statuses = new Set<number>([400, 401, 403, 500]);
  if (pathFields(op.http.path).length > 0) statuses.add(404);
  if (op.access === 'write') statuses.add(409);
  if (!op.offline) statuses.add(HTTP_STATUS.UNAVAILABLE);
  const codesFor = (status: number) =>
    ERROR_CODES.filter((code) => HTTP_STATUS[code] === status).join(', ');
  return Object.fromEntries(
    [...statuses]
      .sort((a, b) => a - b)
      .map((status) => [
        String(status),
        {
          description: codesFor(status) || 'error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      ]),
  );
}

function operationObject(op: AnyOperation): JsonSchema {
  const status = op.http.status ?? 200;
  const body = status === 204 ? answersWithBody(op) : op.output;
  const success = {
    ...(status === 204 ? { '204': { description: 'done; no body' } } : {}),
    ...(body === undefined
      ? {}
      : {
          [status === 204 ? '200' : String(status)]: {
            description: status === 204 ? 'done, with warnings to show' : op.summary,
            content: { 'application/json': { schema: jsonSchema(body, 'output') } },
          },
        }),
  };
  const request = requestBody(op);
  const params = parameters(op);
  return {
    operationId: op.name,
    summary: op.summary,
    ...(op.description !== undefined ? { description: op.description } : {}),
    tags: [op.name.split('.')[0]],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(request !== undefined ? { requestBody: request } : {}),
    responses: { ...success, ...errorResponses(op) },
    // Who may call it, so clients and docs can say so without reading the code.
    'x-crosscheck-role': op.role,
    'x-crosscheck-access': op.access,
    ...(op.destructive ? { 'x-crosscheck-destructive': true } : {}),
  };
}

/** Extra path items served outside the registry (the event stream), merged in as given. */
export type ExtraPaths = Record<string, Record<string, JsonSchema>>;

/** The OpenAPI 3.1 document of the API, derived from the operations and nothing else. */
export function openApiDocument(
  operations: readonly AnyOperation[],
  extraPaths: ExtraPaths = {},
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const item = (paths[op.http.path] ??= {});
    item[op.http.method.toLowerCase()] = operationObject(op);
  }
  for (const [path, item] of Object.entries(extraPaths)) paths[path] = { ...paths[path], ...item };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crosscheck API',
      version: VERSION,
      description:
        'Every operation of Crosscheck, the same ones the CLI and the MCP tools run. Every request needs a credential: an API token (`Authorization: Bearer`) or a session cookie with its CSRF header.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }, { session: [] }],
    paths,
    components: {
      schemas: { Error: ERROR_BODY },
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API token, or the api-token file of the data dir',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'crosscheck_session' },
      },
    },
  };
}
