// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../types.ts';
import { makeNode } from './cluster.ts';
import { makeRound } from './consensus-fixtures.ts';
import type { MakeStore, StoreUnderTest } from './fixtures.ts';
import {
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
  rejectsWithCode,
} from './fixtures.ts';
import { healthAlert } from './node-health.ts';

/** One leader write: what it needs stored first (unfenced), the write, and what it changes. */
interface LeaderWrite {
  name: string;
  prepare(store: Store): Promise<void>;
  write(store: Store): Promise<void>;
  /** Every row the write touches, read back: equal before and after a refused write. */
  effect(store: Store): Promise<unknown>;
}

/** Every leader write the store fences, one each. */
const LEADER_WRITES: readonly LeaderWrite[] = [
  {
    name: 'commitBatch (results, states, incidents, rounds, alerts)',
    prepare: (store) => store.insertMonitor(makeMonitor('m1')),
    write: (store) =>
      store.commitBatch(
        batch({
          results: [makeResult('m1', T0 + MINUTE, 'down')],
          states: [makeState('m1')],
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
          rounds: [makeRound('r1', 'm1', T0 + MINUTE)],
          alerts: [makeDelivery('d1', 'm1')],
        }),
      ),
    effect: async (store) => ({
      results: await store.listResults(),
      states: await store.listStates(),
      incidents: await store.listIncidents(),
      rounds: await store.listRounds(),
      deliveries: await store.listAlertDeliveries(),
    }),
  },
  {
    name: 'applyNodeStateChanges (node state, events, alerts)',
    prepare: (store) => store.insertNode(makeNode('n1', { state: 'online' })),
    write: (store) =>
      store.applyNodeStateChanges(
        [{ eventId: 'e1', nodeId: 'n1', from: 'online', to: 'missing', at: T0 + MINUTE }],
        [healthAlert('dn1', 'n1', 'e1', true)],
      ),
    effect: nodeEffect('n1'),
  },
  {
    name: 'applyNodeHealthChange (impaired flag, events, alerts)',
    prepare: (store) => store.insertNode(makeNode('n2')),
    write: (store) =>
      store.applyNodeHealthChange(
        { eventId: 'e2', nodeId: 'n2', impaired: true, at: T0 + MINUTE },
        [healthAlert('dn2', 'n2', 'e2', true)],
      ),
    effect: nodeEffect('n2'),
  },
  {
    name: 'updateAlertDelivery (outcome and attempt)',
    prepare: async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ alerts: [makeDelivery('d9', 'm1')] }));
    },
    write: (store) =>
      store.updateAlertDelivery(
        'd9',
        { status: 'sent', attempts: 1, nextAttemptAt: T0, lastError: null, sentAt: T0 + MINUTE },
        { attempt: 1, at: T0 + MINUTE, outcome: 'sent', error: null, httpStatus: 200 },
      ),
    effect: async (store) => ({
      deliveries: await store.listAlertDeliveries(),
      attempts: [...(await store.listAlertAttempts(['d9']))],
    }),
  },
];

function nodeEffect(nodeId: string): (store: Store) => Promise<unknown> {
  return async (store) => ({
    node: await store.getNode(nodeId),
    events: await store.listNodeEvents(nodeId, 10),
    deliveries: await store.listAlertDeliveries(),
  });
}

/** A fence whose answer the test sets. */
function settableFence(epoch: number | null): {
  epoch: number | null;
  fence: { epoch(): number | null };
} {
  const held = { epoch, fence: { epoch: () => held.epoch } };
  return held;
}

async function withFresh(
  makeStore: MakeStore,
  body: (under: StoreUnderTest) => Promise<void>,
): Promise<void> {
  const under = await makeStore();
  try {
    await body(under);
  } finally {
    await under.cleanup();
  }
}

/**
 * Leader writes fenced by the lease epoch (ADR 0010): each asserts the fence's epoch first in
 * its own transaction and, refused, leaves nothing behind. User actions are not leader writes.
 */
export function leaderFenceContract(makeStore: MakeStore): void {
  for (const leader of LEADER_WRITES) {
    it(`${leader.name}: goes through with a fence at the stored epoch`, () =>
      withFresh(makeStore, async ({ store, setLeaseEpoch }) => {
        await leader.prepare(store);
        await setLeaseEpoch?.(7);
        store.fenceLeaderWrites(settableFence(7).fence);
        const before = await leader.effect(store);
        await leader.write(store);
        assert.notDeepEqual(await leader.effect(store), before);
      }));

    it(`${leader.name}: refused (FENCED) with nothing written when not leading`, () =>
      withFresh(makeStore, async ({ store }) => {
        await leader.prepare(store);
        const held = settableFence(null);
        store.fenceLeaderWrites(held.fence);
        const before = await leader.effect(store);
        await rejectsWithCode(leader.write(store), 'FENCED');
        assert.deepEqual(await leader.effect(store), before);
        // Leading again, the same write goes through: the refusal left nothing half done.
        held.epoch = 0;
        await leader.write(store);
        assert.notDeepEqual(await leader.effect(store), before);
      }));

    it(`${leader.name}: refused with nothing written once a newer epoch is stored`, async (t) => {
      await withFresh(makeStore, async ({ store, setLeaseEpoch }) => {
        if (setLeaseEpoch === undefined) {
          t.skip('one coordinator: only "not leading" is fenced');
          return;
        }
        await leader.prepare(store);
        await setLeaseEpoch(4);
        store.fenceLeaderWrites(settableFence(3).fence);
        const before = await leader.effect(store);
        await rejectsWithCode(leader.write(store), 'FENCED');
        assert.deepEqual(await leader.effect(store), before);
      });
    });
  }

  it('refuses an epoch older than the stored one and a newer one alike', async (t) => {
    await withFresh(makeStore, async ({ store, setLeaseEpoch }) => {
      if (setLeaseEpoch === undefined) {
        t.skip('one coordinator: only "not leading" is fenced');
        return;
      }
      await store.insertMonitor(makeMonitor('m1'));
      await setLeaseEpoch(4);
      const held = settableFence(5);
      store.fenceLeaderWrites(held.fence);
      const write = () => store.commitBatch(batch({ results: [makeResult('m1', T0)] }));
      await rejectsWithCode(write(), 'FENCED');
      held.epoch = 4;
      await write();
      assert.equal((await store.listResults()).length, 1);
    });
  });

  it('does not fence user actions: any coordinator serves them', () =>
    withFresh(makeStore, async ({ store }) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      store.fenceLeaderWrites(settableFence(null).fence);
      await store.updateMonitor(makeMonitor('m1', { name: 'renamed' }));
      await store.insertNode(makeNode('n1'));
      const acked = await store.acknowledgeIncident('inc-1', {
        at: T0 + MINUTE,
        by: 'ann',
        note: null,
      });
      assert.equal(acked.acknowledgement?.by, 'ann');
      assert.equal((await store.getMonitor('m1'))?.name, 'renamed');
    }));
}
