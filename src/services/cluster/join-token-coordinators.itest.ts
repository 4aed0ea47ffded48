import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  listCoordinatorAddresses,
  recordCoordinatorAddress,
} from '../../cluster/coordinator-addresses.ts';
import { parseJoinToken } from '../../cluster/join-token.ts';
import { createClusterCa } from '../../cluster/pki/ca.ts';
import { systemClock } from '../../lib/clock.ts';
import { makeNode } from '../../store/contract/cluster.ts';
import type { Store } from '../../store/types.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createClusterService } from './cluster-service.ts';
import type { ClusterService } from './cluster-service.ts';

/** Join tokens name every coordinator that recorded its address, so a new node finds the leader. */
describe('join tokens name the other coordinators', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let service: ClusterService;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertNode(makeNode('node_c1', { role: 'coordinator', name: 'coord-1' }));
    await store.insertNode(makeNode('node_c2', { role: 'coordinator', name: 'coord-2' }));
    await store.insertNode(makeNode('node_c3', { role: 'coordinator', name: 'coord-3' }));
    await store.insertNode(makeNode('node_a1', { name: 'agent-1' }));
    await recordCoordinatorAddress(store, 'node_c1', 'c1.example:7433');
    await recordCoordinatorAddress(store, 'node_c2', 'c2.example:7433');
    // An agent's address is never a coordinator's, and coord-3 never recorded one.
    await store.setNodePeerAddress('node_a1', 'a1.example:7433');
    service = createClusterService({
      store,
      clock: systemClock,
      ca: await createClusterCa({ now: new Date() }),
      caFingerprint: 'ab'.repeat(32),
      self: { id: 'node_c1', name: 'coord-1' },
      joinAddress: () => 'c1.example:7433',
      coordinatorAddresses: () => listCoordinatorAddresses(store),
      newId: (prefix) => `${prefix}_${Math.random().toString(36).slice(2)}`,
      live: () => ({ state: undefined, lastSeen: null }),
      onEnrolled: () => undefined,
      onRemoved: () => Promise.resolve(),
    });
  });
  after(() => cleanup());

  it('lists recorded coordinators only, in name order', async () => {
    assert.deepEqual(await listCoordinatorAddresses(store), ['c1.example:7433', 'c2.example:7433']);
  });

  it('puts the others in the token beside its own address', async () => {
    const { token } = await service.createJoinToken({});
    const parsed = parseJoinToken(token);
    assert.equal(parsed.address, 'c1.example:7433');
    assert.deepEqual(parsed.coordinators, ['c2.example:7433']);
  });
});
