import { z } from 'zod';
import type { CheckStatus } from '../../domain/check-result.ts';
import type { MembershipState } from '../../domain/node.ts';
import { INCIDENT_UPDATE_STATUSES } from '../../domain/status-page.ts';

// What coordinators tell each other through the database (issue #17). Messages name things by
// id and carry small facts only: a receiver reads the rest from the store. Never a monitor's
// body, an alert route's settings or an update's text: those can hold secrets, and a payload
// must stay under PostgreSQL's 8000-byte NOTIFY limit.

/** Bumped when a message changes shape; a receiver drops versions it does not know. */
export const BUS_VERSION = 1;

const id = z.string().min(1).max(500);
const epochMs = z.number().int();
const incidentVerdict = z.enum(['down', 'regional']);
const membershipState = z.enum(['online', 'grace', 'missing'] satisfies MembershipState[]);
const checkStatus = z.enum(['up', 'degraded', 'down', 'error'] satisfies CheckStatus[]);

/** One stored result as its `result` event names it: [id, monitor, node, status, latency, at]. */
export const resultFactSchema = z.tuple([id, id, id, checkStatus, z.number(), epochMs]);
export type ResultFact = z.infer<typeof resultFactSchema>;

/** An alert decision as its `alert.decision` event names it (the route by channel only). */
export const alertDecisionFactSchema = z.object({
  alertId: id,
  monitorId: id.nullable(),
  group: z.string().nullable(),
  incidentId: id.nullable(),
  nodeId: id.nullable(),
  kind: z.string().max(100),
  route: z.string().max(100),
  outcome: z.enum(['sent', 'suppressed', 'failed']),
  reason: z.string().max(1_000).nullable(),
  at: epochMs,
});
export type AlertDecisionFact = z.infer<typeof alertDecisionFactSchema>;

/** The monitors written through some coordinator's API: receivers reload them from the store. */
const monitorChanged = z.object({
  type: z.literal('monitor-changed'),
  upserted: z.array(id),
  removed: z.array(id),
});

/**
 * What the leader's ingest committed, as its live views use it: results as facts (the `result`
 * events), the monitors whose states were written (read back with `statesOf`), incidents
 * opened (read back by id) and changed (small facts), suppressed alerts (decisions).
 */
const batchCommitted = z.object({
  type: z.literal('batch-committed'),
  results: z.array(resultFactSchema),
  states: z.array(id),
  incidentsOpened: z.array(id),
  incidentsUpdated: z.array(
    z.object({ id, verdict: incidentVerdict, regions: z.array(z.string()), at: epochMs }),
  ),
  incidentsResolved: z.array(z.object({ id, resolvedAt: epochMs })),
  incidentsRetracted: z.array(z.object({ id, retractedAt: epochMs })),
  suppressed: z.array(alertDecisionFactSchema),
});

const nodeTransition = z.object({
  type: z.literal('node-transition'),
  nodeId: id,
  from: membershipState,
  to: membershipState,
  at: epochMs,
});

const alertDecided = z.object({
  type: z.literal('alert-decided'),
  decision: alertDecisionFactSchema,
});

const incidentUpdatePosted = z.object({
  type: z.literal('incident-update-posted'),
  monitorId: id,
  update: z.object({
    id,
    incidentId: id,
    status: z.enum(INCIDENT_UPDATE_STATUSES),
    public: z.boolean(),
    createdAt: epochMs,
  }),
});

/** A maintenance window was created, changed or removed: calendars and uptime re-read. */
const maintenanceChanged = z.object({ type: z.literal('maintenance-changed') });

/** A push monitor got a ping here: the leader re-reads its stored push state and judges it. */
const pushPinged = z.object({ type: z.literal('push-pinged'), monitorId: id });

/** Alert targets or routing rules changed: the leader's dispatcher and routing re-read them. */
const alertingChanged = z.object({ type: z.literal('alerting-changed') });

/**
 * Reload everything: delivered locally when the listening connection was lost and came back
 * (notifications sent meanwhile are gone), and sent by a coordinator that could not send some
 * of its own messages (`lost-messages`).
 */
const resync = z.object({
  type: z.literal('resync'),
  reason: z.enum(['reconnected', 'lost-messages']),
});

export const busBodySchema = z.discriminatedUnion('type', [
  monitorChanged,
  batchCommitted,
  nodeTransition,
  alertDecided,
  incidentUpdatePosted,
  maintenanceChanged,
  alertingChanged,
  pushPinged,
  resync,
]);

/** What a publisher hands the bus; the bus stamps the origin. */
export type BusBody = z.infer<typeof busBodySchema>;
export type BusMessageType = BusBody['type'];
export type BatchCommittedBody = Extract<BusBody, { type: 'batch-committed' }>;
export type MonitorChangedBody = Extract<BusBody, { type: 'monitor-changed' }>;

/** A message as it travels: the body with its version and the coordinator that sent it. */
export type BusMessage = BusBody & { v: typeof BUS_VERSION; origin: string };

const envelopeSchema = z.object({ v: z.literal(BUS_VERSION), origin: id });

/** A body with nothing in it. */
export function emptyBatchCommitted(): BatchCommittedBody {
  return {
    type: 'batch-committed',
    results: [],
    states: [],
    incidentsOpened: [],
    incidentsUpdated: [],
    incidentsResolved: [],
    incidentsRetracted: [],
    suppressed: [],
  };
}

/** The reason a payload was not a message, by the fields at fault (never the payload itself). */
export type ParsedPayload = { ok: true; message: BusMessage } | { ok: false; problem: string };

/** Parses a notification's payload; never throws. */
export function parseBusPayload(payload: string): ParsedPayload {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, problem: describeIssues(envelope.error) };
  const body = busBodySchema.safeParse(raw);
  if (!body.success) return { ok: false, problem: describeIssues(body.error) };
  return { ok: true, message: { ...body.data, ...envelope.data } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
    .join('; ');
}
