import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * What a failed browser check showed: its screenshot (JPEG, at most 200 KB) and console errors,
 * one row per result that carried them. A side table rather than a results column: few results
 * have evidence, and the raw results table stays compact. Rows go with their monitor; the
 * incident a row belongs to is found by time (`store/sql/evidence.ts`), so a failure stored
 * before its incident opened still belongs to it.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('check_evidence')
    .addColumn('result_id', 'text', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('screenshot', dialect === 'sqlite' ? 'blob' : 'bytea')
    .addColumn('console_errors', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('check_evidence_monitor_time')
    .on('check_evidence')
    .columns(['monitor_id', 'checked_at'])
    .execute();
}
