/**
 * The little the store logs, typed structurally so a pino logger (or a test double) fits
 * without the store importing a logging library.
 */
export interface StoreLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Discards everything; the default when no logger is given. */
export const silentLogger: StoreLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
