import type { Logger } from 'pino';
import { monitorRoutes, type ResolvedRoute, type RoutingSnapshot } from '../../alerts/routing.ts';
import { groupTimedPage, groupViewOf, routeIdentity } from './group-pages.ts';
import { dueTimedPages, type TimedPage } from '../../alerts/timed-pages.ts';
import type { AlertDelivery, MonitorAlertEvent } from '../../domain/alert.ts';
import type { Incident } from '../../domain/incident.ts';
import type { InMaintenance } from '../../domain/maintenance.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { monitorRef } from '../../domain/monitor.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import { formatDuration } from '../../lib/duration.ts';
import type { Store } from '../../store/types.ts';
import type { Decision } from './ingest.ts';

export interface TimedPagesDeps {
  store: Pick<Store, 'listIncidents' | 'getCauseGroup'>;
  clock: Clock;
  logger: Logger;
  monitors(): ReadonlyMap<string, Monitor>;
  routing(): RoutingSnapshot;
  /** Whether the monitor is flapping now (one page stands for the storm: no reminders). */
  flapping(monitorId: string): boolean;
  /** Stores the pages through the one writer (ingest); replays insert nothing twice. */
  decide(decision: Decision): void;
  newId(): string;
  /** The maintenance window covering a monitor now: nothing pages while one does. */
  inMaintenance?: InMaintenance;
  /**
   * How often open incidents are looked at. Default 1 s: a page is due at most that late, a
   * tenth of the shortest repeat (10 s); a tick is one read of the open incidents.
   */
  intervalMs?: number;
}

export interface TimedPagesRunner {
  start(): void;
  stop(): void;
  /** Looks now (tests, and after an acknowledgement there is nothing to do: it only stops pages). */
  tick(): Promise<void>;
}

/**
 * Re-notifications and escalations: every second, each open, unacknowledged incident's
 * routes are asked (pure `dueTimedPages`) which pages are due, and those are stored as
 * deliveries keyed by incident, route and page, so a page is stored once however often this
 * runs or restarts. Paused and flapping monitors get no reminders, and nothing pages for an
 * incident that opened in a maintenance window (its first page was suppressed) or while one
 * covers the monitor (reminders resume after it).
 */
export function createTimedPagesRunner(deps: TimedPagesDeps): TimedPagesRunner {
  const log = deps.logger.child({ component: 'alerts/timed-pages' });
  const intervalMs = deps.intervalMs ?? 1000;
  let timer: TimerHandle | undefined;
  let running = false;
  let ticking: Promise<void> | null = null;

  async function tick(): Promise<void> {
    const now = deps.clock.now();
    const open = await deps.store.listIncidents({ active: true });
    const alerts: AlertDelivery[] = [];
    const grouped = new Map<string, Incident[]>();
    for (const incident of open) {
      // A linked incident's parent pages for it; a grouped one's group does (below).
      if (incident.causedBy !== null) continue;
      if (incident.groupId !== null) {
        grouped.set(incident.groupId, [...(grouped.get(incident.groupId) ?? []), incident]);
        continue;
      }
      alerts.push(...incidentPagesDue(incident, now));
    }
    for (const [groupId, members] of grouped)
      alerts.push(...(await groupPagesDue(groupId, members, now)));
    if (alerts.length > 0) {
      deps.decide({ states: [], alerts });
      log.debug({ pages: alerts.length }, 'timed pages stored');
    }
  }

  /** One incident's own reminders and escalations. */
  function incidentPagesDue(incident: Incident, now: number): AlertDelivery[] {
    const monitor = deps.monitors().get(incident.monitorId);
    if (monitor === undefined || !mayPage(monitor, incident, now)) return [];
    const routes = monitorRoutes(monitor, incident.verdict, deps.routing(), {
      includeEscalations: true,
    });
    const pages = dueTimedPages(
      {
        id: incident.id,
        openedAt: incident.openedAt,
        acknowledged: incident.acknowledgement !== null,
      },
      routes,
      now,
    );
    return pages.map((page) => pageDelivery(monitor, incident, page, now, deps.newId()));
  }

  /**
   * A paged group's reminders and escalations, on the routes of its members that may page now;
   * someone acknowledging any member's incident acknowledges the outage they share. The members
   * of a group that dissolved paged on their own, and are reminded on their own.
   */
  async function groupPagesDue(
    groupId: string,
    members: readonly Incident[],
    now: number,
  ): Promise<AlertDelivery[]> {
    const stored = await deps.store.getCauseGroup(groupId);
    if (stored === undefined || stored.group.state === 'dissolved')
      return members.flatMap((incident) => incidentPagesDue(incident, now));
    // Collecting: its page is still held; closed: none of these is open any more.
    if (stored.group.state !== 'paged') return [];
    const routes = new Map<string, ResolvedRoute>();
    let type: Monitor['type'] | null = null;
    for (const incident of members) {
      const monitor = deps.monitors().get(incident.monitorId);
      if (monitor === undefined || !mayPage(monitor, incident, now)) continue;
      type ??= monitor.type;
      const own = monitorRoutes(monitor, stored.group.verdict, deps.routing(), {
        includeEscalations: true,
      });
      for (const route of own) routes.set(routeIdentity(route), route);
    }
    if (type === null) return [];
    const group = groupViewOf(
      stored,
      (id) => deps.monitors().get(id)?.name ?? id,
      () => [],
    );
    const pages = dueTimedPages(
      {
        id: groupId,
        openedAt: stored.group.pagedAt ?? stored.group.openedAt,
        acknowledged: members.some((m) => m.acknowledgement !== null),
      },
      [...routes.values()],
      now,
    );
    return pages.map((page) => groupTimedPage({ group, type, now }, page, deps.newId()));
  }

  function mayPage(monitor: Monitor, incident: Incident, now: number): boolean {
    if (monitor.paused || deps.flapping(monitor.id) || incident.maintenance !== null) return false;
    const { id, group, tags } = monitor;
    return (deps.inMaintenance?.({ kind: 'monitor', id, group, tags }, now) ?? null) === null;
  }

  function schedule(): void {
    if (!running) return;
    timer = deps.clock.setTimeout(() => {
      ticking = tick()
        .catch((error: unknown) =>
          log.error({ err: error }, 'checking re-notify and escalation failed'),
        )
        .finally(() => {
          ticking = null;
          schedule();
        });
    }, intervalMs);
    timer.unref?.();
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timer = undefined;
    },
    async tick() {
      if (ticking !== null) await ticking;
      await tick();
    },
  };
}

/** A reminder or escalation as a stored delivery of the incident's verdict. */
export function pageDelivery(
  monitor: Monitor,
  incident: Incident,
  page: TimedPage,
  now: number,
  id: string,
): AlertDelivery {
  const kind = incident.verdict;
  const open = formatDuration(now - incident.startedAt);
  const message =
    page.kind === 'escalation'
      ? `Escalated: ${kind} for ${open} and not acknowledged (${incident.cause})`
      : `Still ${kind} after ${open}, not acknowledged — reminder ${page.sequence} (${incident.cause})`;
  const event: MonitorAlertEvent = {
    kind,
    idempotencyKey: `${monitor.id}:${incident.id}~${page.key}~${page.route.key}:${kind}`,
    monitor: monitorRef(monitor),
    incident: {
      id: incident.id,
      startedAt: incident.startedAt,
      endedAt: null,
      durationMs: null,
      cause: incident.cause,
    },
    verdict: kind,
    regions: incident.regions,
    evidence: [],
    message,
    occurredAt: now,
  };
  return {
    id,
    deliveryKey: `${monitor.id}:${incident.id}:${kind}:${page.key}:${page.route.key}`,
    monitorId: monitor.id,
    incidentId: incident.id,
    nodeId: null,
    followsId: null,
    target: page.route.target,
    channel: page.route.channel,
    settings: page.route.settings,
    event,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    reason: page.kind === 'escalation' ? 'escalation-unacknowledged' : 'repeat-unacknowledged',
    lastError: null,
    providerRef: null,
    createdAt: now,
    sentAt: null,
  };
}
