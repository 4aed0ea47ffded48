import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import type { ClusterNode } from '../../domain/node.ts';
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createAgentHub } from './agent-hub.ts';
import { createMembershipTracker } from './membership-tracker.ts';

const NODE: ClusterNode = {
  id: 'node_slow',
  name: 'slow',
  role: 'agent',
  region: 'eu',
  labels: {},
  version: '0.1.0',
  certSerial: 'aa01',
  certNotAfter: Date.now() + 86_400_000,
  enrolledAt: Date.now(),
  lastSeen: null,
  state: 'grace',
  stateSince: Date.now(),
  clockOffsetMs: null,
  checksPerSecond: null,
  outboxBacklog: null,
  remoteAddress: null,
  removedAt: null,
};

describe('agent hub', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let wss: WebSocketServer;
  let url: string;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertNode(NODE);
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  });
  after(async () => {
    wss.close();
    await cleanup();
  });

  it('answers a hello that arrives while the node is still being looked up', async () => {
    // A store whose node lookup is slow: the agent's hello lands before the hub is ready.
    const slowStore = new Proxy(store, {
      get(target, key) {
        if (key === 'getNode')
          return async (id: string) => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            return target.getNode(id);
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const membership = createMembershipTracker({
      store,
      clock: systemClock,
      logger: silentLogger(),
      policy: { heartbeatMs: 1_000, graceCount: 3 },
      selfId: 'node_self',
      newId: (prefix) => `${prefix}_${Math.random().toString(36).slice(2)}`,
    });
    await membership.load();
    const hub = createAgentHub({
      store: slowStore,
      clock: systemClock,
      logger: silentLogger(),
      membership,
      heartbeatMs: 1_000,
      monitors: () => [],
      forwardApi: () => Promise.resolve({ status: 200, body: null }),
    });
    wss.once('connection', (socket) =>
      hub.accept(
        { nodeId: NODE.id, role: 'agent', serial: NODE.certSerial, fingerprint: 'f', notAfter: 0 },
        socket,
        '127.0.0.1',
      ),
    );
    const client = new WebSocket(url);
    const received: string[] = [];
    const done = new Promise<void>((resolve) => {
      client.on('message', (data: WebSocket.RawData) => {
        received.push((JSON.parse((data as Buffer).toString('utf8')) as { type: string }).type);
        if (received.includes('config-snapshot')) resolve();
      });
    });
    client.on('open', () =>
      client.send(JSON.stringify({ type: 'hello', version: '0.1.0', configVersion: null })),
    );
    await Promise.race([
      done,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no config after hello; got ${received.join(', ')}`)),
          5_000,
        ),
      ),
    ]);
    assert.deepEqual(received.slice(0, 2), ['welcome', 'config-snapshot']);
    assert.deepEqual(hub.connectedNodeIds(), [NODE.id]);
    client.close();
    hub.close();
  });
});
