/** Stable error codes; never reuse a code for a different meaning. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  /** Too many attempts (login throttling); `retryAfterSeconds` says when to try again. */
  | 'RATE_LIMITED'
  /** A write failed because the disk holding the data dir is full (SQLITE_FULL, ENOSPC). */
  | 'STORAGE_FULL'
  /**
   * A leader-plane write carried a lease epoch older than the stored one: this coordinator is no
   * longer the leader, and the write was refused in its own transaction (src/cluster/lease/).
   */
  | 'FENCED';

/** Every error code, for parsers of errors that crossed a process boundary. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'UNAVAILABLE',
  'INTERNAL',
  'RATE_LIMITED',
  'STORAGE_FULL',
  'FENCED',
];

/** One problem with one input field: `path` names the field, `message` the reason. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The one error class every part throws for expected failures; transports map `code` once. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];
  /** For RATE_LIMITED: whole seconds until a retry may succeed (HTTP `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: readonly FieldIssue[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A validation error listing every bad field at once. */
export function validationError(issues: readonly FieldIssue[], summary?: string): AppError {
  const text =
    summary ?? issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new AppError('VALIDATION', text, { issues });
}

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${what} ${id} not found`);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * True for a leader write refused because this coordinator no longer leads: not a store
 * failure to retry, the write belongs to the new leader now.
 */
export function isFenced(error: unknown): error is AppError {
  return isAppError(error) && error.code === 'FENCED';
}

/** What a client is told when a write failed for lack of disk space. */
export const STORAGE_FULL_MESSAGE = 'no space left on device';

/** The typed error of a write that failed because the disk is full; `cause` keeps the original. */
export function storageFullError(cause: unknown, detail?: string): AppError {
  const message =
    detail === undefined ? STORAGE_FULL_MESSAGE : `${STORAGE_FULL_MESSAGE}: ${detail}`;
  return new AppError('STORAGE_FULL', message, { cause });
}

/**
 * Error codes that say the disk is full: SQLite's, the system's from a file write, and
 * PostgreSQL's SQLSTATE 53100 (disk_full) as the pg driver reports it.
 */
const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', '53100']);

/** True when the error, or one of its causes, is a full disk (or already our typed error). */
export function isStorageFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (isAppError(current) && current.code === 'STORAGE_FULL') return true;
    const code = 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && DISK_FULL_CODES.has(code)) return true;
    current = 'cause' in current ? current.cause : undefined;
  }
  return false;
}
