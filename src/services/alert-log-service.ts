import { z } from 'zod';
import { redactAlertRoute } from '../alerts/registry.ts';
import type { AlertAttempt, AlertDelivery } from '../domain/alert.ts';
import type { AlertRoute } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import { parseSince } from '../lib/duration.ts';
import type { AlertDeliveryFilter, Store } from '../store/types.ts';

/** How many entries the log lists when no limit is given. */
export const DEFAULT_ALERT_LOG_LIMIT = 100;

const SINCE_MESSAGE = 'expected a duration like 1h, an ISO date or epoch ms';

/**
 * The alert log's filters, as the API's query parameters and the CLI's flags both give them
 * (strings): one schema for every transport.
 */
export const alertLogQuery = z
  .object({
    monitor: z.string().min(1).optional(),
    incident: z.string().min(1).optional(),
    /** A duration back from now (`24h`), an ISO date or epoch ms. */
    since: z
      .string()
      .refine((value) => parseSince(value, 0) !== undefined, SINCE_MESSAGE)
      .optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export type AlertLogQuery = z.output<typeof alertLogQuery>;

/**
 * Where a delivery stands: `retrying` is a pending delivery whose earlier attempts failed;
 * `suppressed` was held back by a rule (see `reason`) and never sent.
 */
export type AlertLogStatus = 'pending' | 'held' | 'retrying' | 'sent' | 'failed' | 'suppressed';

/** One alert decision: one alert to one route, with every attempt to send it. */
export interface AlertLogEntry {
  id: string;
  /** When the alert was decided. */
  at: number;
  /** The monitor as it was named when the alert was decided (it may be gone since). */
  monitor: { id: string; name: string } | null;
  /** The node of a node alert. */
  node: { id: string; name: string } | null;
  incidentId: string | null;
  /** `down`, `recovered`, `retracted`, `node-missing`…: an open set, shown as given. */
  kind: string;
  /** The channel with its settings redacted (secrets, header values, query values hidden). */
  route: AlertRoute;
  status: AlertLogStatus;
  /** The alert policy's reason (for a suppressed alert, the rule that held it back). */
  reason: string | null;
  /** The provider's last answer (HTTP status and body excerpt) or network error. */
  lastError: string | null;
  attempts: number;
  /** When the next attempt is due; null unless pending or retrying. */
  nextAttemptAt: number | null;
  sentAt: number | null;
  /** Every send attempt, oldest first. */
  attemptHistory: AlertAttempt[];
  /** The alert's one line for people. */
  message: string;
}

export interface AlertLogDeps {
  store: Pick<Store, 'listAlertDeliveries' | 'listAlertAttempts'>;
  clock: Clock;
}

export interface AlertLogService {
  /** Every alert decision matching the filters, newest first; after `after` when paging. */
  list(query: AlertLogQuery, after?: AlertDeliveryFilter['after']): Promise<AlertLogEntry[]>;
}

/** The alert log, shared by the API and the CLI's offline backend. */
export function createAlertLogService(deps: AlertLogDeps): AlertLogService {
  return {
    async list(query, after) {
      // The schema checked `since` parses; `now` only anchors a relative one.
      const since =
        query.since === undefined ? undefined : parseSince(query.since, deps.clock.now());
      const deliveries = await deps.store.listAlertDeliveries({
        ...(query.monitor !== undefined ? { monitorId: query.monitor } : {}),
        ...(query.incident !== undefined ? { incidentId: query.incident } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: query.limit ?? DEFAULT_ALERT_LOG_LIMIT,
      });
      const attempts = await deps.store.listAlertAttempts(deliveries.map((d) => d.id));
      return deliveries.map((d) => toEntry(d, attempts.get(d.id) ?? []));
    },
  };
}

function toEntry(delivery: AlertDelivery, attemptHistory: AlertAttempt[]): AlertLogEntry {
  const { event } = delivery;
  const status = logStatus(delivery);
  return {
    id: delivery.id,
    at: delivery.createdAt,
    monitor: 'monitor' in event ? { id: event.monitor.id, name: event.monitor.name } : null,
    node: 'node' in event ? { id: event.node.id, name: event.node.name } : null,
    incidentId: delivery.incidentId,
    kind: event.kind,
    route:
      delivery.target === null
        ? redactAlertRoute({ channel: delivery.channel, settings: delivery.settings })
        : { target: delivery.target, events: null, repeatEveryMs: null, escalateAfterMs: null },
    status,
    reason: delivery.reason,
    lastError: delivery.lastError,
    attempts: delivery.attempts,
    nextAttemptAt: status === 'pending' || status === 'retrying' ? delivery.nextAttemptAt : null,
    sentAt: delivery.sentAt,
    attemptHistory,
    message: event.message,
  };
}

function logStatus(delivery: AlertDelivery): AlertLogStatus {
  if (delivery.status === 'pending' && delivery.attempts > 0) return 'retrying';
  return delivery.status;
}
