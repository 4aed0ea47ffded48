import type { InMaintenance } from '../../domain/maintenance.ts';
import type { AlertRoute } from '../../domain/alert-target.ts';
import type { RoutingSnapshot } from '../../alerts/routing.ts';
import { nodeAlertDeliveries } from './node-alerts.ts';
import type { AlertDelivery, NodeAlertEvent } from '../../domain/alert.ts';
import type { ClusterNode, MembershipState } from '../../domain/node.ts';
import { isVantageOf } from '../../domain/node.ts';
import { formatDuration } from '../../lib/duration.ts';
import { isFenced } from '../../lib/errors.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import type { MemberView, MembershipPolicy, MembershipTransition } from '../membership.ts';
import { membershipTransitions, nodeAlertKind } from '../membership.ts';

/** Keeps each member's liveness in memory and records state transitions in the store. */
export interface MembershipTracker {
  /** Loads the members; call once before start. */
  load(): Promise<void>;
  /**
   * Starts judging liveness; `listeningSince` is when the peer listener began accepting
   * connections (grace periods count from there, never from before).
   */
  start(listeningSince: number): void;
  stop(): void;
  added(node: ClusterNode): void;
  removed(nodeId: string): void;
  /** A message arrived from the node. */
  seen(nodeId: string, at: number): void;
  setConnected(nodeId: string, connected: boolean): void;
  state(nodeId: string): MembershipState | undefined;
  /** Every member with its name, region and current state (for metrics). */
  members(): Iterable<{ id: string; name: string; region: string | null; state: MembershipState }>;
  lastSeen(nodeId: string): number | null;
  /** Runs one evaluation now (also used by tests); judges nobody before `start`. */
  evaluate(): Promise<MembershipTransition[]>;
}

export interface MembershipTrackerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  policy: MembershipPolicy;
  /** The coordinator itself: always online while it runs. */
  selfId: string;
  /** Alert targets as they are now, for node alert routes that name one. */
  routing?: () => RoutingSnapshot;
  newId: (prefix: 'nev' | 'dlv') => string;
  /** Node alerts were stored: the dispatcher should look. */
  onAlerts?: (alerts: readonly AlertDelivery[]) => void;
  onTransition?: (transition: MembershipTransition & { at: number }) => void;
  /** The maintenance window covering a node now: its alerts are recorded suppressed. */
  inMaintenance?: InMaintenance;
}

/** What the tracker keeps per node: the pure view plus what alerts need. */
type Member = MemberView & { name: string; region: string | null; wasOnline: boolean };

function memberOf(node: ClusterNode, connected: boolean): Member {
  return {
    nodeId: node.id,
    name: node.name,
    region: node.region,
    state: node.state,
    lastSeen: node.lastSeen,
    enrolledAt: node.enrolledAt,
    connected,
    // A node that never sent anything was never online, so it is never paged as missing.
    wasOnline: node.lastSeen !== null,
  };
}

/** Builds the tracker; the pure rules live in `membership.ts`. */
export function createMembershipTracker(deps: MembershipTrackerDeps): MembershipTracker {
  const { store, clock, policy } = deps;
  const log = deps.logger.child({ part: 'membership' });
  const members = new Map<string, Member>();
  let timer: TimerHandle | undefined;
  let running: Promise<MembershipTransition[]> | undefined;
  // Unset until the peer listener accepts connections: before that no node could reach us.
  let listeningSince: number | undefined;

  async function evaluate(): Promise<MembershipTransition[]> {
    if (listeningSince === undefined) return [];
    const now = clock.now();
    const self = members.get(deps.selfId);
    if (self) Object.assign(self, { lastSeen: now, connected: true });
    const transitions = membershipTransitions(members.values(), now, policy, listeningSince);
    if (transitions.length === 0) return transitions;
    const changes = transitions.map((t) => ({ ...t, at: now, eventId: deps.newId('nev') }));
    const alerting = changes.filter((c) => nodeAlertKind(c) !== null);
    const routes = alerting.length > 0 ? await store.nodeAlertRoutes() : [];
    const alerts = alerting.flatMap((change) => alertsFor(change, routes, now));
    await store.applyNodeStateChanges(changes, alerts);
    if (alerts.length > 0) deps.onAlerts?.(alerts);
    for (const t of transitions) {
      const member = members.get(t.nodeId);
      if (member) {
        member.state = t.to;
        if (t.to === 'online') member.wasOnline = true;
      }
      const level = t.to === 'missing' ? 'warn' : 'info';
      log[level]({ nodeId: t.nodeId, from: t.from, to: t.to }, `node ${t.to}`);
      deps.onTransition?.({ ...t, at: now });
    }
    return transitions;
  }

  function alertsFor(
    change: MembershipTransition & { eventId: string },
    routes: readonly AlertRoute[],
    now: number,
  ): AlertDelivery[] {
    const kind = nodeAlertKind(change);
    const member = members.get(change.nodeId);
    // A node enrolled but never started has not gone anywhere: recorded, not paged.
    if (kind === null || member === undefined || !member.wasOnline) return [];
    const where = member.region === null ? '' : ` (${member.region})`;
    const silent = now - (member.lastSeen ?? member.enrolledAt);
    const event: NodeAlertEvent = {
      kind,
      idempotencyKey: `node:${change.nodeId}:${change.eventId}:${kind === 'node-missing' ? 'missing' : 'online'}`,
      node: { id: change.nodeId, name: member.name, region: member.region },
      from: change.from,
      to: change.to,
      message:
        kind === 'node-missing'
          ? `node ${member.name}${where} is missing: nothing heard for ${formatDuration(silent)}`
          : `node ${member.name}${where} is back online`,
      occurredAt: now,
    };
    const maintenance = deps.inMaintenance?.({ kind: 'node', name: member.name }, now) ?? null;
    return nodeAlertDeliveries(
      event,
      routes,
      now,
      () => deps.newId('dlv'),
      deps.routing?.(),
      maintenance,
    );
  }

  function tick(): void {
    running ??= evaluate()
      .catch((error: unknown) => {
        if (isFenced(error)) {
          // Judging membership is the new leader's job now: stop, rather than be refused on
          // every tick until the leader plane is stopped.
          log.warn({ err: error }, 'not the leader any more: membership judgement stopped');
          if (timer !== undefined) clock.clearTimeout(timer);
          timer = undefined;
        } else log.error({ err: error }, 'membership evaluation failed');
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    timer = clock.setTimeout(tick, Math.max(100, Math.floor(policy.heartbeatMs / 2)));
  }

  return {
    async load() {
      for (const node of await store.listNodes()) {
        if (isVantageOf(node, deps.selfId))
          members.set(node.id, memberOf(node, node.id === deps.selfId));
      }
    },
    start(since) {
      listeningSince = since;
      if (timer === undefined) tick();
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    added(node) {
      if (isVantageOf(node, deps.selfId)) members.set(node.id, memberOf(node, false));
    },
    removed(nodeId) {
      members.delete(nodeId);
    },
    seen(nodeId, at) {
      const member = members.get(nodeId);
      if (member) member.lastSeen = Math.max(member.lastSeen ?? 0, at);
    },
    setConnected(nodeId, connected) {
      const member = members.get(nodeId);
      if (member) member.connected = connected;
    },
    state: (nodeId) => members.get(nodeId)?.state,
    *members() {
      for (const m of members.values())
        yield { id: m.nodeId, name: m.name, region: m.region, state: m.state };
    },
    lastSeen: (nodeId) => members.get(nodeId)?.lastSeen ?? null,
    evaluate,
  };
}
