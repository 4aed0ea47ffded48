import { sql } from 'kysely';
import { chunked } from '../sql/chunks.ts';
import type { StateUpserter } from '../sql/states.ts';
import { withoutNul } from './text.ts';

/**
 * Rows per statement: a batch's states are one JSON parameter of about 400 bytes a row, so a
 * usual ingest batch is one statement and none is unbounded.
 */
const ROWS_PER_STATEMENT = 5_000;

/**
 * PostgreSQL's runtime-state writer: the rows as one JSON array, expanded by
 * `json_populate_recordset` into `monitor_state`'s own row type (so every column gets its
 * declared type without a list kept here), upserted on the monitor id. The portable writer
 * binds ~26 parameters a row over several statements per batch; this is one parameter and
 * one statement, about four times less time per ingest batch (`bench/postgres-ingest.ts`).
 */
export const upsertStatesWithJson: StateUpserter = async (db, rows) => {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const updated = columns.filter((column) => column !== 'monitor_id');
  const list = sql.join(columns.map((column) => sql.ref(column)));
  const assignments = sql.join(
    updated.map((column) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`),
  );
  for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) {
    await sql`insert into monitor_state (${list})
      select ${list} from json_populate_recordset(null::monitor_state, ${JSON.stringify(chunk.map(withoutNul))})
      on conflict (monitor_id) do update set ${assignments}`.execute(db);
  }
};
