import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCheckRunner } from '../agent/check-runner.ts';
import type { ApiClient } from '../cli/api-client.ts';
import { downResult } from '../checks/outcome.ts';
import { getCheck } from '../checks/registry.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { HealthView } from '../services/health-service.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { listItems } from '../../test/helpers/local-api.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { joinCluster } from './cluster-setup.ts';

// A failed browser check's evidence travels with its result, from the coordinator's own checks
// and over an agent's peer channel, and is listed on the incident the failures open. The seam
// is the nodes' check runner: its browser check fails at once with evidence (no Chromium).

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 4, 2, 0xff, 0xd9]);

/** A runner whose browser check fails an expectation, with a screenshot and a console error. */
const failingBrowser = (node: string) =>
  createCheckRunner((type) =>
    type === 'browser'
      ? {
          ...getCheck('browser'),
          run: () =>
            Promise.resolve({
              ...downResult('assertion', 40, 'step 1 (expectText h1): no Welcome'),
              evidence: {
                screenshotJpeg: JPEG.toString('base64'),
                consoleErrors: [`login failed (seen by ${node})`],
              },
            }),
        }
      : getCheck(type),
  );

interface EvidenceItem {
  nodeId: string;
  consoleErrors: string[];
  screenshotBytes: number;
  screenshotUrl: string | null;
}

describe('browser evidence from coordinator and agent reaches the incident', () => {
  const cluster = loopbackCluster({ graceCount: 5 });
  after(() => cluster.cleanup());

  it('lists both nodes’ screenshots and console errors on the incident', async () => {
    const { api } = await cluster.startCoordinator('coord', 'eu', {
      runCheck: failingBrowser('coord'),
    });
    const { token } = await api.request<{ token: string }>('POST', '/api/v1/cluster/join-tokens', {
      expires: '10m',
    });
    const agentDir = cluster.dir();
    await joinCluster({ dataDir: agentDir, token, name: 'agent', region: 'us', labels: {} });
    const agent: ApiClient = (
      await cluster.run(agentDir, undefined, { runCheck: failingBrowser('agent') })
    ).api;
    await waitFor(
      async () => {
        const health = await agent.request<HealthView>('GET', '/api/v1/health');
        return health.cluster?.coordinator?.connected ? true : undefined;
      },
      10_000,
      () => 'agent connected',
    );
    const monitor = await api.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'shop login',
      type: 'browser',
      // Never contacted: the nodes' browser check is the failing seam above.
      target: 'http://127.0.0.1:9/login',
      intervalMs: 1_000,
      timeoutMs: 1_000,
    });
    const incident = await waitFor(
      async () =>
        (await listItems<Incident>(api, '/api/v1/incidents')).find(
          (i) => i.monitorId === monitor.id,
        ),
      20_000,
      () => 'an incident',
    );
    const items = await waitFor(
      async () => {
        const { items: found } = await api.request<{ items: EvidenceItem[] }>(
          'GET',
          `/api/v1/incidents/${incident.id}/evidence`,
        );
        const nodes = new Set(found.map((item) => item.consoleErrors[0]));
        return nodes.size === 2 ? found : undefined;
      },
      20_000,
      () => 'evidence from both nodes',
    );
    for (const item of items) {
      assert.equal(item.screenshotBytes, JPEG.length);
      assert.match(item.screenshotUrl ?? '', /\/evidence\/.+\/screenshot$/);
    }
  });
});
