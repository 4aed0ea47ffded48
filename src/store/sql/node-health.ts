import type { Transaction } from 'kysely';
import type { AlertDelivery } from '../../domain/alert.ts';
import type { NodeHealthChange } from '../types.ts';
import { insertDeliveries } from './deliveries.ts';
import type { Database } from './schema.ts';

/**
 * Sets or clears a node's `impaired_since`, records the transition as a node event and stores
 * its alerts, in the caller's transaction. Only a real transition of an active node counts: a replayed
 * event id, a node already in the target health, or a removed node changes nothing (alerts
 * included), so a retried or duplicated change can never page twice.
 */
export async function applyNodeHealthChange(
  trx: Transaction<Database>,
  change: NodeHealthChange,
  alerts: readonly AlertDelivery[],
): Promise<void> {
  const seen = await trx
    .selectFrom('node_events')
    .select('id')
    .where('id', '=', change.eventId)
    .executeTakeFirst();
  if (seen !== undefined) return;
  const updated = await trx
    .updateTable('nodes')
    .set({ impaired_since: change.impaired ? change.at : null })
    .where('id', '=', change.nodeId)
    .where('removed_at', 'is', null)
    .where('impaired_since', change.impaired ? 'is' : 'is not', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await trx
    .insertInto('node_events')
    .values({
      id: change.eventId,
      node_id: change.nodeId,
      at: change.at,
      from_state: change.impaired ? 'healthy' : 'impaired',
      to_state: change.impaired ? 'impaired' : 'healthy',
    })
    .execute();
  await insertDeliveries(trx, alerts);
}
