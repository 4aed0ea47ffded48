import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';

export type { Logger };

/** Paths pino must never print: secrets in alert settings, tokens, auth headers. */
const REDACT = [
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'settings',
  '*.settings',
];

/** The node's structured logger (JSON lines on stderr so stdout stays clean for command output). */
export function createLogger(
  level: LevelWithSilent,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino(
    {
      level,
      base: { app: 'crosscheck' },
      redact: { paths: REDACT, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream,
  );
}

/** A logger that discards everything (tests, one-shot commands). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
