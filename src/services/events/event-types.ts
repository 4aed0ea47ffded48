import { z } from 'zod';

// The live event stream's vocabulary: one zod schema per event type, exported so the OpenAPI
// document can describe the stream. Events name things by id and carry no settings: alert
// routes appear by channel name only, never with their URLs or secrets.

const monitorStatus = z.enum([
  'pending',
  'up',
  'degraded',
  'down',
  'regional',
  'unknown',
  'flapping',
]);
const verdict = z.enum(['down', 'regional', 'local', 'up', 'unknown']);
const incidentVerdict = z.enum(['down', 'regional']);
const membershipState = z.enum(['online', 'grace', 'missing']);
/** Epoch milliseconds. */
const epochMs = z.number().int();

/** Fields of every event about a monitor: its group lets clients filter by group. */
const aboutMonitor = {
  monitorId: z.string(),
  group: z.string().nullable(),
};

export const resultEventSchema = z.object({
  type: z.literal('result'),
  ...aboutMonitor,
  resultId: z.string(),
  nodeId: z.string(),
  status: z.enum(['up', 'degraded', 'down', 'error']),
  latencyMs: z.number(),
  /** When the check started. */
  at: epochMs,
});

export const monitorStateEventSchema = z.object({
  type: z.literal('monitor.state'),
  ...aboutMonitor,
  from: monitorStatus,
  to: monitorStatus,
  /** The last decided round's verdict; null before the first round. */
  verdict: verdict.nullable(),
  at: epochMs,
});

const incidentFields = {
  ...aboutMonitor,
  incidentId: z.string(),
  verdict: incidentVerdict,
  regions: z.array(z.string()),
  at: epochMs,
};

export const incidentOpenedEventSchema = z.object({
  type: z.literal('incident.opened'),
  ...incidentFields,
});

export const incidentUpdatedEventSchema = z.object({
  type: z.literal('incident.updated'),
  ...incidentFields,
});

export const incidentResolvedEventSchema = z.object({
  type: z.literal('incident.resolved'),
  ...incidentFields,
  /** `recovered`: the quorum confirmed recovery; `retracted`: its evidence did not hold. */
  outcome: z.enum(['recovered', 'retracted']),
});

/**
 * Someone posted an update or an internal note on an incident. The text is not in the event
 * (read it with `incidents.updates.list`): the stream says what changed, not what was written.
 */
export const incidentUpdatePostedEventSchema = z.object({
  type: z.literal('incident.update.posted'),
  ...aboutMonitor,
  incidentId: z.string(),
  updateId: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  /** False for an internal note (never on a status page). */
  public: z.boolean(),
  at: epochMs,
});

export const nodeStateEventSchema = z.object({
  type: z.literal('node.state'),
  nodeId: z.string(),
  from: membershipState,
  to: membershipState,
  at: epochMs,
});

export const alertDecisionEventSchema = z.object({
  type: z.literal('alert.decision'),
  /** Null for a node alert. */
  monitorId: z.string().nullable(),
  group: z.string().nullable(),
  /** The alert log entry (delivery) id. */
  alertId: z.string(),
  incidentId: z.string().nullable(),
  /** The node of a node alert. */
  nodeId: z.string().nullable(),
  /** The alert kind: down, regional, recovered, node-missing… */
  kind: z.string(),
  /** The route's channel name; its settings (URLs, keys) are never part of an event. */
  route: z.string(),
  outcome: z.enum(['sent', 'suppressed', 'failed']),
  /** Why the policy decided so, or the provider's error for a failed delivery. */
  reason: z.string().nullable(),
  at: epochMs,
});

export const monitorChangedEventSchema = z.object({
  type: z.literal('monitor.changed'),
  ...aboutMonitor,
  change: z.enum(['created', 'updated', 'deleted']),
  at: epochMs,
});

/** Any event as a source publishes it (the hub adds `id`). */
export const crosscheckEventSchema = z.discriminatedUnion('type', [
  resultEventSchema,
  monitorStateEventSchema,
  incidentOpenedEventSchema,
  incidentUpdatedEventSchema,
  incidentResolvedEventSchema,
  incidentUpdatePostedEventSchema,
  nodeStateEventSchema,
  alertDecisionEventSchema,
  monitorChangedEventSchema,
]);

export type CrosscheckEvent = z.infer<typeof crosscheckEventSchema>;
export type EventType = CrosscheckEvent['type'];

export const EVENT_TYPES = [
  'result',
  'monitor.state',
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'incident.update.posted',
  'node.state',
  'alert.decision',
  'monitor.changed',
] as const satisfies readonly EventType[];

/**
 * An event as the hub keeps and streams it: its id and when it was published, beside the event
 * (a wrapper, not a copy: at tens of thousands of results a second the copy was the hub's cost).
 */
export interface StampedEvent {
  id: string;
  publishedAt: number;
  data: CrosscheckEvent;
}

/** Control frames that are not events: `reset` (reload, history lost), `overflow` (reconnect). */
export const resetFrameSchema = z.object({
  /** `unknown-id`: from another daemon run or never issued; `expired`: older than the history. */
  reason: z.enum(['unknown-id', 'expired']),
});
export const overflowFrameSchema = z.object({ reason: z.literal('slow-consumer') });

/** Where event sources publish; the only thing they know of the hub. */
export interface EventSink {
  publish(events: readonly CrosscheckEvent[]): void;
}

/** Which events a subscriber wants; each given list narrows, an absent one matches all. */
export interface EventFilter {
  /** A Set for long lists: a dashboard page subscribes to its hundred rows. */
  monitorIds?: ReadonlySet<string> | readonly string[];
  groups?: readonly string[];
  types?: readonly EventType[];
  /**
   * Types that pass whatever `monitorIds` and `groups` say (still narrowed by `types`): a page
   * showing some monitors still wants every node change and every incident opening.
   */
  unscoped?: readonly EventType[];
}

/**
 * True when the event passes the filter. A monitor or group filter selects events about those
 * monitors only, so node events (and node alerts) do not pass it unless their type is unscoped.
 */
export function matchesFilter(event: CrosscheckEvent, filter: EventFilter): boolean {
  if (filter.types !== undefined && !filter.types.includes(event.type)) return false;
  if (filter.monitorIds === undefined && filter.groups === undefined) return true;
  if (filter.unscoped?.includes(event.type) === true) return true;
  if (!('monitorId' in event) || event.monitorId === null) return false;
  if (filter.monitorIds !== undefined && !listed(filter.monitorIds, event.monitorId)) return false;
  if (filter.groups !== undefined && (event.group === null || !filter.groups.includes(event.group)))
    return false;
  return true;
}

function listed(ids: ReadonlySet<string> | readonly string[], id: string): boolean {
  return 'has' in ids ? ids.has(id) : ids.includes(id);
}
