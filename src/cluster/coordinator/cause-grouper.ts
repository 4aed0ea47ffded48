import type { ResolvedRoute, RoutingSnapshot } from '../../alerts/routing.ts';
import { monitorRoutes } from '../../alerts/routing.ts';
import { sharedCausesOf } from '../../checks/registry.ts';
import type { AlertDelivery } from '../../domain/alert.ts';
import { OPENING_ALERT_KINDS } from '../../domain/alert.ts';
import type { GroupingSettings, SharedCause, StoredCauseGroup } from '../../domain/cause-group.ts';
import { sharedCauseKey } from '../../domain/cause-group.ts';
import type { IncidentVerdict } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { GroupingWrites } from '../../store/ingest-batch.ts';
import { emptyGroupingWrites, groupingWritesEmpty } from '../../store/ingest-batch.ts';
import type {
  GroupView,
  GroupingState,
  GroupingTick,
  MemberEndStep,
} from '../../consensus/cause-grouping.ts';
import {
  groupingState,
  groupMemberEnded,
  groupMonitorRemoved,
  groupOpening,
  groupingTick,
} from '../../consensus/cause-grouping.ts';
import type { Decision } from './ingest.ts';
import {
  groupClosing,
  groupPageDeliveries,
  groupRecord,
  groupViewOf,
  routeIdentity,
} from './group-pages.ts';
import { createSharedCauseIndex } from './shared-cause-index.ts';

// The I/O shell around `consensus/cause-grouping.ts`: it sees each step's decision before it is
// stored (holding, grouping or leaving its opening pages), ticks collecting groups, and writes
// the groups, their pages and closings with the same ingest as everything else.

export interface CauseGrouperDeps {
  logger: Logger;
  settings: GroupingSettings;
  /** Groups still collecting or paged when the coordinator started. */
  stored: readonly StoredCauseGroup[];
  monitors(): ReadonlyMap<string, Monitor>;
  routing(): RoutingSnapshot;
  /** Failing without a verdict yet: a round asks, a suspicion awaits one, or its last result failed. */
  judging(monitorId: string): boolean;
  newId(prefix: 'grp' | 'dlv'): string;
  /** Stores a decision (the ingestor's `decide`). */
  decide(decision: Decision): void;
  refreshMs: number;
}

export interface CauseGrouper {
  /** Rewrites a step's decision before it is stored: held, grouped or left as it is. */
  review(monitor: Monitor, decision: Decision, now: number): void;
  /** Decides collecting groups whose wait is over (or whose peers are all judged). */
  tick(now: number): void;
  monitorRemoved(monitorId: string, now: number): void;
  /** Groups open now (for tests and metrics). */
  open(): readonly GroupView[];
}

/** At most this many peers are counted per cause: enough to compare causes, bounded work. */
const PEER_COUNT_CAP = 1_000;

export function createCauseGrouper(deps: CauseGrouperDeps): CauseGrouper {
  const log = deps.logger.child({ part: 'grouping' });
  const index = createSharedCauseIndex(() => deps.monitors(), causesOf, deps.refreshMs);
  let state: GroupingState = groupingState(deps.stored.map((s) => resume(s)));

  function causesOf(monitor: Monitor): SharedCause[] {
    const own = sharedCausesOf(monitor.type, monitor.target, monitor.options);
    return monitor.group === null ? own : [...own, { kind: 'group', value: monitor.group }];
  }

  function routesOf(monitor: Monitor | undefined, verdict: IncidentVerdict): ResolvedRoute[] {
    return monitor === undefined ? [] : monitorRoutes(monitor, verdict, deps.routing());
  }

  function resume(stored: StoredCauseGroup): GroupView {
    const monitors = deps.monitors();
    return groupViewOf(
      stored,
      (id) => monitors.get(id)?.name ?? id,
      (id) => routesOf(monitors.get(id), stored.group.verdict).map(routeIdentity),
    );
  }

  function failingPeers(cause: SharedCause, now: number): number {
    let count = 0;
    for (const monitorId of index.sharing(cause, now)) {
      if (deps.judging(monitorId) && ++count >= PEER_COUNT_CAP) break;
    }
    return count;
  }

  function typeOf(group: GroupView): Monitor['type'] {
    const first = group.members.find((m) => deps.monitors().has(m.monitorId));
    return first === undefined ? 'http' : (deps.monitors().get(first.monitorId)?.type ?? 'http');
  }

  /** The group's page on these routes (identities), resolved through the members' routes. */
  function pages(group: GroupView, identities: readonly string[], now: number): AlertDelivery[] {
    if (identities.length === 0) return [];
    const wanted = new Set(identities);
    const routes = new Map<string, ResolvedRoute>();
    for (const member of group.members) {
      for (const route of routesOf(deps.monitors().get(member.monitorId), group.verdict)) {
        const id = routeIdentity(route);
        if (wanted.has(id) && !routes.has(id)) routes.set(id, route);
      }
    }
    return groupPageDeliveries({ group, type: typeOf(group), now }, [...routes.values()], () =>
      deps.newId('dlv'),
    );
  }

  function ended(writes: GroupingWrites, step: MemberEndStep, now: number): void {
    state = step.state;
    if (step.group === null) return;
    writes.groups.push(groupRecord(step.group));
    if (step.closed) close(writes, step.group, now);
  }

  function close(writes: GroupingWrites, group: GroupView, now: number): void {
    writes.followUps.push(groupClosing({ group, type: typeOf(group), now }, deps.newId('dlv')));
    log.info(
      { groupId: group.id, cause: sharedCauseKey(group.cause), monitors: group.members.length },
      'cause group closed: every member ended',
    );
  }

  function reviewOpenings(
    monitor: Monitor,
    decision: Decision,
    now: number,
    writes: GroupingWrites,
  ): void {
    const openings = new Map<string, AlertDelivery[]>();
    for (const alert of decision.alerts ?? []) {
      if (alert.status !== 'pending' || alert.incidentId === null) continue;
      if (!(OPENING_ALERT_KINDS as readonly string[]).includes(alert.event.kind)) continue;
      openings.set(alert.incidentId, [...(openings.get(alert.incidentId) ?? []), alert]);
    }
    for (const [incidentId, alerts] of openings) {
      const first = alerts[0];
      if (first === undefined || !('monitor' in first.event)) continue;
      const verdict: IncidentVerdict = first.event.kind === 'regional' ? 'regional' : 'down';
      const step = groupOpening(
        state,
        {
          monitorId: monitor.id,
          name: monitor.name,
          incidentId,
          verdict,
          regions: 'regions' in first.event ? first.event.regions : [],
          causes: causesOf(monitor),
          routes: routesOf(monitor, verdict).map(routeIdentity),
        },
        {
          now,
          settings: deps.settings,
          failingPeers: (cause) => failingPeers(cause, now),
          newId: () => deps.newId('grp'),
        },
      );
      state = step.state;
      const d = step.decision;
      if (d.action === 'alone') continue;
      writes.groups.push(groupRecord(d.group));
      writes.joined.push({ incidentId, groupId: d.group.id });
      for (const alert of alerts) {
        if (d.action === 'hold') alert.status = 'held';
        else {
          alert.status = 'suppressed';
          alert.reason = 'grouped';
        }
      }
      if (d.action === 'join') writes.alerts.push(...pages(d.group, d.newRoutes, now));
      // A mass outage joins thousands: only a group's start is worth an info line.
      const fields = { monitorId: monitor.id, incidentId, groupId: d.group.id, action: d.action };
      if (d.group.members.length === 1)
        log.info(
          { ...fields, cause: sharedCauseKey(d.group.cause) },
          'page held: others sharing its cause are failing',
        );
      else log.debug(fields, 'incident joined its cause group');
    }
  }

  function applyTick(result: GroupingTick, now: number): GroupingWrites {
    const writes = emptyGroupingWrites();
    for (const { group, routes } of result.formed) {
      writes.groups.push(groupRecord(group));
      writes.alerts.push(...pages(group, routes, now));
      for (const m of group.members)
        writes.released.push({ incidentId: m.incidentId, status: 'suppressed', at: now });
      log.info(
        {
          groupId: group.id,
          cause: sharedCauseKey(group.cause),
          monitors: group.members.length,
          routes: routes.length,
        },
        'cause group paged once for its monitors',
      );
    }
    for (const group of result.dissolved) {
      log.info(
        { groupId: group.id, cause: sharedCauseKey(group.cause), monitors: group.members.length },
        'cause group dissolved: too few failed together, each pages on its own',
      );
      writes.groups.push(groupRecord(group));
      for (const m of group.members)
        writes.released.push({ incidentId: m.incidentId, status: 'pending', at: now });
    }
    for (const group of result.closed) close(writes, group, now);
    return writes;
  }

  function store(writes: GroupingWrites): void {
    if (!groupingWritesEmpty(writes)) deps.decide({ states: [], grouping: writes });
  }

  return {
    review(monitor, decision, now) {
      const writes = emptyGroupingWrites();
      for (const r of decision.incidentsResolved ?? [])
        ended(writes, groupMemberEnded(state, r.id, r.resolvedAt, 'recovered'), now);
      for (const r of decision.incidentsRetracted ?? [])
        ended(writes, groupMemberEnded(state, r.id, r.retractedAt, 'retracted'), now);
      reviewOpenings(monitor, decision, now, writes);
      if (!groupingWritesEmpty(writes)) decision.grouping = writes;
    },
    tick(now) {
      if (state.groups.size === 0) return;
      const result = groupingTick(state, {
        now,
        settings: deps.settings,
        failingPeers: (cause) => failingPeers(cause, now),
      });
      state = result.state;
      store(applyTick(result, now));
    },
    monitorRemoved(monitorId, now) {
      const writes = emptyGroupingWrites();
      for (const step of groupMonitorRemoved(state, monitorId, now)) ended(writes, step, now);
      store(writes);
    },
    open: () => [...state.groups.values()],
  };
}
