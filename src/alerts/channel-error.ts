import { AppError } from '../lib/errors.ts';

/**
 * A failed send. `retryable` says whether trying again later could succeed (timeouts, refused
 * connections, 5xx, 408, 429) or not (other 4xx, redirects). Messages never contain secrets.
 */
export class ChannelError extends AppError {
  readonly retryable: boolean;
  /** Status of the receiver's answer, when there was one. */
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
