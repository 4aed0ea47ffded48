// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertDelivery } from '../../domain/alert.ts';
import { makeNode } from './cluster.ts';
import type { MakeStore } from './fixtures.ts';
import { MINUTE, T0, withStore } from './fixtures.ts';

/** A pending node-impaired / node-healthy alert of the transition `eventId`. */
export function healthAlert(
  id: string,
  nodeId: string,
  eventId: string,
  impaired: boolean,
): AlertDelivery {
  const to = impaired ? 'impaired' : 'healthy';
  return {
    id,
    deliveryKey: `node:${nodeId}:${eventId}:${to}:0`,
    monitorId: null,
    incidentId: null,
    followsId: null,
    target: null,
    providerRef: null,
    nodeId,
    channel: 'webhook',
    settings: { url: 'http://127.0.0.1:9/hook' },
    event: {
      kind: impaired ? 'node-impaired' : 'node-healthy',
      idempotencyKey: `node:${nodeId}:${eventId}:${to}`,
      node: { id: nodeId, name: `node-${nodeId}`, region: 'eu-west' },
      from: impaired ? 'healthy' : 'impaired',
      to,
      message: `node is ${to}`,
      occurredAt: T0 + MINUTE,
    },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    reason: null,
    lastError: null,
    createdAt: T0,
    sentAt: null,
  };
}

/** Node health (impaired): the flag, its node events and alerts, replays. */
export function nodeHealthContract(makeStore: MakeStore): void {
  it('marks a node impaired and healthy again, recording events and alerts once', () =>
    withStore(makeStore, async (store) => {
      await store.insertNode(makeNode('n1'));
      const impaired = { eventId: 'e1', nodeId: 'n1', impaired: true, at: T0 + MINUTE };
      const alert = healthAlert('d1', 'n1', 'e1', true);
      await store.applyNodeHealthChange(impaired, [alert]);
      assert.equal((await store.getNode('n1'))?.impairedSince, T0 + MINUTE);

      // A replay of the same event, and a second "impaired" while impaired, change nothing.
      await store.applyNodeHealthChange({ ...impaired, at: T0 + 2 * MINUTE }, [
        healthAlert('d1-replay', 'n1', 'e1-replay', true),
      ]);
      await store.applyNodeHealthChange({ ...impaired, eventId: 'e2', at: T0 + 3 * MINUTE }, [
        healthAlert('d2', 'n1', 'e2', true),
      ]);
      assert.equal((await store.getNode('n1'))?.impairedSince, T0 + MINUTE);
      assert.deepEqual(await store.listAlertDeliveries(), [alert]);

      const healthy = { eventId: 'e3', nodeId: 'n1', impaired: false, at: T0 + 10 * MINUTE };
      const back = healthAlert('d3', 'n1', 'e3', false);
      await store.applyNodeHealthChange(healthy, [back]);
      await store.applyNodeHealthChange(healthy, [back]);
      assert.equal((await store.getNode('n1'))?.impairedSince, null);
      assert.deepEqual(await store.listNodeEvents('n1', 10), [
        { id: 'e3', nodeId: 'n1', at: T0 + 10 * MINUTE, from: 'impaired', to: 'healthy' },
        { id: 'e1', nodeId: 'n1', at: T0 + MINUTE, from: 'healthy', to: 'impaired' },
      ]);
      assert.deepEqual((await store.listAlertDeliveries()).map((d) => d.id).sort(), ['d1', 'd3']);
      assert.deepEqual((await store.dueAlertDeliveries(T0, 10)).map((d) => d.event.kind).sort(), [
        'node-healthy',
        'node-impaired',
      ]);
    }));

  it('ignores health changes of unknown and removed nodes', () =>
    withStore(makeStore, async (store) => {
      await store.insertNode(makeNode('n1'));
      await store.removeNode('n1', T0, 'e-rm');
      await store.applyNodeHealthChange({ eventId: 'e1', nodeId: 'n1', impaired: true, at: T0 }, [
        healthAlert('d1', 'n1', 'e1', true),
      ]);
      await store.applyNodeHealthChange({ eventId: 'e2', nodeId: 'nope', impaired: true, at: T0 });
      assert.equal((await store.getNode('n1'))?.impairedSince, null);
      assert.deepEqual(
        (await store.listNodeEvents('n1', 10)).map((e) => e.id),
        ['e-rm'],
      );
      assert.deepEqual(await store.listAlertDeliveries(), []);
    }));
}
