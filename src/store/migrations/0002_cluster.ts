import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/** Cluster membership: nodes, their state transitions, join tokens, monitor node selectors. */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .alterTable('monitors')
    .addColumn('node_selector', 'text', (c) => c.notNull().defaultTo('{"regions":[],"labels":{}}'))
    .execute();

  await db.schema
    .createTable('nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('cert_serial', 'text', (c) => c.notNull())
    .addColumn('cert_not_after', 'bigint', (c) => c.notNull())
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_since', 'bigint', (c) => c.notNull())
    .addColumn('clock_offset_ms', 'double precision')
    .addColumn('checks_per_second', 'double precision')
    .addColumn('outbox_backlog', 'bigint')
    .addColumn('remote_address', 'text')
    .addColumn('removed_at', 'bigint')
    .execute();
  // Names identify nodes to people; a removed node's name may be reused.
  await db.schema
    .createIndex('nodes_name_active')
    .on('nodes')
    .column('name')
    .unique()
    .where(sql.ref('removed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('node_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('node_id', 'text', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('node_events_node_at')
    .on('node_events')
    .columns(['node_id', 'at'])
    .execute();

  await db.schema
    .createTable('join_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by_node', 'text')
    .execute();
}
