// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertDelivery, MonitorAlertEvent } from '../../domain/alert.ts';
import type { DegradedEpisode } from '../../domain/degraded-episode.ts';
import type { MakeStore } from './fixtures.ts';
import { MINUTE, T0, batch, makeDelivery, makeMonitor, makeState, withStore } from './fixtures.ts';

const EPISODE: DegradedEpisode = {
  id: 'dgr-1',
  startedAt: T0,
  openedAt: T0 + MINUTE,
  suppressed: false,
  openings: { pager: 'dlv-1' },
};

/** A degraded alert of episode `dgr-1`: no incident, keyed by the episode. */
function degradedAlert(id: string, kind: 'degraded' | 'degraded-ended'): AlertDelivery {
  const base = makeDelivery(id, 'm1');
  const key = `m1:${EPISODE.id}:${kind}`;
  return {
    ...base,
    incidentId: null,
    deliveryKey: `${key}:pager`,
    event: {
      ...(base.event as MonitorAlertEvent),
      kind,
      idempotencyKey: key,
      incident: null,
      verdict: 'up',
    },
  };
}

/** The open degraded episode is kept with the runtime state; its alerts dedupe per episode. */
export function degradedEpisodeContract(makeStore: MakeStore): void {
  it('stores the open episode with the runtime state, and clears it', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const open = makeState('m1', { status: 'degraded', degradedEpisode: EPISODE });
      await store.commitBatch(batch({ states: [open, makeState('m2')] }));
      const states = await store.listStates();
      assert.deepEqual(states.find((s) => s.monitorId === 'm1')?.degradedEpisode, EPISODE);
      assert.equal(states.find((s) => s.monitorId === 'm2')?.degradedEpisode, null);
      const suppressed = { ...EPISODE, suppressed: true };
      await store.commitBatch(batch({ states: [{ ...open, degradedEpisode: suppressed }] }));
      const [again] = await store.listStates();
      assert.deepEqual(again?.degradedEpisode, suppressed, 'an update replaces it');
      await store.commitBatch(batch({ states: [{ ...open, degradedEpisode: null }] }));
      const [cleared] = await store.listStates();
      assert.equal(cleared?.degradedEpisode, null);
    }));

  it('an episode alert stored twice (a replay after a restart) is one delivery', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const start = degradedAlert('dlv-1', 'degraded');
      await store.commitBatch(batch({ alerts: [start] }));
      await store.commitBatch(batch({ alerts: [{ ...start, id: 'dlv-2' }] }));
      await store.commitBatch(batch({ alerts: [degradedAlert('dlv-3', 'degraded-ended')] }));
      const stored = await store.listAlertDeliveries({ monitorId: 'm1' });
      assert.deepEqual(stored.map((d) => `${d.id}:${d.event.kind}`).sort(), [
        'dlv-1:degraded',
        'dlv-3:degraded-ended',
      ]);
      const [first] = stored.filter((d) => d.id === 'dlv-1');
      assert.equal(first?.incidentId, null);
      assert.equal(first?.event.kind, 'degraded');
    }));
}
