import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * What a join token enrols: an agent (every token made before this migration) or a second
 * coordinator sharing the PostgreSQL database, which receives the CA key once enrolled. Kept
 * on the token, not taken from the joiner's word, so an agent token can never yield a
 * coordinator certificate. One statement that both dialects run alike (a constant default).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .alterTable('join_tokens')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('agent'))
    .execute();
}
