import type { z } from 'zod';
import type { AlertEvent } from '../domain/alert.ts';
import { AppError } from '../lib/errors.ts';

/** Every alert channel Crosscheck knows; the registry must have an entry for each. */
export const ALERT_CHANNELS = ['webhook'] as const;

export type AlertChannelName = (typeof ALERT_CHANNELS)[number];

/** What a send may use besides its settings. */
export interface ChannelSendContext {
  /** Aborted when the dispatcher shuts down; the send must then settle promptly. */
  signal: AbortSignal;
  /** Time limit for one send when the channel's settings do not set their own. */
  timeoutMs: number;
}

/**
 * One alert channel: its settings schema (the stored JSON shape), how it sends one event, and
 * how its settings are shown without secrets.
 */
export interface AlertChannelDefinition<Settings> {
  name: AlertChannelName;
  /** One line for `--help` and docs. */
  description: string;
  settingsSchema: z.ZodType<Settings>;
  /**
   * Delivers one event. Resolves when the receiver accepted it; otherwise throws a
   * `ChannelError` saying whether a retry could help. Must settle within its timeout.
   */
  send(settings: Settings, event: AlertEvent, ctx: ChannelSendContext): Promise<void>;
  /** The settings for display and logs, with every secret replaced by `"***"`. */
  redact(settings: Settings): Record<string, unknown>;
}

/** The value secrets are replaced with when settings are displayed. */
export const REDACTED = '***';

/**
 * A failed send. `retryable` says whether trying again later could succeed (timeouts, refused
 * connections, 5xx, 408, 429) or not (other 4xx, redirects). Messages never contain secrets.
 */
export class ChannelError extends AppError {
  readonly retryable: boolean;
  /** HTTP status of the receiver's answer, when there was one. */
  readonly status: number | undefined;
  /** The receiver's requested wait (`Retry-After`), when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super('UNAVAILABLE', message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'ChannelError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True for a `ChannelError`. */
export function isChannelError(error: unknown): error is ChannelError {
  return error instanceof ChannelError;
}
