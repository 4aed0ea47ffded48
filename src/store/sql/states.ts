import type { Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import { IN_LIST_CHUNK, chunked, insertChunks } from './chunks.ts';
import { rowToState } from './state-rows.ts';
import type { Database, MonitorStateTable } from './schema.ts';

/** Writes runtime-state rows (insert or replace); a backend may swap in a faster native path. */
export type StateUpserter = (
  db: Kysely<Database>,
  rows: readonly Insertable<MonitorStateTable>[],
) => Promise<void>;

/** The portable state writer: multi-row INSERT … ON CONFLICT (monitor_id) DO UPDATE. */
export const upsertStatesWithKysely: StateUpserter = async (db, allRows) => {
  for (const rows of insertChunks(allRows)) {
    await db
      .insertInto('monitor_state')
      .values(rows)
      .onConflict((oc) =>
        oc.column('monitor_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          consecutive_failures: eb.ref('excluded.consecutive_failures'),
          consecutive_successes: eb.ref('excluded.consecutive_successes'),
          failure_streak_started_at: eb.ref('excluded.failure_streak_started_at'),
          success_streak_started_at: eb.ref('excluded.success_streak_started_at'),
          open_incident_id: eb.ref('excluded.open_incident_id'),
          open_incident_started_at: eb.ref('excluded.open_incident_started_at'),
          last_checked_at: eb.ref('excluded.last_checked_at'),
          last_result_status: eb.ref('excluded.last_result_status'),
          last_latency_ms: eb.ref('excluded.last_latency_ms'),
          last_message: eb.ref('excluded.last_message'),
          last_error_kind: eb.ref('excluded.last_error_kind'),
          status_since: eb.ref('excluded.status_since'),
          last_down_alert_at: eb.ref('excluded.last_down_alert_at'),
          open_incident_verdict: eb.ref('excluded.open_incident_verdict'),
          open_incident_regions: eb.ref('excluded.open_incident_regions'),
          verdict: eb.ref('excluded.verdict'),
          verdict_at: eb.ref('excluded.verdict_at'),
          failing_regions: eb.ref('excluded.failing_regions'),
          failing_nodes: eb.ref('excluded.failing_nodes'),
          flap_changes: eb.ref('excluded.flap_changes'),
          flapping_since: eb.ref('excluded.flapping_since'),
          last_ended_at: eb.ref('excluded.last_ended_at'),
          open_incident_detail: eb.ref('excluded.open_incident_detail'),
          last_node_id: eb.ref('excluded.last_node_id'),
          degraded_episode: eb.ref('excluded.degraded_episode'),
        })),
      )
      .execute();
  }
};

/** Every stored runtime state, by monitor id. */
export async function listStates(db: Kysely<Database>): Promise<MonitorRuntimeState[]> {
  const rows = await db.selectFrom('monitor_state').selectAll().orderBy('monitor_id').execute();
  return rows.map(rowToState);
}

/** The stored runtime states of these monitors, by monitor id (chunked `IN` lists). */
export async function statesOf(
  db: Kysely<Database>,
  monitorIds: readonly string[],
): Promise<MonitorRuntimeState[]> {
  const states: MonitorRuntimeState[] = [];
  for (const chunk of chunked([...new Set(monitorIds)], IN_LIST_CHUNK)) {
    const rows = await db
      .selectFrom('monitor_state')
      .selectAll()
      .where('monitor_id', 'in', chunk)
      .execute();
    states.push(...rows.map(rowToState));
  }
  return states.sort((a, b) =>
    a.monitorId < b.monitorId ? -1 : a.monitorId > b.monitorId ? 1 : 0,
  );
}
