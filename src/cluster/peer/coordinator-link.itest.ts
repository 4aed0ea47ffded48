import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { parseCheckConfig } from '../../checks/registry.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../observability/logger.ts';
import { tempDataDir, waitFor } from '../../../test/helpers/cli.ts';
import { nodeCertificate } from '../../../test/helpers/node-certs.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { openOutbox } from '../outbox/outbox.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { createClusterCa } from '../pki/ca.ts';
import { createVantagePoint } from '../vantage/vantage-point.ts';
import type { VantagePoint } from '../vantage/vantage-point.ts';
import { createCoordinatorLink } from './coordinator-link.ts';
import type { CoordinatorLink } from './coordinator-link.ts';
import type { AgentMessage, CoordinatorMessage } from './messages.ts';
import { frameText, parseAgentMessage } from './messages.ts';
import { createPeerServer } from './peer-server.ts';
import type { PeerServer } from './peer-server.ts';

const logger = silentLogger();

/** The hub's side, reduced to what this test drives: a real peer server and its one channel. */
describe('coordinator link: consensus messages', () => {
  let dir: string;
  let server: PeerServer;
  let outbox: Outbox;
  let link: CoordinatorLink;
  let vantage: VantagePoint;
  let channel: WebSocket | undefined;
  let downTarget: string;
  const received: AgentMessage[] = [];

  const sendToAgent = (message: CoordinatorMessage) => channel?.send(JSON.stringify(message));
  const next = <T extends AgentMessage['type']>(type: T, after = 0) =>
    waitFor(
      () =>
        received.slice(after).find((m): m is Extract<AgentMessage, { type: T }> => m.type === type),
      5_000,
      () => `a ${type} message`,
    );

  before(async () => {
    dir = tempDataDir();
    const ca = await createClusterCa({ now: new Date() });
    const [coordinator, agent] = await Promise.all([
      nodeCertificate(ca, 'node_coord', 'coordinator'),
      nodeCertificate(ca, 'node_agent', 'agent'),
    ]);
    server = createPeerServer({
      tls: { caCertPem: ca.certPem, ...coordinator },
      logger,
      onJoin: () => Promise.reject(new Error('no joins in this test')),
      isRevoked: () => false,
      onChannel: (identity, ws) => {
        channel = ws;
        ws.on('message', (data: WebSocket.RawData) => {
          const message = parseAgentMessage(frameText(data), identity.nodeId);
          received.push(message);
          if (message.type === 'hello')
            sendToAgent({
              type: 'welcome',
              nodeId: identity.nodeId,
              name: 'agent',
              serverTime: Date.now(),
              heartbeatMs: 60_000,
            });
        });
      },
    });
    const address = await server.listen('127.0.0.1', 0);

    downTarget = `127.0.0.1:${await closedPort()}`;
    const monitor: Monitor = {
      id: 'mon_down',
      name: 'down',
      type: 'tcp',
      ...parseCheckConfig('tcp', downTarget, {}),
      intervalMs: 60_000,
      timeoutMs: 2_000,
      group: null,
      tags: [],
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
    vantage = createVantagePoint({
      clock: systemClock,
      logger,
      nodeId: 'node_agent',
      monitors: () => new Map([[monitor.id, monitor]]),
      canaries: [],
    });
    // Already suspect before the channel is up: the views after the welcome must carry it.
    vantage.observe({
      id: 'r1',
      monitorId: 'mon_down',
      nodeId: 'node_agent',
      checkedAt: 1_000,
      status: 'down',
      errorKind: 'refused',
      latencyMs: 1,
      timings: {},
      message: 'connection refused',
      details: {},
    });
    outbox = openOutbox({ file: path.join(dir, 'outbox.db'), maxResults: 1_000, logger });
    link = createCoordinatorLink({
      host: '127.0.0.1',
      port: address.port,
      tls: { caCertPem: ca.certPem, ...agent },
      logger,
      clock: systemClock,
      version: 'test',
      outbox,
      configVersion: () => null,
      onConfig: () => undefined,
      checksPerSecond: () => 0,
      heartbeatMs: 60_000,
      views: () => ({ suspect: vantage.suspects(), canariesFailing: vantage.canariesFailing() }),
      onVoteRequest: (request) => vantage.vote(request.monitorId),
      onProbeRequest: (check) => vantage.probe(check),
      canaries: () => ({ total: 3, failing: 1 }),
    });
    link.start();
    await waitFor(
      () => (link.connected() ? true : undefined),
      5_000,
      () => 'the welcome',
    );
  });

  after(async () => {
    await link.stop();
    await vantage.stop();
    outbox.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends its canaries in heartbeats and its suspect set after the welcome', async () => {
    const heartbeat = await next('heartbeat');
    assert.deepEqual(heartbeat.canaries, { total: 3, failing: 1 });
    const views = await next('views');
    assert.equal(views.canariesFailing, false);
    assert.deepEqual(
      views.suspect.map((s) => [s.monitorId, s.since, s.evidence.errorKind]),
      [['mon_down', 1_000, 'refused']],
    );
  });

  it('answers a vote request by running the check now', async () => {
    const mark = received.length;
    sendToAgent({
      type: 'vote-request',
      roundId: 'round_1',
      monitorId: 'mon_down',
      deadlineAt: Date.now() + 5_000,
    });
    const vote = await next('vote', mark);
    assert.equal(vote.roundId, 'round_1');
    assert.equal(vote.monitorId, 'mon_down');
    assert.equal(vote.outcome, 'fail');
    assert.equal(vote.evidence.errorKind, 'refused');
    assert.ok((vote.evidence.checkedAt ?? 0) > 1_000, 'a fresh check, not the cached result');
  });

  it('answers a probe request with the check’s evidence', async () => {
    const mark = received.length;
    sendToAgent({
      type: 'probe-request',
      probeId: 'probe_1',
      check: { type: 'tcp', target: downTarget, options: {}, timeoutMs: 2_000 },
    });
    const result = await next('probe-result', mark);
    assert.equal(result.probeId, 'probe_1');
    assert.equal(result.evidence.status, 'down');
  });

  it('sends a signal at once while connected, and drops it (false) when not', async () => {
    const mark = received.length;
    const signal = {
      monitorId: 'mon_down',
      kind: 'recovered' as const,
      since: 5_000,
      evidence: { ...(vantage.suspects()[0]?.evidence ?? assert.fail('no suspect')) },
      canariesFailing: false,
    };
    assert.equal(link.signal(signal), true);
    const sent = await next('signal', mark);
    assert.deepEqual([sent.kind, sent.since, sent.monitorId], ['recovered', 5_000, 'mon_down']);
    await link.stop();
    assert.equal(link.signal(signal), false);
  });
});
