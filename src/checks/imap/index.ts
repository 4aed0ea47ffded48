import { runMailCheck } from '../mail-check.ts';
import {
  MAIL_SECRET_OPTIONS,
  mailFlags,
  mailOptionsSchema,
  mailTargetSchema,
} from '../mail-options.ts';
import type { MailOptions, MailTargetSpec } from '../mail-options.ts';
import type { CheckDefinition } from '../types.ts';
import { redactMailOptions } from '../mail-options.ts';
import { imapDialogue } from './dialogue.ts';

/** `host[:143]`, `imap://host[:143]` or `imaps://host[:993]` (implicit TLS). */
export const IMAP_TARGET: MailTargetSpec = {
  scheme: 'imap',
  implicitScheme: 'imaps',
  defaultPort: 143,
  implicitPort: 993,
};

/** The `imap` check: `* OK` greeting, CAPABILITY, STARTTLS (verified), optional LOGIN, LOGOUT. */
export const imapCheck: CheckDefinition<MailOptions> = {
  type: 'imap',
  description: 'IMAP greeting, STARTTLS or implicit TLS (certificate verified), optional LOGIN',
  targetSchema: mailTargetSchema(IMAP_TARGET),
  optionsSchema: mailOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: mailFlags,
  secretOptions: MAIL_SECRET_OPTIONS,
  redact: redactMailOptions,
  run: (target, options, ctx) =>
    runMailCheck(IMAP_TARGET, 'IMAP', imapDialogue, target, options, ctx),
};
