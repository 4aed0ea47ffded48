import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Named alert targets (a stored channel instance) and routing rules (which targets hear of
 * which events, for a group, a tag, the cluster's nodes or by default). A delivery names its
 * target, whose settings are read at send time, and keeps what the provider returned for the
 * closing alert to find (a GitHub issue number…).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('alert_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alert_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_value', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('repeat_every_ms', 'bigint')
    .addColumn('escalate_after_ms', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_rules_scope_target')
    .on('alert_rules')
    .columns(['scope', 'scope_value', 'target'])
    .unique()
    .execute();

  await db.schema.alterTable('alert_deliveries').addColumn('target', 'text').execute();
  await db.schema.alterTable('alert_deliveries').addColumn('provider_ref', 'text').execute();
}
