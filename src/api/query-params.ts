import { z } from 'zod';
import { validationError } from '../lib/errors.ts';

const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
const limitParam = z.coerce.number().int().min(1).max(10_000);

export const monitorListQuery = z
  .object({ group: z.string().min(1).optional(), tag: z.string().min(1).optional() })
  .strict();
export const incidentListQuery = z
  .object({
    active: booleanParam.optional(),
    monitor: z.string().min(1).optional(),
    limit: limitParam.optional(),
  })
  .strict();
export const resultListQuery = z
  .object({
    monitor: z.string().min(1).optional(),
    since: z.string().min(1).optional(),
    limit: limitParam.optional(),
  })
  .strict();

/** Parses a query string object with a schema, naming the parameter in errors. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((issue) => ({
        path: `query.${issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '')}`,
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}
