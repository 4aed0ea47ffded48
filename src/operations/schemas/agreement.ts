import type { z } from 'zod';

type Fits<A, B> = [A] extends [B] ? true : false;

/**
 * `'ok'` when a schema and a TypeScript type describe the same values: every value of the type
 * fits the schema's input (so a service's result type-checks as an operation's output), and
 * every value the schema lets through is of the type (so the OpenAPI document promises nothing
 * the code does not send). Otherwise it names the direction that fails.
 */
export type Agreement<S extends z.ZodType, T> =
  Fits<T, z.input<S>> extends false
    ? 'some value of the type does not fit the schema'
    : Fits<z.output<S>, T> extends false
      ? 'the schema lets through values that are not of the type'
      : 'ok';

/**
 * Fails type-checking unless its argument is `'ok'`; used as
 * `export type XAgrees = Expect<Agreement<typeof xSchema, X>>` beside each schema (a type: no
 * runtime cost).
 */
export type Expect<Result extends 'ok'> = Result;
