import { listItems } from '../../test/helpers/local-api.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../cli/api-client.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { AlertLogEntry } from '../services/alert-log-service.ts';
import type { MaintenanceView } from '../services/maintenance-service.ts';
import type { MonitorStatusView } from '../services/status-service.ts';
import type { MonitorUptimeView } from '../services/uptime-views.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../../test/helpers/webhook-receiver.ts';

// One real coordinator (a complete monitor alone) and a switchable target: an outage inside a
// maintenance window opens an incident marked with the window, pages nobody (its alert is on
// record, suppressed with reason `maintenance`) and does not lower uptime.

const cluster = loopbackCluster({ graceCount: 5 });

describe('maintenance windows through a real coordinator', () => {
  let target: TestServer;
  let healthy = true;
  let receiver: WebhookReceiver;
  let api: ApiClient;

  before(async () => {
    target = await startHttpServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end(healthy ? 'ok' : 'unavailable');
    });
    receiver = await startWebhookReceiver();
    api = (await cluster.startCoordinator('coord', 'eu')).api;
  });

  after(async () => {
    await cluster.cleanup();
    await receiver.close();
    await target.close();
  });

  it('an outage in a window opens a marked incident, pages nobody and is left out of uptime', async () => {
    const monitor = await api.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'shop',
      type: 'http',
      target: `${target.origin}/`,
      intervalMs: 1_000,
      timeoutMs: 500,
      tags: ['db'],
      alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
    });
    const status = async () =>
      (await listItems<MonitorStatusView>(api, '/api/v1/status')).find((m) => m.id === monitor.id);
    await waitFor(
      async () => ((await status())?.status === 'up' ? true : undefined),
      10_000,
      () => 'monitor up',
    );
    // Observed up for a moment before the window starts, so uptime has time to count.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const window = await api.request<MaintenanceView>('POST', '/api/v1/maintenance', {
      name: 'db upgrade',
      tags: ['db'],
      startsAt: Date.now(),
      endsAt: Date.now() + 3_600_000,
      reason: 'postgres 18',
    });
    assert.equal(window.active, true);
    assert.deepEqual((await status())?.maintenance, {
      id: window.id,
      name: 'db upgrade',
      until: window.next?.end,
    });

    healthy = false;
    const incident = await waitFor(
      async () => (await listItems<Incident>(api, `/api/v1/incidents?monitor=${monitor.id}`))[0],
      15_000,
      () => 'incident opened',
    );
    assert.deepEqual(incident.maintenance, { id: window.id, name: 'db upgrade' });
    const alerts = await waitFor(
      async () => {
        const log = await listItems<AlertLogEntry>(api, `/api/v1/alerts?monitor=${monitor.id}`);
        return log.length > 0 ? log : undefined;
      },
      10_000,
      () => 'alert decision recorded',
    );
    assert.deepEqual(
      alerts.map((a) => [a.kind, a.status, a.reason]),
      [['down', 'suppressed', 'maintenance']],
    );

    healthy = true;
    await waitFor(
      async () => {
        const [latest] = await listItems<Incident>(api, `/api/v1/incidents?monitor=${monitor.id}`);
        return latest?.status === 'resolved' ? latest : undefined;
      },
      15_000,
      () => 'incident resolved',
    );
    const closing = (await listItems<AlertLogEntry>(api, `/api/v1/alerts?monitor=${monitor.id}`))
      .filter((a) => a.kind === 'recovered')
      .map((a) => [a.status, a.reason]);
    assert.deepEqual(closing, [['suppressed', 'opening-suppressed']]);
    assert.equal(receiver.requests.length, 0, 'nothing paged');

    const inWindow = await api.request<MonitorUptimeView>(
      'GET',
      `/api/v1/monitors/${monitor.id}/uptime?window=24h`,
    );
    assert.equal(inWindow.downMs, 0, 'downtime inside the window does not count');
    assert.equal(inWindow.uptime, 1);

    await api.request('DELETE', `/api/v1/maintenance/${encodeURIComponent('db upgrade')}`);
    const without = await api.request<MonitorUptimeView>(
      'GET',
      `/api/v1/monitors/${monitor.id}/uptime?window=24h`,
    );
    assert.ok(without.downMs > 0, 'the same downtime counts once the window is gone');
    assert.ok((without.uptime ?? 1) < 1);
    assert.ok(without.observedMs > inWindow.observedMs, 'the window left the denominator');
    assert.equal((await status())?.maintenance, null);
    // The incident still names the window it opened in.
    const [kept] = await listItems<Incident>(api, `/api/v1/incidents?monitor=${monitor.id}`);
    assert.deepEqual(kept?.maintenance, { id: window.id, name: 'db upgrade' });
  });
});
