import pg from 'pg';
import type { PostgresTarget } from './connection.ts';
import { describeTarget, unavailableError } from './connection.ts';

/**
 * One round trip to the database, nothing read or written: a setup step that will rely on the
 * database later (joining a coordinator) fails here first, before it spends a join token,
 * with UNAVAILABLE naming host:port/database and never the password.
 */
export async function assertDatabaseReachable(target: PostgresTarget): Promise<void> {
  const where = describeTarget(target.url);
  const client = new pg.Client({
    connectionString: target.url,
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
    application_name: 'crosscheck',
    connectionTimeoutMillis: 15_000,
    query_timeout: 15_000,
  });
  // A failure is reported through the rejected call below; this only keeps it from crashing.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw unavailableError(target.url, where, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
