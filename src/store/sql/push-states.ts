import type { Kysely } from 'kysely';
import type { PushState } from '../../domain/push-state.ts';
import { AppError } from '../../lib/errors.ts';
import type { Database } from './schema.ts';
import type { PushStatesTable } from './schema-push.ts';

export async function savePushState(
  db: Kysely<Database>,
  monitorId: string,
  state: PushState,
  at: number,
): Promise<void> {
  const exists = await db
    .selectFrom('monitors')
    .select('id')
    .where('id', '=', monitorId)
    .executeTakeFirst();
  if (exists === undefined) throw new AppError('NOT_FOUND', `monitor ${monitorId} not found`);
  const row = {
    last_ping_at: state.lastPingAt,
    last_status: state.lastStatus,
    last_message: state.lastMessage,
    run_started_at: state.runStartedAt,
    last_run_ms: state.lastRunMs,
    updated_at: at,
  };
  await db
    .insertInto('push_states')
    .values({ monitor_id: monitorId, ...row })
    .onConflict((oc) => oc.column('monitor_id').doUpdateSet(row))
    .execute();
}

export async function listPushStates(db: Kysely<Database>): Promise<Map<string, PushState>> {
  const rows = await db.selectFrom('push_states').selectAll().execute();
  return new Map(rows.map((row) => [row.monitor_id, stateOf(row)]));
}

function stateOf(row: PushStatesTable): PushState {
  return {
    lastPingAt: num(row.last_ping_at),
    lastStatus: row.last_status === 'up' || row.last_status === 'down' ? row.last_status : null,
    lastMessage: row.last_message,
    runStartedAt: num(row.run_started_at),
    lastRunMs: num(row.last_run_ms),
  };
}

/** pg returns bigint columns as strings. */
function num(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
