import type { Kysely } from 'kysely';
import type { AlertDelivery } from '../../domain/alert.ts';
import { OPENING_ALERT_KINDS } from '../../domain/alert.ts';
import type { AlertFollowUp } from '../types.ts';
import { insertDeliveries } from './deliveries.ts';
import type { Database } from './schema.ts';

/** Which opening a route's closing alert follows when the incident paged it more than once. */
const PREFERENCE: Readonly<Record<string, number>> = {
  sent: 0,
  pending: 1,
  held: 2,
  failed: 3,
  suppressed: 4,
};

interface Opening {
  id: string;
  delivery_key: string;
  channel: string;
  settings: string;
  target: string | null;
  status: string;
}

/**
 * Expands closing alerts (recovered, retracted) into deliveries inside the caller's
 * transaction: one per distinct route (channel + settings) among the incident's stored opening
 * deliveries, following the best one (sent, else pending, else failed, else suppressed). The
 * routes come from what was stored when the incident opened, not from the monitor's current
 * routes, so an edit in between cannot send a recovery where no page went. A route whose
 * opening was suppressed gets a suppressed closing (recorded with the reason); the others wait
 * for their opening in the dispatcher. Idempotent: keys derive from the alert and the opening.
 */
export async function insertFollowUps(
  db: Kysely<Database>,
  followUps: readonly AlertFollowUp[],
): Promise<void> {
  for (const followUp of followUps) {
    const openings = await db
      .selectFrom('alert_deliveries')
      .select(['id', 'delivery_key', 'channel', 'settings', 'target', 'status'])
      .where('incident_id', '=', followUp.incidentId)
      .where('kind', 'in', [...OPENING_ALERT_KINDS])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const optedOut = new Set(followUp.optedOut ?? []);
    const routed = openings.filter((o) => o.target === null || !optedOut.has(o.target));
    const deliveries = bestPerRoute(routed).map((opening, index) =>
      closingDelivery(followUp, opening, index),
    );
    await insertDeliveries(db, deliveries);
  }
}

function bestPerRoute(openings: readonly Opening[]): Opening[] {
  const best = new Map<string, Opening>();
  for (const opening of openings) {
    const route = opening.target ?? `${opening.channel}\u0000${opening.settings}`;
    const current = best.get(route);
    if (current === undefined || rank(opening) < rank(current)) best.set(route, opening);
  }
  return [...best.values()];
}

function rank(opening: Opening): number {
  return PREFERENCE[opening.status] ?? Number.MAX_SAFE_INTEGER;
}

function closingDelivery(followUp: AlertFollowUp, opening: Opening, index: number): AlertDelivery {
  const suppressed = opening.status === 'suppressed';
  return {
    id: `${followUp.idPrefix}.${index}`,
    deliveryKey: `${followUp.event.idempotencyKey}:after:${opening.delivery_key}`,
    monitorId: followUp.monitorId,
    incidentId: followUp.incidentId,
    nodeId: null,
    followsId: opening.id,
    target: opening.target,
    channel: opening.channel,
    settings: JSON.parse(opening.settings) as Record<string, unknown>,
    event: followUp.event,
    status: suppressed ? 'suppressed' : 'pending',
    attempts: 0,
    nextAttemptAt: followUp.createdAt,
    reason: suppressed ? 'opening-suppressed' : 'follows-page',
    lastError: null,
    providerRef: null,
    createdAt: followUp.createdAt,
    sentAt: null,
  };
}
