import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../observability/logger.ts';
import { tempDataDir, waitFor } from '../../../test/helpers/cli.ts';
import { nodeCertificate } from '../../../test/helpers/node-certs.ts';
import { openOutbox } from '../outbox/outbox.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { createClusterCa } from '../pki/ca.ts';
import { createCoordinatorLink } from './coordinator-link.ts';
import type { CoordinatorLink } from './coordinator-link.ts';
import { frameText, parseAgentMessage } from './messages.ts';
import { createPeerServer } from './peer-server.ts';
import type { PeerServer } from './peer-server.ts';

const logger = silentLogger();
/** What the coordinator's welcome says; the agent's own config (60 s) must give way to it. */
const WELCOME = { heartbeatMs: 200, graceCount: 3 };

describe('coordinator link: reconnecting to a restarted coordinator', () => {
  let dir: string;
  let outbox: Outbox;
  let link: CoordinatorLink;
  let server: PeerServer | undefined;
  let port = 0;
  let startServer: () => Promise<void>;
  // Every delay the link asks its clock for, so the backoff can be read without timing it.
  const delays: number[] = [];
  const recordingClock: Clock = {
    ...systemClock,
    setTimeout: (callback, delayMs) => {
      delays.push(delayMs);
      return systemClock.setTimeout(callback, delayMs);
    },
  };

  before(async () => {
    dir = tempDataDir();
    const ca = await createClusterCa({ now: new Date() });
    const [coordinator, agent] = await Promise.all([
      nodeCertificate(ca, 'node_coord', 'coordinator'),
      nodeCertificate(ca, 'node_agent', 'agent'),
    ]);
    startServer = async () => {
      server = createPeerServer({
        tls: { caCertPem: ca.certPem, ...coordinator },
        logger,
        onJoin: () => Promise.reject(new Error('no joins in this test')),
        isRevoked: () => false,
        onChannel: (identity, ws) => {
          ws.on('message', (data) => {
            if (parseAgentMessage(frameText(data), identity.nodeId).type !== 'hello') return;
            const welcome = { type: 'welcome', nodeId: identity.nodeId, name: 'agent' };
            ws.send(JSON.stringify({ ...welcome, serverTime: Date.now(), ...WELCOME }));
          });
        },
      });
      port = (await server.listen('127.0.0.1', port)).port;
    };
    await startServer();
    outbox = openOutbox({ file: path.join(dir, 'outbox.db'), maxResults: 1_000, logger });
    link = createCoordinatorLink({
      host: '127.0.0.1',
      port,
      tls: { caCertPem: ca.certPem, ...agent },
      logger,
      clock: recordingClock,
      version: 'test',
      outbox,
      configVersion: () => null,
      onConfig: () => undefined,
      checksPerSecond: () => 0,
      heartbeatMs: 60_000,
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
    outbox.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every retry within the cap from the welcome however long the coordinator is away, then reconnects', async () => {
    await server?.close();
    server = undefined;
    const from = delays.length;
    // Refused attempts pile up; the old backoff would be at 2–4 s by the 4th.
    const cap = Math.floor((WELCOME.heartbeatMs * WELCOME.graceCount) / 3);
    await waitFor(
      () => (delays.slice(from).filter((d) => d < 10_000).length >= 8 ? true : undefined),
      30_000,
      () => `eight reconnect attempts: ${delays.slice(from).join(', ')}`,
    );
    assert.equal(link.connected(), false);
    // Timers of 10 s and more are welcome/forward timeouts, not reconnect delays.
    const retries = delays.slice(from).filter((d) => d < 10_000);
    assert.ok(
      retries.every((d) => d <= cap),
      `every retry within ${cap} ms: ${retries.join(', ')}`,
    );
    assert.ok(
      retries.some((d) => d < cap),
      `jittered below the cap: ${retries.join(', ')}`,
    );

    await startServer();
    await waitFor(
      () => (link.connected() ? true : undefined),
      10_000,
      () => 'the reconnection',
    );
  });
});
