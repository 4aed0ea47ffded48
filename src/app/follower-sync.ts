import type {
  BatchCommittedBody,
  BusMessage,
  MonitorChangedBody,
} from '../cluster/bus/messages.ts';
import type { ClusterBus } from '../cluster/bus/types.ts';
import type { Incident } from '../domain/incident.ts';
import type { MonitorChange, MonitorChangeSink } from '../domain/monitor-change.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { Logger } from '../observability/logger.ts';
import type { EventSources } from '../services/events/event-sources.ts';
import type { CommittedBatchFacts, Store } from '../store/types.ts';
import type { CoordinatorOverview } from './coordinator-overview.ts';

/** Monitors named at once above which one full read beats one read per id. */
const READ_ALL_ABOVE = 50;
/** Opened incidents read at once (a mass outage opens thousands in one batch). */
const INCIDENT_READS = 50;

export interface FollowerSyncDeps {
  bus: ClusterBus;
  store: Pick<Store, 'getMonitor' | 'listMonitors' | 'statesOf' | 'listStates' | 'getIncident'>;
  overview: Pick<CoordinatorOverview, 'batchCommitted' | 'maintenanceChanged' | 'reload'>;
  events: Pick<
    EventSources,
    'batchCommitted' | 'nodeTransition' | 'alertRelayed' | 'incidentUpdatePosted'
  >;
  /**
   * The node's own change sink, NOT the publishing one: it updates the overview and events,
   * and on the leader the engine and the agent hub.
   */
  changes: MonitorChangeSink;
  /** The monitors this node holds now: what a resync compares the store with. */
  monitors: () => Iterable<Monitor>;
  /** Extra work on a maintenance change (the node's calendar re-read). */
  maintenanceChanged?: () => Promise<void>;
  /** Alert targets or rules changed elsewhere: re-read the routing the dispatcher sends by. */
  alertingChanged?: () => void;
  /** A push ping was recorded by another coordinator: re-read it and judge the monitor. */
  pushPinged?: (monitorId: string) => Promise<void>;
  now: () => number;
  logger: Logger;
}

export interface FollowerSync {
  /** Resolves once every message received so far is applied (tests, orderly stop). */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Applies what other coordinators announce on the bus to this one's live parts, one message
 * at a time in arrival order (each may read the store first). A message that cannot be
 * applied (the store out of reach) is logged and followed by a full reload.
 */
export function startFollowerSync(deps: FollowerSyncDeps): FollowerSync {
  const log = deps.logger.child({ component: 'follower-sync' });
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const unsubscribe = deps.bus.subscribe((message) => {
    chain = chain.then(() => applySafely(message));
  });

  async function applySafely(message: BusMessage): Promise<void> {
    if (stopped) return;
    try {
      await apply(message);
    } catch (error) {
      log.warn({ err: error, type: message.type, from: message.origin }, 'bus message not applied');
      if (message.type === 'resync') return;
      await resync().catch((again: unknown) =>
        log.error({ err: again }, 'reload after a lost bus message failed'),
      );
    }
  }

  async function apply(message: BusMessage): Promise<void> {
    switch (message.type) {
      case 'monitor-changed':
        return monitorsChanged(message);
      case 'batch-committed':
        return batchCommitted(message);
      case 'node-transition':
        deps.events.nodeTransition(message);
        return;
      case 'alert-decided':
        deps.events.alertRelayed({ type: 'alert.decision', ...message.decision });
        return;
      case 'incident-update-posted':
        deps.events.incidentUpdatePosted(message.update, message.monitorId);
        return;
      case 'maintenance-changed':
        deps.overview.maintenanceChanged();
        await deps.maintenanceChanged?.();
        return;
      case 'alerting-changed':
        deps.alertingChanged?.();
        return;
      case 'push-pinged':
        await deps.pushPinged?.(message.monitorId);
        return;
      case 'resync':
        return resync();
    }
  }

  async function monitorsChanged(body: MonitorChangedBody): Promise<void> {
    const found = await readMonitors(body.upserted);
    const known = new Set([...deps.monitors()].map((monitor) => monitor.id));
    const changes: MonitorChange[] = [];
    for (const id of body.upserted) {
      const monitor = found.get(id);
      // Deleted again since: gone here too (if it ever was).
      if (monitor !== undefined) changes.push({ type: 'upserted', monitor });
      else if (known.has(id)) changes.push({ type: 'removed', id });
    }
    for (const id of body.removed) if (known.has(id)) changes.push({ type: 'removed', id });
    deps.changes.publishAll(changes);
  }

  async function readMonitors(ids: readonly string[]): Promise<Map<string, Monitor>> {
    if (ids.length > READ_ALL_ABOVE) {
      const wanted = new Set(ids);
      const all = await deps.store.listMonitors();
      return new Map(all.filter((m) => wanted.has(m.id)).map((m) => [m.id, m]));
    }
    const found = new Map<string, Monitor>();
    for (const id of ids) {
      const monitor = await deps.store.getMonitor(id);
      if (monitor !== undefined) found.set(id, monitor);
    }
    return found;
  }

  async function batchCommitted(body: BatchCommittedBody): Promise<void> {
    const states = await deps.store.statesOf(body.states);
    const opened = await readIncidents(body.incidentsOpened);
    const facts: CommittedBatchFacts = {
      results: body.results.map(([id, monitorId, nodeId, status, latencyMs, checkedAt]) => ({
        id,
        monitorId,
        nodeId,
        status,
        latencyMs,
        checkedAt,
      })),
      states,
      incidentsOpened: opened,
      incidentsUpdated: body.incidentsUpdated,
      incidentsResolved: body.incidentsResolved,
      incidentsRetracted: body.incidentsRetracted,
      // Suppressed alerts go out as the decisions they were made into on the leader.
      alerts: [],
    };
    // Before the events go out, so a client refetching on one reads what it announced.
    deps.overview.batchCommitted(facts);
    deps.events.batchCommitted(facts, deps.now());
    for (const decision of body.suppressed)
      deps.events.alertRelayed({ type: 'alert.decision', ...decision });
  }

  async function readIncidents(ids: readonly string[]): Promise<Incident[]> {
    const incidents: Incident[] = [];
    for (let at = 0; at < ids.length; at += INCIDENT_READS) {
      const read = await Promise.all(
        ids.slice(at, at + INCIDENT_READS).map((id) => deps.store.getIncident(id)),
      );
      for (const incident of read) if (incident !== undefined) incidents.push(incident);
    }
    return incidents;
  }

  /**
   * Anything may have changed unannounced: the monitor set is compared with the store (the
   * changes go through the node's sink), the overview re-read, states diffed into events
   * (clients see the transitions they missed), calendars re-read.
   */
  async function resync(): Promise<void> {
    log.info('reloading live state from the store');
    const stored = await deps.store.listMonitors();
    const held = new Map([...deps.monitors()].map((monitor) => [monitor.id, monitor]));
    const changes: MonitorChange[] = [];
    const storedIds = new Set<string>();
    for (const monitor of stored) {
      storedIds.add(monitor.id);
      if (held.get(monitor.id)?.updatedAt !== monitor.updatedAt)
        changes.push({ type: 'upserted', monitor });
    }
    for (const id of held.keys()) if (!storedIds.has(id)) changes.push({ type: 'removed', id });
    deps.changes.publishAll(changes);
    await deps.overview.reload();
    const states = await deps.store.listStates();
    deps.events.batchCommitted(
      { results: [], states, incidentsOpened: [], incidentsResolved: [], alerts: [] },
      deps.now(),
    );
    deps.overview.maintenanceChanged();
    await deps.maintenanceChanged?.();
    deps.alertingChanged?.();
  }

  return {
    idle: async () => {
      // Messages may arrive while the chain drains: wait until it stays put.
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await seen;
      }
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
