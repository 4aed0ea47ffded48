import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Incidents grouped by a shared cause (one page per host, resolver, region or group that fails
 * many monitors at once): the groups, and on each incident the group it belongs to. A group's
 * members are the incidents naming it, so joining writes one column, not a growing list.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('cause_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cause_kind', 'text', (c) => c.notNull())
    .addColumn('cause_value', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('decide_by', 'bigint', (c) => c.notNull())
    .addColumn('paged_at', 'bigint')
    .addColumn('last_join_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('paged_routes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('cause_groups_open').on('cause_groups').columns(['state']).execute();
  await db.schema.alterTable('incidents').addColumn('cause_group_id', 'text').execute();
  await db.schema
    .createIndex('incidents_cause_group')
    .on('incidents')
    .columns(['cause_group_id'])
    .execute();
}
