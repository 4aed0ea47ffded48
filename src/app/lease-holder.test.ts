import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeaderLease, LeaseState } from '../cluster/lease/types.ts';
import type { StoredLeaderLease } from '../store/types.ts';
import { leaseHolderView } from './lease-holder.ts';

function leaseOf(state: LeaseState): LeaderLease {
  return {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    current: () => state,
    leader: () => null,
  };
}

const NOW = 50_000;
const view = (state: LeaseState, row: StoredLeaderLease | null) =>
  leaseHolderView({
    store: { leaderLease: () => Promise.resolve(row) },
    lease: leaseOf(state),
    self: 'coord-a',
    now: () => NOW,
  })();

describe('who holds the leader lease', () => {
  it('is this coordinator while its own lease holds, whatever the row says', async () => {
    const row = { holder: 'coord-b', epoch: 3, acquiredAt: 1, expiresAt: NOW + 1 };
    assert.deepEqual(await view({ holding: true, epoch: 4, since: 40_000 }, row), {
      nodeId: 'coord-a',
      epoch: 4,
      since: 40_000,
    });
  });

  it('is the row’s holder while its lease runs, else nobody', async () => {
    const following: LeaseState = { holding: false, epoch: 2 };
    const row = { holder: 'coord-b', epoch: 3, acquiredAt: 42_000, expiresAt: NOW + 1 };
    assert.deepEqual(await view(following, row), { nodeId: 'coord-b', epoch: 3, since: 42_000 });
    assert.equal(await view(following, { ...row, expiresAt: NOW }), null, 'expired');
    assert.equal(await view(following, { ...row, holder: null }), null, 'released');
    // The row naming this coordinator while its own lease does not hold: it is not leading.
    assert.equal(await view(following, { ...row, holder: 'coord-a' }), null);
    assert.equal(await view(following, null), null, 'no row (SQLite never writes it)');
  });
});
