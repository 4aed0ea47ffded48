import { createLocalBus } from '../cluster/bus/local-bus.ts';
import type { ClusterBus } from '../cluster/bus/types.ts';
import type { DatabaseChoice } from '../config/database-config.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * The coordinator's cluster bus: LISTEN/NOTIFY on PostgreSQL (several coordinators may share
 * the database), in-process on SQLite (one coordinator). Not started: the caller starts it
 * once its subscribers are in place, and stops it before the store closes.
 */
export async function createCoordinatorBus(
  database: DatabaseChoice,
  nodeId: string,
  logger: Logger,
): Promise<ClusterBus> {
  if (database.kind === 'sqlite') return createLocalBus();
  // Loaded only on PostgreSQL, like the rest of the PostgreSQL parts.
  const { createPostgresBus } = await import('../cluster/bus/postgres-bus.ts');
  return createPostgresBus({
    target: { url: database.url, ...(database.ssl === undefined ? {} : { ssl: database.ssl }) },
    nodeId,
    logger,
  });
}
