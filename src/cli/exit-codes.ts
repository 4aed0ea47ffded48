import type { ErrorCode } from '../lib/errors.ts';

/** Exit codes are a contract (documented in README): 0 ok, 1 target down, 2 usage, 3+ infrastructure. */
export const EXIT = {
  ok: 0,
  down: 1,
  usage: 2,
  unavailable: 3,
  notFound: 4,
  conflict: 5,
  unauthorized: 6,
  internal: 7,
  /** `check`: the check could not run because of this machine (status `error`). */
  nodeError: 8,
  /** Too many attempts: wait and try again. */
  rateLimited: 9,
} as const;

/** The exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION':
      return EXIT.usage;
    case 'UNAVAILABLE':
    case 'STORAGE_FULL':
    case 'FENCED':
      return EXIT.unavailable;
    case 'NOT_FOUND':
      return EXIT.notFound;
    case 'CONFLICT':
      return EXIT.conflict;
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return EXIT.unauthorized;
    case 'INTERNAL':
      return EXIT.internal;
    case 'RATE_LIMITED':
      return EXIT.rateLimited;
  }
}
