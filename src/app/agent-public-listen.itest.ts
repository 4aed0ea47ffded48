import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { loadNodeConfig } from '../config/node-config.ts';
import { createLogger } from '../observability/logger.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { closedPort } from '../../test/helpers/tcp-server.ts';
import { PUBLIC_LISTEN_IGNORED } from './agent-node.ts';
import { joinCluster } from './cluster-setup.ts';
import { startNode } from './node.ts';
import type { RunningNode } from './node.ts';

const cluster = loopbackCluster({ graceCount: 10 });

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('an agent given --public-listen', () => {
  let agent: RunningNode | undefined;
  let port: number;
  const lines: string[] = [];

  before(async () => {
    const coordinator = await cluster.startCoordinator('coord', 'eu');
    const { token } = await coordinator.api.request<{ token: string }>(
      'POST',
      '/api/v1/cluster/join-tokens',
      { role: 'viewer' },
    );
    const agentDir = cluster.dir();
    await joinCluster({ dataDir: agentDir, token, name: 'edge', region: 'us', labels: {} });
    port = await closedPort();
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    // As the environment gives it: CROSSCHECK_PUBLIC_LISTEN.
    const config = loadNodeConfig(
      { dataDir: agentDir, apiListen: '127.0.0.1:0', heartbeatInterval: '200ms' },
      { CROSSCHECK_PUBLIC_LISTEN: `127.0.0.1:${port}` },
    );
    agent = await startNode({ config, logger: createLogger('warn', 'json', logs) });
  });

  after(async () => {
    await agent?.stop();
    await cluster.cleanup();
  });

  it('runs without it, warns in the log and in the start warnings the CLI prints, listens on nothing', async () => {
    assert.equal(agent?.role, 'agent');
    assert.deepEqual(agent?.warnings, [PUBLIC_LISTEN_IGNORED]);
    const warning = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string; setting?: string })
      .find((entry) => entry.msg === PUBLIC_LISTEN_IGNORED);
    assert.ok(warning, `no warning in ${lines.join('\n')}`);
    assert.equal(warning.level, 40);
    assert.equal(warning.setting, 'publicListen');
    assert.equal(await refused(port), true);
  });
});
