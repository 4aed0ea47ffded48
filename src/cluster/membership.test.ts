import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { MemberView } from './membership.ts';
import { membershipState, membershipTransitions } from './membership.ts';

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
    assert.equal(membershipState(view(), 10_000, policy), 'online');
    assert.equal(membershipState(view(), 12_000, policy), 'online');
    assert.equal(membershipState(view(), 12_001, policy), 'grace');
  });

  it('goes to grace as soon as the channel drops, missing after the grace count', () => {
    assert.equal(membershipState(view({ connected: false }), 10_001, policy), 'grace');
    assert.equal(membershipState(view({ connected: false }), 15_000, policy), 'grace');
    assert.equal(membershipState(view({ connected: false }), 15_001, policy), 'missing');
  });

  it('counts from enrolment when a node never spoke', () => {
    const silent = view({ lastSeen: null, connected: false, enrolledAt: 1_000, state: 'grace' });
    assert.equal(membershipState(silent, 5_000, policy), 'grace');
    assert.equal(membershipState(silent, 7_000, policy), 'missing');
  });

  it('stays missing while only stale frames arrive without a channel', () => {
    const stale = view({ state: 'missing', lastSeen: 100_000, connected: false });
    assert.equal(membershipState(stale, 100_010, policy), 'missing');
  });

  it('a missing node that reconnects and speaks is online again', () => {
    const back = view({ state: 'missing', lastSeen: 100_000, connected: true });
    assert.deepEqual(membershipTransitions([back], 100_010, policy), [
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
          const s = membershipState(v, now, p);
          if (s === 'online') assert.equal(connected, true);
          const stuck = state === 'missing' && !connected;
          assert.equal(s === 'missing', stuck || silence > graceCount * heartbeatMs);
          // More silence never makes a node look healthier.
          const rank = { online: 0, grace: 1, missing: 2 };
          assert.ok(rank[membershipState(v, now + more, p)] >= rank[s]);
          // Transitions report exactly the members whose state changed.
          const t = membershipTransitions([v], now, p);
          assert.equal(t.length, s === state ? 0 : 1);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
