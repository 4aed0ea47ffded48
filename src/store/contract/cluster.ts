// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertDelivery } from '../../domain/alert.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type { MakeStore } from './fixtures.ts';
import { MINUTE, T0, makeMonitor, rejectsWithCode, withStore } from './fixtures.ts';

/** An enrolled agent node with every field set. */
export function makeNode(id: string, overrides: Partial<ClusterNode> = {}): ClusterNode {
  return {
    id,
    name: `node-${id}`,
    role: 'agent',
    region: 'eu-west',
    labels: { isp: 'a' },
    version: '0.1.0',
    certSerial: `serial-${id}`,
    certNotAfter: T0 + 365 * 86_400_000,
    enrolledAt: T0,
    lastSeen: null,
    state: 'grace',
    stateSince: T0,
    clockOffsetMs: null,
    checksPerSecond: null,
    outboxBacklog: null,
    remoteAddress: null,
    removedAt: null,
    impairedSince: null,
    ...overrides,
  };
}

const token = (id: string) => ({
  id,
  secretHash: 'ab'.repeat(32),
  createdAt: T0,
  expiresAt: T0 + 60 * MINUTE,
  usedAt: null,
  usedByNode: null,
});

function nodeAlert(id: string, nodeId: string): AlertDelivery {
  return {
    id,
    deliveryKey: `node:${nodeId}:e1:missing:0`,
    monitorId: null,
    incidentId: null,
    nodeId,
    followsId: null,
    target: null,
    providerRef: null,
    channel: 'webhook',
    settings: { url: 'http://127.0.0.1:9/hook' },
    event: {
      kind: 'node-missing',
      idempotencyKey: `node:${nodeId}:e1:missing`,
      node: { id: nodeId, name: `node-${nodeId}`, region: 'eu-west' },
      from: 'grace',
      to: 'missing',
      message: 'node is missing',
      occurredAt: T0 + MINUTE,
    },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0 + MINUTE,
    reason: null,
    lastError: null,
    createdAt: T0 + MINUTE,
    sentAt: null,
  };
}

/** Cluster membership: nodes, join tokens, node events and node alerts, config version. */
export function clusterContract(makeStore: MakeStore): void {
  it('enrols a node by consuming its token once; a reused token or taken name changes nothing', () =>
    withStore(makeStore, async (store) => {
      await store.insertJoinToken(token('t1'));
      await store.insertJoinToken(token('t2'));
      await store.enrolNode('t1', makeNode('n1'));
      assert.deepEqual(await store.getNode('n1'), makeNode('n1'));
      assert.equal((await store.getJoinToken('t1'))?.usedByNode, 'n1');
      // A token's kind is kept; tokens stored without one enrol agents.
      assert.equal((await store.getJoinToken('t1'))?.kind, 'agent');
      await store.insertJoinToken({ ...token('t3'), kind: 'coordinator' });
      assert.equal((await store.getJoinToken('t3'))?.kind, 'coordinator');

      await rejectsWithCode(store.enrolNode('t1', makeNode('n2')), 'CONFLICT');
      await rejectsWithCode(store.enrolNode('t2', makeNode('n3', { name: 'node-n1' })), 'CONFLICT');
      assert.equal((await store.getJoinToken('t2'))?.usedAt, null);
      assert.deepEqual(
        (await store.listNodes()).map((n) => n.id),
        ['n1'],
      );
    }));

  it('records a coordinator’s peer address; removed or unknown nodes are left alone', () =>
    withStore(makeStore, async (store) => {
      await store.insertNode(makeNode('c1', { role: 'coordinator', name: 'coord-a' }));
      await store.insertNode(makeNode('n1'));
      assert.equal((await store.getNode('c1'))?.peerAddress, undefined);
      await store.setNodePeerAddress('c1', '10.0.0.1:7433');
      await store.setNodePeerAddress('c1', '[fd00::1]:7433');
      await store.setNodePeerAddress('nobody', '10.0.0.9:7433');
      assert.deepEqual(await store.getNode('c1'), {
        ...makeNode('c1', { role: 'coordinator', name: 'coord-a' }),
        peerAddress: '[fd00::1]:7433',
      });
      await store.removeNode('n1', T0, 'e-rm');
      await store.setNodePeerAddress('n1', '10.0.0.2:7433');
      assert.equal((await store.getNode('n1'))?.peerAddress, undefined);
      await store.setNodePeerAddress('c1', null);
      assert.equal((await store.getNode('c1'))?.peerAddress, undefined);
    }));

  it('records transitions with their alerts atomically and idempotently', () =>
    withStore(makeStore, async (store) => {
      await store.insertNode(makeNode('n1'));
      const change = {
        eventId: 'e1',
        nodeId: 'n1',
        from: 'grace',
        to: 'missing',
        at: T0 + MINUTE,
      } as const;
      await store.applyNodeStateChanges([change], [nodeAlert('d1', 'n1')]);
      await store.applyNodeStateChanges([], [nodeAlert('d1-replay', 'n1')]);
      const node = await store.getNode('n1');
      assert.equal(node?.state, 'missing');
      assert.equal(node?.stateSince, T0 + MINUTE);
      assert.deepEqual(await store.listNodeEvents('n1', 10), [
        { id: 'e1', nodeId: 'n1', at: T0 + MINUTE, from: 'grace', to: 'missing' },
      ]);
      const due = await store.dueAlertDeliveries(T0 + MINUTE, 10);
      assert.deepEqual(due, [{ ...nodeAlert('d1', 'n1'), followsStatus: null, followsRef: null }]);
    }));

  it('removes a node (kept for revocation, hidden from lists) and keeps node alert routes', () =>
    withStore(makeStore, async (store) => {
      await store.insertNode(makeNode('c', { role: 'coordinator', name: 'coord' }));
      await store.insertNode(makeNode('n1'));
      const removed = await store.removeNode('n1', T0 + MINUTE, 'e-rm');
      assert.equal(removed.removedAt, T0 + MINUTE);
      assert.deepEqual(
        (await store.listNodes()).map((n) => n.id),
        ['c'],
      );
      assert.equal((await store.listNodes({ includeRemoved: true })).length, 2);
      await rejectsWithCode(store.removeNode('n1', T0, 'e2'), 'NOT_FOUND');
      await rejectsWithCode(store.removeNode('c', T0, 'e3'), 'CONFLICT');
      // A second coordinator (several share a PostgreSQL database) may go; the last may not.
      await store.insertNode(makeNode('c2', { role: 'coordinator', name: 'coord-2' }));
      assert.equal((await store.removeNode('c2', T0, 'e4')).removedAt, T0);
      await rejectsWithCode(store.removeNode('c', T0, 'e5'), 'CONFLICT');
      // The name of a removed node is free again.
      await store.insertNode(makeNode('n2', { name: 'node-n1' }));

      assert.deepEqual(await store.nodeAlertRoutes(), []);
      const routes = [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/x' } }];
      await store.setNodeAlertRoutes(routes);
      assert.deepEqual(await store.nodeAlertRoutes(), routes);
    }));

  it('bumps the config version with every monitor write', () =>
    withStore(makeStore, async (store) => {
      const start = await store.configVersion();
      await store.insertMonitor(makeMonitor('m1'));
      await store.updateMonitor(makeMonitor('m1', { name: 'renamed' }));
      await store.deleteMonitor('m1');
      assert.equal(await store.configVersion(), start + 3);
      await rejectsWithCode(store.updateMonitor(makeMonitor('gone')), 'NOT_FOUND');
      assert.equal(await store.configVersion(), start + 3);
    }));

  it('counts every one of many monitor writes made at once', () =>
    withStore(makeStore, async (store) => {
      // A backend with several connections (PostgreSQL) runs these transactions side by side;
      // none may lose another's bump.
      const start = await store.configVersion();
      const ids = Array.from({ length: 12 }, (_, i) => `m${i}`);
      await Promise.all(ids.map((id) => store.insertMonitor(makeMonitor(id))));
      assert.equal(await store.configVersion(), start + ids.length);
    }));
}
