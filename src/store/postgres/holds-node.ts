import pg from 'pg';
import type { PostgresTarget } from './connection.ts';
import { describeTarget, unavailableError } from './connection.ts';

/**
 * Whether the database holds the node `nodeId` (a coordinator's own row), read before anything
 * is written: a coordinator started with a wrong URL must not create its tables in someone
 * else's database (or an empty one) before refusing it. False when there are no such tables.
 */
export async function databaseHoldsNode(target: PostgresTarget, nodeId: string): Promise<boolean> {
  const where = describeTarget(target.url);
  const client = new pg.Client({
    connectionString: target.url,
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
    application_name: 'crosscheck',
    connectionTimeoutMillis: 30_000,
    query_timeout: 30_000,
  });
  // A failure is reported through the rejected query below; this only keeps it from crashing.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const table = await client.query<{ nodes: string | null }>(
      `select to_regclass('nodes')::text as nodes`,
    );
    if (table.rows[0]?.nodes == null) return false;
    const found = await client.query('select 1 from nodes where id = $1', [nodeId]);
    return (found.rowCount ?? 0) > 0;
  } catch (error) {
    throw unavailableError(target.url, where, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
