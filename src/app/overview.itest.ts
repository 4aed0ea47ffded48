import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../cli/api-client.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { CompactOverviewPage as OverviewPage } from '../services/overview/day-strip.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';

// A real coordinator serves the overview from its own memory (the check engine's monitors and
// the ingestor's states): a monitor created over the API shows up, checks, and pauses there.

const cluster = loopbackCluster({ graceCount: 5 });

describe('the overview of a running coordinator', () => {
  let target: TestServer;
  let api: ApiClient;

  before(async () => {
    target = await startHttpServer((_req, res) => res.end('ok'));
    ({ api } = await cluster.startCoordinator('coord', 'eu-west'));
  });

  after(async () => {
    await cluster.cleanup();
    await target.close();
  });

  it('shows a new monitor, its checks from the region, and its pause', async () => {
    const monitor = await api.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'Front page',
      type: 'http',
      target: `${target.origin}/`,
      group: 'shop',
      tags: ['prod'],
      intervalMs: 1_000,
      timeoutMs: 500,
    });
    const up = await waitFor(
      async () => {
        const page = await api.request<OverviewPage>('GET', '/api/v1/overview?q=FRONT');
        const item = page.items[0];
        return item?.state === 'up' && item.regions[0]?.up === 1 ? page : undefined;
      },
      15_000,
      () => 'the monitor checked up from eu-west',
    );
    const item = up.items[0];
    assert.equal(up.total, 1);
    assert.equal(item?.id, monitor.id);
    assert.deepEqual(item?.regions, [{ region: 'eu-west', state: 'up', up: 1, down: 0, total: 1 }]);
    // Compact bars: 89 days before its creation without data, today up so far.
    assert.match(item?.bars.days ?? '', /^n{89}[ud]$/);
    assert.equal(
      item?.bars.from,
      new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10),
    );
    assert.ok((item?.latencyMs ?? -1) >= 0);
    assert.deepEqual(up.regions, ['eu-west']);
    assert.deepEqual(up.groups, ['shop']);

    await api.request('POST', `/api/v1/monitors/${monitor.id}/pause`);
    const paused = await api.request<OverviewPage>('GET', '/api/v1/overview?state=paused');
    assert.deepEqual(
      paused.items.map((i) => [i.id, i.paused]),
      [[monitor.id, true]],
    );
    const none = await api.request<OverviewPage>('GET', '/api/v1/overview?state=up,down');
    assert.equal(none.total, 0);
    assert.equal(none.counts.paused, 1);
  });

  it('lists the check types with their forms', async () => {
    const types = await api.request<{ items: { type: string }[] }>('GET', '/api/v1/check-types');
    assert.ok(types.items.some((t) => t.type === 'http'));
  });
});
