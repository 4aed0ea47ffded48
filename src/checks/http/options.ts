import { z } from 'zod';
import { durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys, intFromText } from '../shared-options.ts';
import { caPemSchema } from '../tls/ca-option.ts';
import { parseHeaders } from './headers.ts';
import { DEFAULT_EXPECTED_STATUS, formatStatusRange, parseStatusRanges } from './status-ranges.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Redirects followed when the monitor does not say, and the most it may ask for. */
export const DEFAULT_MAX_REDIRECTS = 10;
export const MAX_REDIRECTS_LIMIT = 20;

const methodSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
  z.enum(HTTP_METHODS),
);

/** Request headers as `Name: value` text, a list of those, or an object (also used by websocket). */
export const headersSchema = z
  .union([z.string(), z.array(z.string()), z.record(z.string(), z.string())])
  .transform((value, ctx) => {
    const parsed = parseHeaders(typeof value === 'string' ? [value] : value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

/** Accepts `200`, `"200-299,301"` or a list of both; stores canonical text such as `["200-299","301"]`. */
const expectedStatusSchema = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .transform((value, ctx) => {
    const ranges = parseStatusRanges(Array.isArray(value) ? value : [value]);
    if (typeof ranges === 'string') {
      ctx.addIssue({ code: 'custom', message: ranges });
      return z.NEVER;
    }
    return ranges.map(formatStatusRange);
  });

/** The options every HTTP-family check shares; http_keyword and http_json extend this shape. */
export const httpOptionFields = {
  method: methodSchema.default('GET'),
  headers: headersSchema.default(() => ({})),
  body: z.string().optional(),
  expectedStatus: expectedStatusSchema.default(() => [...DEFAULT_EXPECTED_STATUS]),
  followRedirects: z.boolean().default(true),
  maxRedirects: z
    .preprocess(intFromText, z.int().min(0).max(MAX_REDIRECTS_LIMIT))
    .default(DEFAULT_MAX_REDIRECTS),
  insecure: z.boolean().default(false),
  ca: caPemSchema.optional(),
  degradedThresholdMs: durationMsSchema.optional(),
};

/** Options of the `http` and `https` check types. */
export const httpOptionsSchema = z.preprocess(dropUndefinedKeys, z.strictObject(httpOptionFields));

export type HttpOptions = z.output<typeof httpOptionsSchema>;
