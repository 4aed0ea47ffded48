import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Objects applied from a config file: one row per managed object, naming the file (`source`)
 * and the object's key in it. A side table rather than columns on each kind's table, so every
 * kind a file manages uses the same rows and the objects' own tables stay as they are.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('managed_objects')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('config_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('managed_objects_pk', ['kind', 'object_id'])
    .addUniqueConstraint('managed_objects_key', ['kind', 'source', 'config_key'])
    .execute();
}
