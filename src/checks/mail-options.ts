import { z } from 'zod';
import { passwordFlag, usernameFlag } from './credential-flags.ts';
import { degradedAfterFlag, durationMsSchema } from './degraded-after.ts';
import { expectedPatternSchema } from './expect-pattern.ts';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort } from './net-names.ts';
import { dropUndefinedKeys, expectFlag } from './shared-options.ts';
import { caFlag, caPemSchema, insecureFlag } from './tls/ca-option.ts';
import type { CheckFlag } from './types.ts';

// Options and targets shared by the smtp, imap and pop3 checks: the same TLS modes, the same
// login, the same banner expectation. Each type names its own schemes and ports.

/**
 * `auto`: STARTTLS when the server offers it (verified), plain text otherwise, implicit TLS for
 * the implicit-TLS scheme or port; `starttls`: STARTTLS required; `implicit`: TLS from the first
 * byte; `off`: never TLS.
 */
export const MAIL_TLS_MODES = ['auto', 'starttls', 'implicit', 'off'] as const;
export type MailTlsMode = (typeof MAIL_TLS_MODES)[number];

/** Longest user name and password sent: both travel in one command line. */
const MAX_CREDENTIAL_LENGTH = 255;

/** A user name or password: no CR, LF or NUL, which would end or break the command line. */
const credentialSchema = z
  .string()
  .min(1)
  .max(MAX_CREDENTIAL_LENGTH)
  .refine((text) => !/[\r\n\0]/.test(text), 'must not contain CR, LF or NUL characters');

/** Options of the smtp, imap and pop3 check types (stored JSON shape). */
export const mailOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      tls: z
        .enum(MAIL_TLS_MODES, { error: 'must be auto, starttls, implicit or off' })
        .default('auto'),
      /** Accept a certificate that does not verify (expiry is still reported). */
      insecure: z.boolean().optional(),
      ca: caPemSchema.optional(),
      /** Text or /regex/ the greeting line must match. */
      expect: expectedPatternSchema({
        tooMany: 'accepts exactly one expected banner (text or /regex/)',
        maxLength: 512,
      }).optional(),
      username: credentialSchema.optional(),
      password: credentialSchema.optional(),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if ((options.username === undefined) !== (options.password === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [options.username === undefined ? 'username' : 'password'],
          message: 'username and password are given together (to log in) or not at all',
        });
    }),
);

export type MailOptions = z.output<typeof mailOptionsSchema>;

/** What `redactMailOptions` masks (`CheckDefinition.secretOptions`). */
export const MAIL_SECRET_OPTIONS: Readonly<Record<string, string>> = { password: 'shown as ***' };

/** The options for display: the password becomes `***`. */
export function redactMailOptions(options: MailOptions): MailOptions {
  return options.password === undefined ? options : { ...options, password: '***' };
}

export const mailTlsFlag: CheckFlag = {
  flags: '--tls <mode>',
  key: 'tls',
  description:
    'smtp, imap, pop3: auto (STARTTLS when offered; default), starttls (required), implicit or off',
  kind: 'string',
};

export const mailFlags: readonly CheckFlag[] = [
  mailTlsFlag,
  insecureFlag,
  caFlag,
  expectFlag,
  usernameFlag,
  passwordFlag,
  degradedAfterFlag,
];

/** How one mail protocol writes its targets. */
export interface MailTargetSpec {
  /** `smtp`, `imap`, `pop3`: the plain-text (or STARTTLS) scheme. */
  scheme: string;
  /** `smtps`, `imaps`, `pop3s`: TLS from the first byte. */
  implicitScheme: string;
  defaultPort: number;
  implicitPort: number;
}

/** A parsed mail target; `implicitTls` when written with the implicit-TLS scheme. */
export interface MailAddress {
  host: string;
  port: number;
  implicitTls: boolean;
}

/** Parses `host[:port]`, `scheme://host[:port]` or `implicit-scheme://host[:port]`. */
export function parseMailTarget(
  spec: MailTargetSpec,
  text: string,
): MailAddress | { error: string } {
  const trimmed = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== spec.scheme && scheme !== spec.implicitScheme)
    return { error: `scheme "${scheme}://" is not ${spec.scheme}:// or ${spec.implicitScheme}://` };
  const implicitTls = scheme === spec.implicitScheme;
  const rest = scheme === undefined ? trimmed : trimmed.slice(scheme.length + 3).replace(/\/$/, '');
  const parts = splitHostPort(rest);
  if (!parts)
    return {
      error: `must be host[:port] or ${spec.implicitScheme}://host[:port], e.g. mail.example.com:${spec.defaultPort}`,
    };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  const host = parts.host.toLowerCase();
  if (parts.port === undefined)
    return { host, port: implicitTls ? spec.implicitPort : spec.defaultPort, implicitTls };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host, port, implicitTls };
}

/** Validates a mail target; normalised to `host:port`, or `implicit-scheme://host:port`. */
export function mailTargetSchema(spec: MailTargetSpec) {
  return z.string().transform((text, ctx) => {
    const parsed = parseMailTarget(spec, text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    const hostPort = formatHostPort(parsed.host, parsed.port);
    return parsed.implicitTls ? `${spec.implicitScheme}://${hostPort}` : hostPort;
  });
}

/**
 * The TLS mode a run uses: an explicit `--tls` wins; `auto` means implicit TLS for the
 * implicit-TLS scheme or its well-known port (465, 993, 995), STARTTLS-when-offered otherwise.
 */
export function effectiveTlsMode(
  spec: MailTargetSpec,
  address: MailAddress,
  mode: MailTlsMode,
): MailTlsMode {
  if (mode !== 'auto') return mode;
  return address.implicitTls || address.port === spec.implicitPort ? 'implicit' : 'auto';
}
