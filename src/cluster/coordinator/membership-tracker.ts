import type { ClusterNode, MembershipState } from '../../domain/node.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import type { MemberView, MembershipPolicy, MembershipTransition } from '../membership.ts';
import { membershipTransitions } from '../membership.ts';

/** Keeps each member's liveness in memory and records state transitions in the store. */
export interface MembershipTracker {
  /** Loads the members; call once before start. */
  load(): Promise<void>;
  start(): void;
  stop(): void;
  added(node: ClusterNode): void;
  removed(nodeId: string): void;
  /** A message arrived from the node. */
  seen(nodeId: string, at: number): void;
  setConnected(nodeId: string, connected: boolean): void;
  state(nodeId: string): MembershipState | undefined;
  lastSeen(nodeId: string): number | null;
  /** Runs one evaluation now (also used by tests). */
  evaluate(): Promise<MembershipTransition[]>;
}

export interface MembershipTrackerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  policy: MembershipPolicy;
  /** The coordinator itself: always online while it runs. */
  selfId: string;
  newEventId: () => string;
  onTransition?: (transition: MembershipTransition & { at: number }) => void;
}

/** Builds the tracker; the pure rules live in `membership.ts`. */
export function createMembershipTracker(deps: MembershipTrackerDeps): MembershipTracker {
  const { store, clock, policy } = deps;
  const log = deps.logger.child({ part: 'membership' });
  const members = new Map<string, MemberView>();
  let timer: TimerHandle | undefined;
  let running: Promise<MembershipTransition[]> | undefined;

  async function evaluate(): Promise<MembershipTransition[]> {
    const now = clock.now();
    const self = members.get(deps.selfId);
    if (self) Object.assign(self, { lastSeen: now, connected: true });
    const transitions = membershipTransitions(members.values(), now, policy);
    if (transitions.length === 0) return transitions;
    await store.applyNodeStateChanges(
      transitions.map((t) => ({ ...t, at: now, eventId: deps.newEventId() })),
    );
    for (const t of transitions) {
      const member = members.get(t.nodeId);
      if (member) member.state = t.to;
      const level = t.to === 'missing' ? 'warn' : 'info';
      log[level]({ nodeId: t.nodeId, from: t.from, to: t.to }, `node ${t.to}`);
      deps.onTransition?.({ ...t, at: now });
    }
    return transitions;
  }

  function tick(): void {
    running ??= evaluate()
      .catch((error: unknown) => {
        log.error({ err: error }, 'membership evaluation failed');
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
        members.set(node.id, {
          nodeId: node.id,
          state: node.state,
          lastSeen: node.lastSeen,
          enrolledAt: node.enrolledAt,
          connected: node.id === deps.selfId,
        });
      }
    },
    start() {
      if (timer === undefined) tick();
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    added(node) {
      members.set(node.id, {
        nodeId: node.id,
        state: node.state,
        lastSeen: node.lastSeen,
        enrolledAt: node.enrolledAt,
        connected: false,
      });
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
    lastSeen: (nodeId) => members.get(nodeId)?.lastSeen ?? null,
    evaluate,
  };
}
