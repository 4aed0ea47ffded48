import { z } from 'zod';
import { compileTemplateSource, TEMPLATE_LIMITS } from '../../kit/template.ts';

/** Header names the channel sets itself; a user header must not override them. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'transfer-encoding',
  'connection',
  'user-agent',
]);
const RESERVED_PREFIX = 'x-crosscheck-';
/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** No CR, LF or NUL: they would let a value smuggle extra headers. */
const HEADER_VALUE = /^[^\r\n\0]*$/;

// zod runs refinements even after the URL check failed, so an unparsable URL passes here
// and is reported once, by that check.
function hasNoCredentials(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed === null || (parsed.username === '' && parsed.password === '');
}

function isOwnHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return !RESERVED_HEADERS.has(lower) && !lower.startsWith(RESERVED_PREFIX);
}

/** Both rules as one message per header name, so a bad name reports a readable reason. */
function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return 'is not a valid HTTP header name';
  if (!isOwnHeader(name)) return 'is set by Crosscheck and cannot be overridden';
  return undefined;
}

const headersSchema = z
  .record(z.string(), z.string().regex(HEADER_VALUE, { error: 'must not contain line breaks' }))
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      const problem = headerNameProblem(name);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  });

/** A media type with optional parameters (`application/json; charset=utf-8`); no line breaks. */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\r\n]*"|[\w.+-]+))*$/;

/** Settings of one webhook route, as stored in the monitor's `alerts[]`. */
export const webhookSettingsSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .refine(hasNoCredentials, {
        error: 'must not contain a user or password; put credentials in headers.Authorization',
      })
      .describe('Where to POST. No `user:password@`; put credentials in `headers`.'),
    secret: z
      .string()
      .min(16, { error: 'must be at least 16 characters' })
      .optional()
      .describe('Signs every request (HMAC-SHA256, see below). Strongly recommended.'),
    headers: headersSchema
      .optional()
      .describe('Extra headers, e.g. `Authorization`. Cannot override the ones Crosscheck sets.'),
    timeoutMs: z
      .int()
      .min(100)
      .max(60_000)
      .optional()
      .describe("Time limit for one request (default: the dispatcher's, 10 s)."),
    bodyTemplate: z
      .string()
      .optional()
      .describe(
        'A Liquid template for the request body, sent instead of the event JSON (see templates.md). The signature covers the rendered body.',
      ),
    contentType: z
      .string()
      .regex(MEDIA_TYPE, { error: 'must be a media type such as application/json' })
      .optional()
      .describe('Content-Type of a templated body (default `application/json`).'),
  })
  .superRefine((settings, ctx) => {
    if (settings.bodyTemplate !== undefined) {
      const compiled = compileTemplateSource(settings.bodyTemplate, TEMPLATE_LIMITS.bodyChars);
      if (compiled.problem !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['bodyTemplate'], message: compiled.problem });
      }
    } else if (settings.contentType !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['contentType'],
        message: 'only applies with bodyTemplate (the event JSON is always application/json)',
      });
    }
  });

export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;
