import type { z } from 'zod';
import { dataDirPaths } from '../config/data-dir.ts';
import { systemClock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { silentLogger } from '../observability/logger.ts';
import { createAuthService } from '../services/auth/auth-service.ts';
import type { setupInput } from '../services/auth/inputs.ts';
import type { DatabaseChoice } from '../config/database-config.ts';
import { openCoordinatorStore } from './coordinator-store.ts';

/**
 * Creates the first admin straight in a data dir's database with its one-time setup token.
 * Works with the daemon running or not (SQLite in WAL mode takes the one write; PostgreSQL
 * takes it beside the daemon's pool).
 */
export async function createFirstAdminInDataDir(
  dataDir: string,
  database: DatabaseChoice,
  input: z.output<typeof setupInput>,
) {
  const paths = dataDirPaths(dataDir);
  const { store } = await openCoordinatorStore(database);
  try {
    const auth = createAuthService({
      store,
      clock: systemClock,
      logger: silentLogger(),
      newId,
      setupTokenFile: paths.setupToken,
    });
    return await auth.createFirstAdmin(input);
  } finally {
    await store.close();
  }
}
