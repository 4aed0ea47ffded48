import {
  MAIL_SECRET_OPTIONS,
  mailFlags,
  mailOptionsSchema,
  mailTargetSchema,
  redactMailOptions,
} from '../mail-options.ts';
import type { MailOptions, MailTargetSpec } from '../mail-options.ts';
import { runMailCheck } from '../mail-check.ts';
import type { CheckDefinition } from '../types.ts';
import { smtpDialogue } from './dialogue.ts';

/** `host[:25]`, `smtp://host[:25]` or `smtps://host[:465]` (implicit TLS, RFC 8314). */
export const SMTP_TARGET: MailTargetSpec = {
  scheme: 'smtp',
  implicitScheme: 'smtps',
  defaultPort: 25,
  implicitPort: 465,
};

/** The `smtp` check: 220 greeting, EHLO, STARTTLS (verified), optional AUTH, QUIT. */
export const smtpCheck: CheckDefinition<MailOptions> = {
  type: 'smtp',
  description:
    'SMTP greeting, STARTTLS or implicit TLS (certificate verified), optional AUTH login',
  targetSchema: mailTargetSchema(SMTP_TARGET),
  optionsSchema: mailOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: mailFlags,
  secretOptions: MAIL_SECRET_OPTIONS,
  redact: redactMailOptions,
  run: (target, options, ctx) =>
    runMailCheck(SMTP_TARGET, 'SMTP', smtpDialogue, target, options, ctx),
};
