import { z } from 'zod';

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

/** Settings of one webhook route, as stored in the monitor's `alerts[]`. */
export const webhookSettingsSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine(hasNoCredentials, {
      error: 'must not contain a user or password; put credentials in headers.Authorization',
    }),
  /** Signs each request (HMAC-SHA256) when set. */
  secret: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  headers: headersSchema.optional(),
  timeoutMs: z.int().min(100).max(60_000).optional(),
});

export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;
