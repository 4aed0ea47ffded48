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
import type { AgentConsensusSink, AgentHub, AgentHubDeps } from './agent-hub.ts';
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
  impairedSince: null,
};

/** A sink that records what the hub hands over. */
function recordingSink(): AgentConsensusSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    signal: (nodeId, signal) => calls.push(`signal ${nodeId} ${signal.monitorId} ${signal.kind}`),
    views: (nodeId, suspects) => calls.push(`views ${nodeId} ${suspects.length}`),
    vote: (nodeId, roundId, monitorId, reply) =>
      calls.push(`vote ${nodeId} ${roundId} ${monitorId} ${reply.outcome}`),
  };
}

const EVIDENCE = {
  status: 'down',
  latencyMs: 3,
  errorKind: 'refused',
  message: 'connection refused',
  timings: { connectMs: 1 },
  checkedAt: 1_000,
};

/** A hub over a fresh membership tracker; the rest of its dependencies come from the test. */
async function hubWith(
  deps: Pick<AgentHubDeps, 'store' | 'storeResults' | 'consensus' | 'onProbeResult'>,
): Promise<AgentHub> {
  const membership = createMembershipTracker({
    store: deps.store,
    clock: systemClock,
    logger: silentLogger(),
    policy: { heartbeatMs: 1_000, graceCount: 3 },
    selfId: 'node_self',
    newId: (prefix) => `${prefix}_${Math.random().toString(36).slice(2)}`,
  });
  await membership.load();
  return createAgentHub({
    ...deps,
    clock: systemClock,
    logger: silentLogger(),
    membership,
    heartbeatMs: 1_000,
    monitors: () => [],
    forwardApi: () => Promise.resolve({ status: 200, body: null }),
  });
}

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
    const hub = await hubWith({
      store: slowStore,
      storeResults: (results) =>
        store.commitBatch({
          results,
          states: [],
          incidentsOpened: [],
          incidentsResolved: [],
          alerts: [],
        }),
      consensus: recordingSink(),
      onProbeResult: () => undefined,
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

  it('hands signals, views and votes to consensus and sends vote and probe requests', async () => {
    const sink = recordingSink();
    const probes: string[] = [];
    const hub = await hubWith({
      store,
      storeResults: () => Promise.resolve(),
      consensus: sink,
      onProbeResult: (nodeId, probeId, evidence) =>
        probes.push(`${nodeId} ${probeId} ${evidence.message}`),
    });
    wss.once('connection', (socket) =>
      hub.accept(
        { nodeId: NODE.id, role: 'agent', serial: NODE.certSerial, fingerprint: 'f', notAfter: 0 },
        socket,
        '127.0.0.1',
      ),
    );
    const client = new WebSocket(url);
    const requests: { type: string }[] = [];
    client.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as { type: string };
      if (message.type.endsWith('-request')) requests.push(message);
    });
    await new Promise((resolve) => client.once('open', resolve));
    const send = (message: object): void => client.send(JSON.stringify(message));
    send({ type: 'hello', version: '0.1.0', configVersion: null });
    send({
      type: 'signal',
      monitorId: 'mon_a',
      kind: 'suspect',
      since: 900,
      evidence: EVIDENCE,
      canariesFailing: false,
    });
    // A set split in two chunks is handed over once, complete.
    send({
      type: 'views',
      suspect: [{ monitorId: 'mon_a', since: 900, evidence: EVIDENCE }],
      last: false,
      canariesFailing: false,
    });
    send({
      type: 'views',
      suspect: [{ monitorId: 'mon_b', since: 900, evidence: EVIDENCE }],
      last: true,
      canariesFailing: false,
    });
    send({
      type: 'vote',
      roundId: 'rnd_1',
      monitorId: 'mon_a',
      outcome: 'fail',
      evidence: EVIDENCE,
      canariesFailing: false,
    });
    send({ type: 'probe-result', probeId: 'prb_1', evidence: EVIDENCE });
    const deadline = Date.now() + 5_000;
    while ((sink.calls.length < 3 || probes.length < 1) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(sink.calls, [
      `signal ${NODE.id} mon_a suspect`,
      `views ${NODE.id} 2`,
      `vote ${NODE.id} rnd_1 mon_a fail`,
    ]);
    assert.deepEqual(probes, [`${NODE.id} prb_1 connection refused`]);

    assert.equal(
      hub.requestVote(NODE.id, { roundId: 'rnd_2', monitorId: 'mon_a', deadlineAt: 5 }),
      true,
    );
    assert.equal(
      hub.requestProbe(NODE.id, 'prb_2', {
        type: 'tcp',
        target: '127.0.0.1:1',
        options: {},
        timeoutMs: 500,
      }),
      true,
    );
    assert.equal(
      hub.requestVote('node_other', { roundId: 'rnd_3', monitorId: 'mon_a', deadlineAt: 5 }),
      false,
    );
    while (requests.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      requests.map((r) => r.type),
      ['vote-request', 'probe-request'],
    );
    client.close();
    hub.close();
  });
});
