import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import type { Principal, Role } from '../domain/principal.ts';
import { roleAtLeast } from '../domain/principal.ts';
import type { OperationServices } from './services.ts';

// Who may do what is domain knowledge (users, tokens and sessions carry roles); re-exported
// here because every operation definition speaks of it.
export { ROLES, roleAtLeast } from '../domain/principal.ts';
export type { Principal, Role } from '../domain/principal.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * An object schema: every operation's input is one, so REST (path, query, body), CLI flags and
 * MCP tool arguments all map onto named fields.
 */
export type InputSchema = z.ZodObject;

export interface OperationHttp {
  method: HttpMethod;
  /** OpenAPI-style template; `{name}` segments are input fields. */
  path: string;
  /**
   * Success status (200 unless said). 204 sends no body; an operation declaring 204 whose output
   * schema is optional (see `answersWithBody`) answers 200 with its output when it returns one
   * (a delete of a managed object returns its warnings).
   */
  status?: 200 | 201 | 202 | 204;
  /**
   * The input field that takes the whole request body (e.g. a monitor patch); without it, body
   * fields are input fields themselves. GET and DELETE read the query string instead.
   */
  bodyField?: string;
  /** How long a client should wait for the answer when the operation waits on purpose. */
  clientWaitMs?: number;
  /** Largest request body in bytes, for operations that take more than the server's 1 MiB. */
  bodyLimit?: number;
}

/** `monitors.create` → `monitors_create`: MCP tool names allow no dots in every client. */
export function mcpToolName(op: AnyOperation): string {
  return op.name.replaceAll('.', '_');
}

/** The names of `{field}` segments of a path template, in order. */
export function pathFields(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** The data dir's own administrator: whoever can read its 0600 files (token file, store). */
export const LOCAL_ADMIN: Principal = {
  userId: 'local-admin',
  name: 'local-admin',
  role: 'admin',
  access: 'write',
  via: 'local',
};

/** One operation, defined once; REST, OpenAPI, the CLI's backend and MCP tools derive from it. */
export interface Operation<I extends InputSchema = InputSchema, O extends z.ZodType = z.ZodType> {
  /** Dotted name, e.g. `monitors.create`; the MCP tool name is this with `_` for `.`. */
  name: string;
  summary: string;
  /** Longer help shown in OpenAPI and the MCP tool description. */
  description?: string;
  input: I;
  output: O;
  /** `read` never changes state; `write` needs a read-write credential. */
  access: 'read' | 'write';
  /** Deletes or revokes something that cannot be brought back. */
  destructive: boolean;
  /** The weakest role that may run it. */
  role: Role;
  http: OperationHttp;
  /**
   * The CLI command that serves it (command words after `crosscheck`); several operations may
   * share a command (`history` shows results, uptime and rounds).
   */
  cli: readonly string[];
  /** Offered as an MCP tool (false for operations that only make sense to people or scripts). */
  mcp: boolean;
  /** Can run on the store alone when no daemon runs (read-only views). */
  offline: boolean;
  run(ctx: OperationContext, input: z.output<I>): Promise<z.input<O>>;
}

/** What an operation runs with: the caller and the services of this process. */
export interface OperationContext {
  principal: Principal;
  services: OperationServices;
}

/** Declares an operation with its types inferred; the object is returned as given. */
export function defineOperation<I extends InputSchema, O extends z.ZodType>(
  operation: Operation<I, O>,
): Operation<I, O> {
  return operation;
}

/** Any operation, for lists and transports that do not care about the exact types. */
// The `run` parameter makes Operation invariant in I; lists hold operations of any input.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, z.ZodType>;

/** Throws FORBIDDEN unless the principal may run the operation; the one authorization rule. */
export function authorize(operation: AnyOperation, principal: Principal): void {
  if (!roleAtLeast(principal.role, operation.role)) {
    throw new AppError(
      'FORBIDDEN',
      `${operation.name} needs the ${operation.role} role; ${principal.name} is ${principal.role}`,
    );
  }
  if (operation.access === 'write' && principal.access !== 'write') {
    throw new AppError('FORBIDDEN', `${operation.name} changes state; this token is read-only`);
  }
}

/** The services a context must have for an operation, or UNAVAILABLE naming why. */
export function need<T>(service: T | undefined, why: string): T {
  if (service === undefined) throw new AppError('UNAVAILABLE', why);
  return service;
}

// Query strings carry text: these accept both the typed value (CLI, MCP, JSON bodies) and its
// text form (query strings), so one input schema serves every transport.

/** A whole number given as a number or as digits. */
export function intParam(min: number, max: number) {
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+$/, 'expected a whole number')
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
}

/** A boolean given as true/false or as text (`true`, `false`, `1`, `0`). */
export const boolParam = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

/** A list given as an array or as comma-separated text. */
export function listParam<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.array(z.string()), z.string().transform((v) => v.split(',').map((s) => s.trim()))])
    .pipe(z.array(item).min(1));
}

/** An opaque position in a list: `nextCursor` of the previous page. */
export const cursorParam = z.string().min(1).max(512);

/** A page of a list: the items and the cursor of the next page (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * The body a 204 operation may still send: its output schema without the optional wrapper, or
 * undefined when it never sends one (`z.void()`). REST answers 200 with it when the operation
 * returned a value; OpenAPI documents both answers.
 */
export function answersWithBody(op: AnyOperation): z.ZodType | undefined {
  return op.output instanceof z.ZodOptional ? (op.output.unwrap() as z.ZodType) : undefined;
}
