import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from '../cli/api-client.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { AppError } from '../lib/errors.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { joinCluster } from './cluster-setup.ts';
import type { RunningNode } from './node.ts';

const cluster = loopbackCluster({ graceCount: 10 });

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

describe('an agent’s CLI calls: its own token file locally, its operator token on the coordinator', () => {
  let coordinator: { node: RunningNode; api: ApiClient };
  let agent: { node: RunningNode; api: ApiClient };
  let agentDir: string;

  before(async () => {
    coordinator = await cluster.startCoordinator('coord', 'eu');
    const { token } = await coordinator.api.request<{ token: string }>(
      'POST',
      '/api/v1/cluster/join-tokens',
      { role: 'viewer' },
    );
    agentDir = cluster.dir();
    await joinCluster({ dataDir: agentDir, token, name: 'edge', region: 'us', labels: {} });
    agent = await cluster.run(agentDir);
  });
  after(() => cluster.cleanup());

  it('forwards as the node’s service user with the role chosen at join', async () => {
    const file = dataDirPaths(agentDir).operatorToken;
    assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
    const me = await waitFor(
      () =>
        agent.api
          .request<{ name: string; role: string; kind: string }>('GET', '/api/v1/auth/me')
          .catch(() => undefined),
      10_000,
      () => 'the agent forwarding its first call',
    );
    assert.deepEqual(
      { name: me.name, role: me.role, kind: me.kind },
      { name: `node:${agent.node.nodeId}`, role: 'viewer', kind: 'node' },
    );
    await rejectsWith(
      agent.api.request('POST', '/api/v1/monitors', {
        name: 'x',
        type: 'tcp',
        target: '127.0.0.1:1',
      }),
      'FORBIDDEN',
    );
    await rejectsWith(
      new ApiClient(agent.node.apiUrl).request('GET', '/api/v1/auth/me'),
      'UNAUTHORIZED',
    );
  });

  it('node remove revokes the operator token: the coordinator refuses it', async () => {
    const operatorToken = fs.readFileSync(dataDirPaths(agentDir).operatorToken, 'utf8').trim();
    const direct = new ApiClient(coordinator.node.apiUrl, operatorToken);
    assert.equal((await direct.request<{ role: string }>('GET', '/api/v1/auth/me')).role, 'viewer');
    await coordinator.api.request('DELETE', `/api/v1/nodes/${agent.node.nodeId}`);
    await rejectsWith(direct.request('GET', '/api/v1/auth/me'), 'UNAUTHORIZED');
  });
});
