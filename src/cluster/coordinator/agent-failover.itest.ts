import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { ClusterNode } from '../../domain/node.ts';
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../observability/logger.ts';
import {
  knownCoordinators,
  readNodeIdentity,
  replaceCoordinatorAddresses,
  writeNodeIdentity,
} from '../../config/node-identity.ts';
import type { Store } from '../../store/types.ts';
import { tempDataDir, waitFor } from '../../../test/helpers/cli.ts';
import { nodeCertificate } from '../../../test/helpers/node-certs.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { listCoordinatorAddresses, recordCoordinatorAddress } from '../coordinator-addresses.ts';
import { splitHostPort } from '../join-token.ts';
import { openOutbox } from '../outbox/outbox.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { createClusterCa } from '../pki/ca.ts';
import { createCoordinatorLink } from '../peer/coordinator-link.ts';
import type { CoordinatorLink, CoordinatorLinkOptions } from '../peer/coordinator-link.ts';
import { createPeerServer } from '../peer/peer-server.ts';
import type { PeerServer, PeerTlsMaterial } from '../peer/peer-server.ts';
import { createAgentHub } from './agent-hub.ts';
import type { AgentHub } from './agent-hub.ts';
import { createMembershipTracker } from './membership-tracker.ts';

const logger = silentLogger();
const AGENT = 'node_agent';
type Side = 'a' | 'b';

function clusterNode(id: string, name: string, role: ClusterNode['role'], serial: string) {
  const now = Date.now();
  return {
    id,
    name,
    role,
    region: null,
    labels: {},
    version: '0.1.0',
    certSerial: serial,
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
  } satisfies ClusterNode;
}

function result(i: number): RecordedResult {
  return {
    id: `res_${i}`,
    monitorId: 'mon_1',
    nodeId: AGENT,
    checkedAt: Date.now(),
    status: 'up',
    latencyMs: 2,
    timings: {},
    message: 'connected',
    details: {},
  };
}

/**
 * Two coordinators (each its own certificate from one CA) share one store; the test holds the
 * lease by hand. The agent must always end up on the leader, and every result in its outbox
 * must be stored exactly once, whichever coordinator stored it.
 */
describe('agents follow the leader across coordinators', () => {
  let dir: string;
  let store: Store;
  let cleanupStore: () => Promise<void>;
  let outbox: Outbox;
  let link: CoordinatorLink;
  let leader: Side | null = 'b';
  let agentTls: CoordinatorLinkOptions['tls'];
  let linkOptions: Omit<CoordinatorLinkOptions, 'host' | 'port'>;
  const address: Record<Side, string> = { a: '', b: '' };
  const servers: Partial<Record<Side, PeerServer>> = {};
  const hubs: Partial<Record<Side, AgentHub>> = {};
  /** Every result id each coordinator stored, in order. */
  const stored: { side: Side; id: string }[] = [];
  const learned: string[][] = [];
  let rogue: PeerServer;
  let rogueAddress: string;
  let rogueChannels = 0;
  let nodeFile: string;
  let written = 0;
  /** A coordinator whose store hangs (its database cut off): its batches never finish. */
  let hanging: Side | null = null;
  let hangingCalls = 0;

  const hub = (side: Side): AgentHub => hubs[side] ?? assert.fail(`no hub ${side}`);
  const storedIds = () => stored.map((s) => s.id);
  function appendResults(count: number): void {
    outbox.append(Array.from({ length: count }, (_, i) => result(written + i)));
    written += count;
    link.kick();
  }
  const allStored = () =>
    waitFor(
      () => (stored.length >= written ? true : undefined),
      10_000,
      () => `${written} results stored; got ${stored.length}`,
    );
  const connectedTo = (side: Side) =>
    waitFor(
      () => (link.coordinator() === address[side] ? true : undefined),
      10_000,
      () => `the agent on coordinator ${side}; it is on ${link.coordinator()}`,
    );

  async function startCoordinator(side: Side, tls: PeerTlsMaterial): Promise<void> {
    const membership = createMembershipTracker({
      store,
      clock: systemClock,
      logger,
      policy: { heartbeatMs: 1_000, graceCount: 3 },
      selfId: `node_c${side}`,
      newId: (prefix) => `${prefix}_${Math.random().toString(36).slice(2)}`,
    });
    await membership.load();
    hubs[side] = createAgentHub({
      store,
      clock: systemClock,
      logger,
      membership,
      heartbeatMs: 1_000,
      monitors: () => [],
      forwardApi: () => Promise.resolve({ status: 200, body: null }),
      storeResults: (results) => {
        if (hanging === side) {
          hangingCalls++;
          return new Promise<void>(() => undefined);
        }
        for (const r of results) stored.push({ side, id: r.id });
        return Promise.resolve();
      },
      consensus: { signal: () => undefined, views: () => undefined, vote: () => undefined },
      onProbeResult: () => undefined,
      leadership: () => ({
        leading: leader === side,
        leaderAddress: leader === null ? null : address[leader],
      }),
    });
    const server = createPeerServer({
      tls,
      logger,
      onJoin: () => Promise.reject(new Error('no joins in this test')),
      isRevoked: () => false,
      onChannel: (identity, ws, remote) => hub(side).accept(identity, ws, remote),
    });
    servers[side] = server;
    address[side] = `127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}`;
    await recordCoordinatorAddress(store, `node_c${side}`, address[side]);
  }

  before(async () => {
    dir = tempDataDir();
    ({ store, cleanup: cleanupStore } = await tempSqliteStore());
    const ca = await createClusterCa({ now: new Date() });
    const [certA, certB, agent, rogueCert] = await Promise.all([
      nodeCertificate(ca, 'node_ca', 'coordinator'),
      nodeCertificate(ca, 'node_cb', 'coordinator'),
      nodeCertificate(ca, AGENT, 'agent'),
      nodeCertificate(ca, 'node_rogue', 'agent'),
    ]);
    await store.insertNode(clusterNode('node_ca', 'coord-a', 'coordinator', certA.serial));
    await store.insertNode(clusterNode('node_cb', 'coord-b', 'coordinator', certB.serial));
    await store.insertNode(clusterNode(AGENT, 'agent', 'agent', agent.serial));
    await startCoordinator('a', { caCertPem: ca.certPem, ...certA });
    await startCoordinator('b', { caCertPem: ca.certPem, ...certB });
    // An agent's certificate from the same CA on a peer port: never a coordinator to the agent.
    rogue = createPeerServer({
      tls: { caCertPem: ca.certPem, ...rogueCert },
      logger,
      onJoin: () => Promise.reject(new Error('no joins in this test')),
      isRevoked: () => false,
      onChannel: (_identity, ws) => {
        rogueChannels++;
        ws.close();
      },
    });
    rogueAddress = `127.0.0.1:${(await rogue.listen('127.0.0.1', 0)).port}`;

    // The agent joined through coordinator a, a follower: node.json names only a.
    nodeFile = path.join(dir, 'node.json');
    writeNodeIdentity(nodeFile, {
      version: 1,
      nodeId: AGENT,
      name: 'agent',
      role: 'agent',
      region: null,
      labels: {},
      createdAt: Date.now(),
      coordinator: { address: address.a, name: 'coord-a' },
    });
    agentTls = { caCertPem: ca.certPem, ...agent };
    outbox = openOutbox({ file: path.join(dir, 'outbox.db'), maxResults: 10_000, logger });
    linkOptions = {
      tls: agentTls,
      logger,
      clock: systemClock,
      version: 'test',
      outbox,
      configVersion: () => null,
      onConfig: () => undefined,
      checksPerSecond: () => 0,
      heartbeatMs: 60_000,
      backoff: { initialMs: 20, maxMs: 100 },
      onCoordinators: (addresses) => {
        learned.push(addresses);
        replaceCoordinatorAddresses(nodeFile, addresses);
      },
    };
    const identity = readNodeIdentity(nodeFile)?.coordinator ?? assert.fail('no node.json');
    const [first = '', ...others] = knownCoordinators(identity);
    link = createCoordinatorLink({ ...linkOptions, ...splitHostPort(first), addresses: others });
    link.start();
  });

  after(async () => {
    await link.stop();
    outbox.close();
    for (const side of ['a', 'b'] as const) {
      hubs[side]?.close();
      await servers[side]?.close();
    }
    await rogue.close();
    await cleanupStore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pointed at a follower, is redirected to the leader and welcomed there', async () => {
    await connectedTo('b');
    assert.deepEqual(hub('b').connectedNodeIds(), [AGENT]);
    // The follower answered before any welcome: nothing about the agent was recorded there.
    assert.deepEqual(hub('a').connectedNodeIds(), []);
    appendResults(30);
    await allStored();
    assert.ok(stored.every((s) => s.side === 'b'));
  });

  it('learns every coordinator from the welcome and persists the list in node.json', async () => {
    assert.deepEqual(await listCoordinatorAddresses(store), [address.a, address.b]);
    assert.deepEqual(learned.at(-1), [address.a, address.b]);
    const identity = readNodeIdentity(nodeFile);
    assert.deepEqual(identity?.coordinator?.addresses, [address.a, address.b]);
    assert.equal(identity?.coordinator?.address, address.a, 'the join address is kept');
    assert.equal(fs.statSync(nodeFile).mode & 0o777, 0o600);
  });

  it('keeps results in its outbox while no coordinator leads, then moves to the new leader', async () => {
    leader = null;
    await hub('b').redirectAll(null);
    await waitFor(
      () => (link.connected() ? undefined : true),
      5_000,
      () => 'the channel closed',
    );
    appendResults(25);
    // Both coordinators answer not-leader(null) for a while; nothing may be stored meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(link.connected(), false);
    assert.equal(stored.length, 30);
    assert.equal(outbox.backlog(), 25, 'the outbox holds what no leader took');

    leader = 'a';
    await connectedTo('a');
    await allStored();
    assert.deepEqual(
      stored.slice(30).map((s) => s.side),
      Array<Side>(25).fill('a'),
    );
  });

  it('is moved at once by redirectAll naming the new leader', async () => {
    appendResults(10);
    leader = 'b';
    await hub('a').redirectAll(address.b);
    await connectedTo('b');
    appendResults(10);
    await allStored();
    assert.deepEqual(hub('a').connectedNodeIds(), []);
  });

  it('stored every result exactly once across both coordinators', async () => {
    await waitFor(
      () => (outbox.backlog() === 0 ? true : undefined),
      5_000,
      () => `an empty outbox; backlog ${outbox.backlog()}`,
    );
    const ids = storedIds();
    assert.equal(ids.length, written, `duplicates: ${ids.length - new Set(ids).size}`);
    assert.deepEqual(new Set(ids), new Set(Array.from({ length: written }, (_, i) => `res_${i}`)));
  });

  it(
    'is redirected by a leader whose store hangs, and its batch reaches the new leader',
    { timeout: 15_000 },
    async () => {
      hanging = 'b';
      appendResults(5);
      await waitFor(
        () => (hangingCalls > 0 ? true : undefined),
        5_000,
        () => 'a batch stuck in b',
      );
      leader = 'a';
      // Unbounded, this waited for the stuck batch for as long as the store hung.
      await hub('b').redirectAll(address.a);
      await connectedTo('a');
      await allStored();
      assert.deepEqual(
        stored.slice(-5).map((s) => s.side),
        Array<Side>(5).fill('a'),
      );
      assert.equal(new Set(storedIds()).size, written, 'nothing stored twice');
      // Back to b leading for the tests below.
      hanging = null;
      leader = 'b';
      await hub('a').redirectAll(address.b);
      await connectedTo('b');
    },
  );

  it('restarted with the persisted list, finds the leader though the join coordinator is gone', async () => {
    await link.stop();
    hub('a').close();
    await servers.a?.close();
    const identity = readNodeIdentity(nodeFile)?.coordinator ?? assert.fail('no node.json');
    const [first = '', ...others] = knownCoordinators(identity);
    assert.equal(first, address.a, 'the first known coordinator is the one that is gone');
    link = createCoordinatorLink({ ...linkOptions, ...splitHostPort(first), addresses: others });
    link.start();
    await connectedTo('b');
    appendResults(5);
    await allStored();
    assert.equal(new Set(storedIds()).size, written);
  });

  it('refuses a peer port that shows an agent’s certificate and moves on to a coordinator', async () => {
    await link.stop();
    link = createCoordinatorLink({
      ...linkOptions,
      ...splitHostPort(rogueAddress),
      addresses: [address.b],
    });
    link.start();
    await connectedTo('b');
    assert.equal(rogueChannels, 0, 'the agent never opened a channel to a non-coordinator');
  });
});
