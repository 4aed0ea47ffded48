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

const VERDICTS = ['down', 'regional', 'local', 'up', 'unknown'] as const;

export const regionsQuery = z.object({ window: z.string().min(1).optional() }).strict();
export const roundListQuery = z
  .object({
    /** Comma-separated verdicts, e.g. `local,regional,unknown`. */
    verdict: z
      .string()
      .transform((value) => value.split(',').map((v) => v.trim()))
      .pipe(z.array(z.enum(VERDICTS)).min(1))
      .optional(),
    since: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1_000).optional(),
  })
  .strict();
