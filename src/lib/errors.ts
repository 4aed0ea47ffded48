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
  | 'RATE_LIMITED';

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
