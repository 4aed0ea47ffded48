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
import { pop3Dialogue } from './dialogue.ts';

/** `host[:110]`, `pop3://host[:110]` or `pop3s://host[:995]` (implicit TLS). */
export const POP3_TARGET: MailTargetSpec = {
  scheme: 'pop3',
  implicitScheme: 'pop3s',
  defaultPort: 110,
  implicitPort: 995,
};

/** The `pop3` check: `+OK` greeting, CAPA, STLS (verified), optional USER/PASS, QUIT. */
export const pop3Check: CheckDefinition<MailOptions> = {
  type: 'pop3',
  description:
    'POP3 greeting, STLS or implicit TLS (certificate verified), optional USER/PASS login',
  targetSchema: mailTargetSchema(POP3_TARGET),
  optionsSchema: mailOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: mailFlags,
  secretOptions: MAIL_SECRET_OPTIONS,
  redact: redactMailOptions,
  run: (target, options, ctx) =>
    runMailCheck(POP3_TARGET, 'POP3', pop3Dialogue, target, options, ctx),
};
