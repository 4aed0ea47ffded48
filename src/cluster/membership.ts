import type { NodeAlertKind } from '../domain/alert.ts';
import type { MembershipState } from '../domain/node.ts';

/** How the coordinator judges liveness: heartbeat period and missed heartbeats tolerated. */
export interface MembershipPolicy {
  heartbeatMs: number;
  /** Heartbeat periods of silence before a node is `missing` (at least 2). */
  graceCount: number;
}

export const DEFAULT_MEMBERSHIP_POLICY: MembershipPolicy = { heartbeatMs: 5_000, graceCount: 6 };

/** What the coordinator knows about one member at an instant. */
export interface MemberView {
  nodeId: string;
  state: MembershipState;
  /** Last message from the node; null before its first. */
  lastSeen: number | null;
  /** When it enrolled: the reference before any message arrived. */
  enrolledAt: number;
  /** Whether its channel is open right now. */
  connected: boolean;
}

/** A state change to record. */
export interface MembershipTransition {
  nodeId: string;
  from: MembershipState;
  to: MembershipState;
}

/**
 * When the member's current silence began, as the coordinator may hold it against the node: its
 * last message, or its enrolment before any. Never before the coordinator's peer listener opened:
 * while the coordinator was down or still starting nobody could reach it, so every node gets the
 * full grace period to reconnect from the moment it could.
 */
export function silentSince(view: MemberView, listeningSince: number): number {
  return Math.max(view.lastSeen ?? view.enrolledAt, listeningSince);
}

/**
 * The state a member is in: `online` while its channel is open and a heartbeat came within two
 * periods (one late heartbeat is normal jitter); `missing` once silent for `graceCount` periods,
 * and until it has an open channel again (stale frames of a dead connection do not bring it
 * back); `grace` in between, including right after the channel drops. Silence counts from
 * `silentSince`, so a state persisted before a coordinator restart is judged afresh: a member
 * stored `online` goes to `grace`, and to `missing` only a full grace period after the listener
 * opened.
 */
export function membershipState(
  view: MemberView,
  now: number,
  policy: MembershipPolicy,
  listeningSince: number,
): MembershipState {
  const silentMs = now - silentSince(view, listeningSince);
  if (view.state === 'missing' && !view.connected) return 'missing';
  if (view.connected && silentMs <= 2 * policy.heartbeatMs) return 'online';
  if (silentMs <= policy.graceCount * policy.heartbeatMs) return 'grace';
  return 'missing';
}

/** Every member whose state differs from what it was, with its new state. */
export function membershipTransitions(
  views: Iterable<MemberView>,
  now: number,
  policy: MembershipPolicy,
  listeningSince: number,
): MembershipTransition[] {
  const transitions: MembershipTransition[] = [];
  for (const view of views) {
    const to = membershipState(view, now, policy, listeningSince);
    if (to !== view.state) transitions.push({ nodeId: view.nodeId, from: view.state, to });
  }
  return transitions;
}

/** The alert a transition raises: going missing, or coming back from missing; others none. */
export function nodeAlertKind(transition: MembershipTransition): NodeAlertKind | null {
  if (transition.to === 'missing') return 'node-missing';
  if (transition.from === 'missing' && transition.to === 'online') return 'node-online';
  return null;
}
