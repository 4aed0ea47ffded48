import { readOptionalFile, writePrivateFile } from '../config/data-dir.ts';
import type { Monitor } from '../domain/monitor.ts';
import { AppError } from '../lib/errors.ts';
import { parseCoordinatorMessage } from './peer/messages.ts';

/** The config an agent last received: what it keeps checking with when the coordinator is away. */
export interface CachedConfig {
  version: number;
  monitors: Monitor[];
}

/**
 * Reads the cache. It is stored as a config-snapshot message, so it goes through the same
 * schema (and check-option validation) as a snapshot off the wire. Undefined when absent.
 */
export function readConfigCache(file: string): CachedConfig | undefined {
  const text = readOptionalFile(file);
  if (text === undefined) return undefined;
  const message = parseCoordinatorMessage(text);
  if (message.type !== 'config-snapshot')
    throw new AppError('INTERNAL', `${file}: not a config snapshot`);
  return { version: message.version, monitors: message.monitors };
}

/** Writes the cache atomically (0600). */
export function writeConfigCache(file: string, config: CachedConfig): void {
  writePrivateFile(
    file,
    JSON.stringify({ type: 'config-snapshot', version: config.version, monitors: config.monitors }),
  );
}
