import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Records a pause or a resume of a monitor (nothing when `paused` did not change), in the
 * caller's transaction with the monitor update, so uptime leaves exactly the paused time out.
 */
export async function recordPauseChange(
  db: Kysely<Database>,
  monitorId: string,
  change: { wasPaused: boolean; paused: boolean; at: number },
): Promise<void> {
  if (change.paused === change.wasPaused) return;
  if (change.paused) {
    await db
      .insertInto('monitor_pauses')
      .values({ monitor_id: monitorId, paused_at: change.at, resumed_at: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return;
  }
  await db
    .updateTable('monitor_pauses')
    .set({ resumed_at: change.at })
    .where('monitor_id', '=', monitorId)
    .where('resumed_at', 'is', null)
    .execute();
}
