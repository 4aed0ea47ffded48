import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { MembershipState } from '../domain/node.ts';
import type { MemberView, MembershipPolicy } from './membership.ts';
import { membershipState, membershipTransitions, nodeAlertKind } from './membership.ts';

const policy = { heartbeatMs: 1_000, graceCount: 5 };
const view = (overrides: Partial<MemberView> = {}): MemberView => ({
  nodeId: 'node_a',
  state: 'online',
  lastSeen: 10_000,
  enrolledAt: 0,
  connected: true,
  ...overrides,
});

describe('membershipState', () => {
  it('is online while connected and heard from within two heartbeats', () => {
    assert.equal(membershipState(view(), 10_000, policy, 0), 'online');
    assert.equal(membershipState(view(), 12_000, policy, 0), 'online');
    assert.equal(membershipState(view(), 12_001, policy, 0), 'grace');
  });

  it('goes to grace as soon as the channel drops, missing after the grace count', () => {
    assert.equal(membershipState(view({ connected: false }), 10_001, policy, 0), 'grace');
    assert.equal(membershipState(view({ connected: false }), 15_000, policy, 0), 'grace');
    assert.equal(membershipState(view({ connected: false }), 15_001, policy, 0), 'missing');
  });

  it('counts from enrolment when a node never spoke', () => {
    const silent = view({ lastSeen: null, connected: false, enrolledAt: 1_000, state: 'grace' });
    assert.equal(membershipState(silent, 5_000, policy, 0), 'grace');
    assert.equal(membershipState(silent, 7_000, policy, 0), 'missing');
  });

  it('stays missing while only stale frames arrive without a channel', () => {
    const stale = view({ state: 'missing', lastSeen: 100_000, connected: false });
    assert.equal(membershipState(stale, 100_010, policy, 0), 'missing');
  });

  it('a missing node that reconnects and speaks is online again', () => {
    const back = view({ state: 'missing', lastSeen: 100_000, connected: true });
    assert.deepEqual(membershipTransitions([back], 100_010, policy, 0), [
      { nodeId: 'node_a', from: 'missing', to: 'online' },
    ]);
  });

  it('properties: online needs a channel; missing exactly past the grace window; monotone silence', () => {
    const states = fc.constantFrom('online' as const, 'grace' as const, 'missing' as const);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.boolean(),
        states,
        fc.integer({ min: 100, max: 10_000 }),
        fc.integer({ min: 2, max: 20 }),
        (lastSeen, silence, more, connected, state, heartbeatMs, graceCount) => {
          const p = { heartbeatMs, graceCount };
          const v = view({ lastSeen, connected, state });
          const now = lastSeen + silence;
          const s = membershipState(v, now, p, 0);
          if (s === 'online') assert.equal(connected, true);
          const stuck = state === 'missing' && !connected;
          assert.equal(s === 'missing', stuck || silence > graceCount * heartbeatMs);
          // More silence never makes a node look healthier.
          const rank = { online: 0, grace: 1, missing: 2 };
          assert.ok(rank[membershipState(v, now + more, p, 0)] >= rank[s]);
          // Transitions report exactly the members whose state changed.
          const t = membershipTransitions([v], now, p, 0);
          assert.equal(t.length, s === state ? 0 : 1);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

/** One node's life across a coordinator restart, through the pure rule at the given instants. */
interface RestartRun {
  /** The state stored before the crash. */
  persisted: MembershipState;
  /** Its last message before the crash (null: it never spoke). */
  lastSeen: number | null;
  /** When the restarted coordinator's peer listener opened. */
  listenAt: number;
  /** When the node's channel opens again (null: it stays away); it heartbeats every period after. */
  reconnectAt: number | null;
  /** Instants the tracker evaluates at (any order). */
  evaluations: number[];
}

/** Runs the tracker's loop over the pure rule and returns the alerts it raised, in order. */
function simulateRestart(run: RestartRun, p: MembershipPolicy) {
  const member: MemberView = {
    nodeId: 'node_a',
    state: run.persisted,
    lastSeen: run.lastSeen,
    enrolledAt: 0,
    connected: false,
  };
  const alerts: { kind: string; at: number }[] = [];
  for (const at of run.evaluations.toSorted((a, b) => a - b)) {
    if (run.reconnectAt !== null && at >= run.reconnectAt) {
      member.connected = true;
      const beats = Math.floor((at - run.reconnectAt) / p.heartbeatMs);
      member.lastSeen = run.reconnectAt + beats * p.heartbeatMs;
    }
    for (const t of membershipTransitions([member], at, p, run.listenAt)) {
      const kind = nodeAlertKind(t);
      if (kind !== null) alerts.push({ kind, at });
      member.state = t.to;
    }
  }
  return { alerts, state: member.state };
}

describe('membership across a coordinator restart', () => {
  const graceMs = policy.graceCount * policy.heartbeatMs;

  it('counts silence from when the listener opened, not from the last message before the crash', () => {
    const stored = view({ state: 'online', lastSeen: 1_000, connected: false });
    // Restarted and listening at 60 s: long silent, yet only in grace until 60 s + grace.
    assert.deepEqual(membershipTransitions([stored], 60_000, policy, 60_000), [
      { nodeId: 'node_a', from: 'online', to: 'grace' },
    ]);
    assert.equal(membershipState(stored, 60_000 + graceMs, policy, 60_000), 'grace');
    assert.equal(membershipState(stored, 60_001 + graceMs, policy, 60_000), 'missing');
    // Judged from the last message, as before, when that came after the listener opened.
    assert.equal(membershipState(stored, 15_001, policy, 0), 'missing');
  });

  const persistedAlive = fc.constantFrom('online' as const, 'grace' as const);
  const policies = fc.record({
    heartbeatMs: fc.integer({ min: 100, max: 10_000 }),
    graceCount: fc.integer({ min: 2, max: 20 }),
  });
  const instants = (max: number) => fc.array(fc.integer({ min: 0, max }), { maxLength: 40 });

  it('property: a node that reconnects within the grace period after listen raises no alert', () => {
    fc.assert(
      fc.property(
        policies,
        persistedAlive,
        fc.option(fc.integer({ min: 0, max: 1_000_000 })),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        instants(1_000),
        (p, persisted, seenBefore, downMs, within, offsets) => {
          const grace = p.graceCount * p.heartbeatMs;
          const lastSeen = seenBefore;
          const listenAt = (seenBefore ?? 0) + downMs;
          const reconnectAt = listenAt + Math.floor(within * grace);
          // Evaluations anywhere from listen to four grace periods on, one right at reconnect.
          const evaluations = [
            ...offsets.map((o) => listenAt + Math.floor((o / 1_000) * 4 * grace)),
            reconnectAt,
          ];
          const run = { persisted, lastSeen, listenAt, reconnectAt, evaluations };
          const { alerts, state } = simulateRestart(run, p);
          assert.deepEqual(alerts, []);
          assert.equal(state, 'online');
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('property: a node that stays away is reported missing exactly once, after the full grace', () => {
    fc.assert(
      fc.property(
        policies,
        fc.constantFrom('online' as const, 'grace' as const, 'missing' as const),
        fc.option(fc.integer({ min: 0, max: 1_000_000 })),
        fc.integer({ min: 0, max: 1_000_000 }),
        instants(1_000),
        (p, persisted, seenBefore, downMs, offsets) => {
          const grace = p.graceCount * p.heartbeatMs;
          const listenAt = (seenBefore ?? 0) + downMs;
          const evaluations = [
            ...offsets.map((o) => listenAt + Math.floor((o / 1_000) * 4 * grace)),
            listenAt + grace + 1,
          ];
          const run = { persisted, lastSeen: seenBefore, listenAt, reconnectAt: null, evaluations };
          const { alerts, state } = simulateRestart(run, p);
          assert.equal(state, 'missing');
          // A node stored missing was paged before the crash: not again.
          const expected = persisted === 'missing' ? 0 : 1;
          assert.equal(alerts.length, expected);
          for (const alert of alerts) {
            assert.equal(alert.kind, 'node-missing');
            assert.ok(
              alert.at > listenAt + grace,
              `paged at ${alert.at}, grace ends ${listenAt + grace}`,
            );
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('a node stored missing that comes back raises one node-online, never a second missing', () => {
    const run = {
      persisted: 'missing' as const,
      lastSeen: 1_000,
      listenAt: 50_000,
      reconnectAt: 52_000,
      evaluations: [50_000, 51_000, 52_000, 53_000, 70_000],
    };
    assert.deepEqual(simulateRestart(run, policy).alerts, [{ kind: 'node-online', at: 52_000 }]);
  });
});
