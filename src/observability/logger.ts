import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';
import { createRequire } from 'node:module';
import type { build as buildPretty } from 'pino-pretty';

const require = createRequire(import.meta.url);

/**
 * pino-pretty is loaded only when pretty output is asked for: a daemon logging JSON (the
 * default off a terminal) never needs it, and loading it costs ~140 ms cold and 1–2 MB RSS.
 */
function prettyStream(options: Parameters<typeof buildPretty>[0]): ReturnType<typeof buildPretty> {
  const { build } = require('pino-pretty') as { build: typeof buildPretty };
  return build(options);
}

export type { Logger };

/** Paths pino must never print: secrets in alert settings, tokens, auth headers. */
const REDACT = [
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  // A push monitor's ping token, in its options.
  '*.*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'settings',
  '*.settings',
  // The ssh, redis, smtp, imap and pop3 checks' credentials, should a check's options ever reach a log line.
  'password',
  '*.password',
  '*.*.password',
  'privateKey',
  '*.privateKey',
  '*.*.privateKey',
  // A browser check's steps may hold a secret fill value; pino paths cannot pick the one step
  // marked secret, so the steps are never logged.
  'steps',
  '*.steps',
  '*.*.steps',
  // A PostgreSQL URL carries its password: logs name the database as host:port/db instead,
  // and should a URL ever be handed to a log line in these fields, it is censored whole.
  'databaseUrl',
  '*.databaseUrl',
  'database.url',
  '*.database.url',
  'connectionString',
  '*.connectionString',
];

export type LogFormat = 'json' | 'pretty';

/**
 * The node's structured logger, on stderr so stdout stays clean for command output: JSON
 * lines, or the same records rendered for people (`pretty`, the default on a terminal).
 */
export function createLogger(
  level: LevelWithSilent,
  format: LogFormat = 'json',
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  const stream =
    format === 'pretty'
      ? prettyStream({
          destination: 2,
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,app',
          singleLine: true,
        })
      : destination;
  return pino(
    {
      level,
      base: { app: 'crosscheck' },
      redact: { paths: REDACT, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream as pino.DestinationStream,
  );
}

/** A logger that discards everything (tests, one-shot commands). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
