import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { z } from 'zod';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { parseFingerprint } from './fingerprint.ts';

/** Longest banner text to look for: an identification line is at most 255 characters. */
const MAX_EXPECT_LENGTH = 255;
/** Longest private key text accepted (an RSA 16384-bit key in PEM is ~12 KB). */
const MAX_PRIVATE_KEY_LENGTH = 16 * 1024;

/** Pinned fingerprints: one, several (a server's key types), or the CLI's comma-separated text. */
const hostKeySchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must name at least one SHA256:… fingerprint' });
    return z.NEVER;
  }
  const fingerprints: string[] = [];
  for (const item of items) {
    const parsed = parseFingerprint(item);
    if (typeof parsed === 'string') fingerprints.push(parsed);
    else ctx.addIssue({ code: 'custom', message: parsed.error });
  }
  return [...new Set(fingerprints)];
});

/** One substring; the CLI's `--expect` is a list flag, so a one-element list is accepted. */
const expectSchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  if (Array.isArray(value) && value.length !== 1) {
    ctx.addIssue({ code: 'custom', message: 'ssh accepts exactly one expected banner text' });
    return z.NEVER;
  }
  const text = Array.isArray(value) ? (value[0] ?? '') : value;
  if (text === '' || text.length > MAX_EXPECT_LENGTH) {
    ctx.addIssue({ code: 'custom', message: `must be 1 to ${MAX_EXPECT_LENGTH} characters` });
    return z.NEVER;
  }
  return text;
});

const privateKeySchema = z
  .string()
  .max(MAX_PRIVATE_KEY_LENGTH)
  .superRefine((text, ctx) => {
    const parsed = firstKey(ssh2.utils.parseKey(text));
    // Never echo the key: the message names the problem only.
    if (parsed instanceof Error)
      ctx.addIssue({
        code: 'custom',
        message: `not a private key ssh2 can read (${parsed.message})`,
      });
    else if (!parsed.isPrivateKey())
      ctx.addIssue({ code: 'custom', message: 'is a public key; the private key is needed' });
  });

/**
 * The key ssh2 parsed. Its types say one key or an Error; at run time an OpenSSH file can give
 * a list (of one key, as ssh2's own client reads it), so both shapes are handled.
 */
export function firstKey(parsed: ParsedKey | Error | readonly ParsedKey[]): ParsedKey | Error {
  if (!Array.isArray(parsed)) return parsed as ParsedKey | Error;
  const list = parsed as readonly ParsedKey[];
  return list[0] ?? new Error('no key found');
}

/** Options of the `ssh` check type (stored JSON shape). */
export const sshOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      /** Accepted host-key fingerprints; the key the server presents must be one of them. */
      hostKey: hostKeySchema.optional(),
      /** Text the identification line (`SSH-2.0-OpenSSH_9.6 …`) must contain. */
      expect: expectSchema.optional(),
      /** Log in as this user (with `password` and/or `privateKey`) to check that login works. */
      username: z.string().min(1).max(255).optional(),
      password: z.string().min(1).max(1024).optional(),
      /** An unencrypted private key (OpenSSH or PEM text). */
      privateKey: privateKeySchema.optional(),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      const credential = options.password !== undefined || options.privateKey !== undefined;
      if (options.username !== undefined && !credential)
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: 'needs a password or a privateKey to log in with',
        });
      if (options.username === undefined && credential)
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: 'is required when a password or privateKey is given',
        });
    }),
);

export type SshOptions = z.output<typeof sshOptionsSchema>;

/** What `redactSshOptions` masks (`CheckDefinition.secretOptions`). */
export const SSH_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  password: 'shown as ***',
  privateKey: 'shown as ***',
};

/** The options for display: the password and private key become `***`. */
export function redactSshOptions(options: SshOptions): SshOptions {
  return {
    ...options,
    ...(options.password === undefined ? {} : { password: '***' }),
    ...(options.privateKey === undefined ? {} : { privateKey: '***' }),
  };
}

export const sshFlags: readonly CheckFlag[] = [
  {
    flags: '--host-key <fingerprint>',
    key: 'hostKey',
    description:
      'ssh: accepted host-key fingerprint SHA256:… (as ssh-keygen -lf prints), repeatable',
    kind: 'list',
  },
  expectFlag,
  usernameFlag,
  passwordFlag,
  {
    flags: '--private-key <pem>',
    key: 'privateKey',
    description: 'ssh: unencrypted private key text to log in with; masked when shown',
    kind: 'string',
  },
  degradedAfterFlag,
];
