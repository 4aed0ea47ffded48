import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { ClusterNode } from '../../domain/node.ts';
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../observability/logger.ts';
import { tempDataDir, waitFor } from '../../../test/helpers/cli.ts';
import { nodeCertificate } from '../../../test/helpers/node-certs.ts';
import { fillingStore } from '../../../test/helpers/filling-store.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { openOutbox } from '../outbox/outbox.ts';
import { createClusterCa } from '../pki/ca.ts';
import { createCoordinatorLink } from '../peer/coordinator-link.ts';
import { createPeerServer } from '../peer/peer-server.ts';
import { createAgentHub } from './agent-hub.ts';
import { createIngestor } from './ingest.ts';
import { createMembershipTracker } from './membership-tracker.ts';

// Issue #15: the coordinator held failed ingest batches in memory without a bound. Now, at the
// bound, an agent's batches wait unacknowledged: they stay in its outbox (the real one here,
// over a real mTLS channel) and are all stored once the coordinator's store writes again.

const logger = silentLogger();
const AGENT = 'node_agent';
const RESULTS = 3_000;

const monitor: Monitor = {
  id: 'mon_a',
  name: 'a',
  type: 'tcp',
  target: '127.0.0.1:1',
  intervalMs: 60_000,
  timeoutMs: 1_000,
  group: null,
  tags: [],
  options: {},
  failureThreshold: 1,
  recoveryThreshold: 1,
  degradedIsDown: false,
  paused: false,
  alerts: [],
  regionalAlerts: [],
  consensus: DEFAULT_CONSENSUS,
  nodes: { regions: [], labels: {} },
  alertCooldownMs: 0,
  dependsOn: [],
  createdAt: 0,
  updatedAt: 0,
};

function node(certSerial: string): ClusterNode {
  const now = Date.now();
  return {
    id: AGENT,
    name: 'agent',
    role: 'agent',
    region: 'eu',
    labels: {},
    version: '0.1.0',
    certSerial,
    certNotAfter: now + 86_400_000,
    enrolledAt: now,
    lastSeen: null,
    state: 'grace',
    stateSince: now,
    clockOffsetMs: null,
    checksPerSecond: null,
    outboxBacklog: null,
    remoteAddress: null,
    removedAt: null,
    impairedSince: null,
  };
}

function result(i: number, nodeId = AGENT): RecordedResult {
  return {
    id: `res_${nodeId}_${i}`,
    monitorId: monitor.id,
    nodeId,
    checkedAt: Date.now() - RESULTS + i,
    status: 'up',
    latencyMs: 2,
    timings: {},
    message: 'connected',
    details: {},
  };
}

describe("coordinator back-pressure on a full disk: agents' results stay in their outboxes", () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('holds at most the bound in memory, keeps the channel up, and stores everything once space is freed', async () => {
    const { store: real, cleanup } = await tempSqliteStore();
    cleanups.push(cleanup);
    await real.insertMonitor(monitor);
    const disk = fillingStore(real);

    const ingestor = createIngestor({
      store: disk.store,
      clock: systemClock,
      logger,
      lookupMonitor: (id) => (id === monitor.id ? monitor : undefined),
      flushIntervalMs: 50,
      maxPendingResults: 500,
    });
    await ingestor.load();
    cleanups.push(() => ingestor.stop());
    const membership = createMembershipTracker({
      store: real,
      clock: systemClock,
      logger,
      policy: { heartbeatMs: 1_000, graceCount: 6 },
      selfId: 'node_coord',
      newId: (prefix) => `${prefix}_${Math.random().toString(36).slice(2)}`,
    });
    await membership.load();
    const hub = createAgentHub({
      store: real,
      clock: systemClock,
      logger,
      membership,
      heartbeatMs: 1_000,
      monitors: () => [],
      forwardApi: () => Promise.resolve({ status: 200, body: null }),
      storeResults: (results) => ingestor.submitAndWait(results),
      consensus: { signal: () => undefined, views: () => undefined, vote: () => undefined },
      onProbeResult: () => undefined,
    });
    cleanups.push(() => hub.close());

    const ca = await createClusterCa({ now: new Date() });
    const [coordinatorCert, agentCert] = await Promise.all([
      nodeCertificate(ca, 'node_coord', 'coordinator'),
      nodeCertificate(ca, AGENT, 'agent'),
    ]);
    await real.insertNode(node(agentCert.serial));
    const server = createPeerServer({
      tls: {
        caCertPem: ca.certPem,
        certPem: coordinatorCert.certPem,
        keyPem: coordinatorCert.keyPem,
      },
      logger,
      onJoin: () => Promise.reject(new Error('no joins in this test')),
      isRevoked: () => false,
      onChannel: (identity, ws, remote) => hub.accept(identity, ws, remote),
    });
    const address = await server.listen('127.0.0.1', 0);
    cleanups.push(() => server.close());

    const outbox = openOutbox({
      file: path.join(tempDataDir(), 'outbox.db'),
      maxResults: 1_000_000,
      logger,
    });
    cleanups.push(() => outbox.close());
    outbox.append(Array.from({ length: RESULTS }, (_, i) => result(i)));
    const link = createCoordinatorLink({
      host: '127.0.0.1',
      port: address.port,
      tls: { caCertPem: ca.certPem, certPem: agentCert.certPem, keyPem: agentCert.keyPem },
      logger,
      clock: systemClock,
      version: '0.1.0',
      outbox,
      configVersion: () => null,
      onConfig: () => undefined,
      checksPerSecond: () => 0,
      heartbeatMs: 1_000,
    });
    // The coordinator's own checks fill the backlog to its bound before the agent connects.
    for (let i = 0; i < 500; i++) ingestor.submit(result(i, 'node_coord'));
    link.start();
    cleanups.push(() => link.stop());

    // The agent's first batch finds the backlog full: it waits, unacknowledged (and the hub
    // handles an agent's batches in order, so the others wait behind it).
    await waitFor(
      () => ingestor.stats().waiting === 500 || undefined,
      10_000,
      () => `a batch waiting; stats ${JSON.stringify(ingestor.stats())}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const held = ingestor.stats();
    assert.equal(held.pending, 500, 'no more than the bound in memory');
    assert.equal(held.waiting, 500);
    assert.equal(outbox.backlog(), RESULTS, 'nothing acknowledged, so nothing left the outbox');
    assert.equal(link.connected(), true, 'the channel stays up (heartbeats, votes)');
    assert.equal((await real.listResults({ limit: 10_000 })).length, 0);

    disk.full.now = false;
    await waitFor(
      () => outbox.backlog() === 0 || undefined,
      20_000,
      () => `an empty outbox; backlog ${outbox.backlog()}`,
    );
    const stored = (await real.listResults({ limit: 10_000 })).map((r) => r.id);
    assert.equal(stored.length, RESULTS + 500, "every result stored (the agent's and its own)");
    assert.equal(new Set(stored).size, RESULTS + 500, 'none twice');
    assert.equal(ingestor.stats().waiting, 0);
  });
});
