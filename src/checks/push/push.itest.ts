// Push monitors through a real coordinator on loopback: pings over HTTP from the test, missed
// pings paging a real webhook receiver, fail and start signals, a restart with a stale ping,
// and wrong tokens. Real time with short schedules (1–3 s): the test waits for outcomes, never
// asserts how long they took.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../../cli/api-client.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Incident } from '../../domain/incident.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { RunningNode } from '../../app/node.ts';
import { waitFor } from '../../../test/helpers/cli.ts';
import { runCliInProcess } from '../../../test/helpers/in-process-cli.ts';
import { listItems, waitForMonitorStatus } from '../../../test/helpers/local-api.ts';
import { loopbackCluster } from '../../../test/helpers/loopback-cluster.ts';
import { startWebhookReceiver } from '../../../test/helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../../../test/helpers/webhook-receiver.ts';

const cluster = loopbackCluster({ graceCount: 5 });

describe('push monitors on a loopback coordinator', { timeout: 120_000 }, () => {
  let receiver: WebhookReceiver;
  let api: ApiClient;
  let node: RunningNode;
  let dataDir: string;
  let peerPort: number;
  let serial = 0;

  const pushUrl = (token: string, suffix = '') => `${node.apiUrl}/api/v1/push/${token}${suffix}`;
  const ping = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, init);
    return { status: response.status, body: await response.text() };
  };
  /** A push monitor with its own token (20+ base64url characters) and a webhook route. */
  async function pushMonitor(
    options: Record<string, unknown>,
  ): Promise<{ id: string; token: string }> {
    serial++;
    const token = `itest-push-token-${serial}-${'x'.repeat(8)}`;
    const monitor = await api.request<Monitor>('POST', '/api/v1/monitors', {
      name: `job-${serial}`,
      type: 'push',
      target: `job-${serial}`,
      intervalMs: 1_000,
      options: { token, ...options },
      alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
    });
    assert.equal(monitor.options['token'], '***', 'the token is masked in API output');
    return { id: monitor.id, token };
  }
  /** The newest result (the list is newest first). */
  const latest = async (monitorId: string) =>
    (await listItems<RecordedResult>(api, `/api/v1/results?monitor=${monitorId}&since=1h`))[0];
  const eventsAbout = (monitorId: string, event: string) =>
    receiver.requests.filter(
      (r) =>
        r.headers['x-crosscheck-event'] === event && JSON.stringify(r.json).includes(monitorId),
    );

  before(async () => {
    receiver = await startWebhookReceiver();
    const started = await cluster.startCoordinator('coord', null);
    ({ api, node, dataDir, peerPort } = started);
  });

  after(async () => {
    await cluster.cleanup();
    await receiver.close();
  });

  it('pings keep it up; missed pings open an incident and page; a ping resolves it', async () => {
    const { id, token } = await pushMonitor({ periodMs: 1_000, graceMs: 1_000 });
    assert.deepEqual(await ping(pushUrl(token)), { status: 200, body: 'OK\n' });
    await waitForMonitorStatus(api, id, 'up');
    const result = await waitFor(
      async () => {
        const newest = await latest(id);
        return newest?.details['lastPingAt'] ? newest : undefined;
      },
      10_000,
      () => 'a result judging the ping',
    );
    assert.equal(result.status, 'up');
    assert.equal(result.details['verdictBy'], 'pings');

    // No more pings: period + grace pass, the coordinator's single vote confirms, the webhook fires.
    await waitFor(
      () => (eventsAbout(id, 'down').length > 0 ? true : undefined),
      20_000,
      () => 'down page',
    );
    const [incident] = await listItems<Incident>(api, `/api/v1/incidents?monitor=${id}`);
    assert.ok(incident !== undefined && incident.endedAt === null);
    const explained = await api.request<unknown>('GET', `/api/v1/incidents/${incident.id}/explain`);
    assert.match(JSON.stringify(explained), /verdict from pings, not a quorum/);

    assert.equal((await ping(pushUrl(token), { method: 'POST', body: 'back' })).status, 200);
    await waitForMonitorStatus(api, id, 'up', 15_000);
    await waitFor(
      () => (eventsAbout(id, 'recovered').length > 0 ? true : undefined),
      15_000,
      () => 'recovered page',
    );
  });

  it('?status=down and /fail mark it down at once with their message; a success ping clears it', async () => {
    const { id, token } = await pushMonitor({ periodMs: 60_000, graceMs: 60_000 });
    assert.equal((await ping(pushUrl(token))).status, 200);
    await waitForMonitorStatus(api, id, 'up');
    assert.equal((await ping(`${pushUrl(token)}?status=down&msg=disk%20full`)).status, 200);
    await waitForMonitorStatus(api, id, 'down', 15_000);
    assert.match((await latest(id))?.message ?? '', /disk full/);
    assert.equal((await ping(pushUrl(token))).status, 200);
    await waitForMonitorStatus(api, id, 'up', 15_000);
    assert.equal(
      (await ping(pushUrl(token, '/fail'), { method: 'POST', body: 'exit 3' })).status,
      200,
    );
    await waitForMonitorStatus(api, id, 'down', 15_000);
    assert.match((await latest(id))?.message ?? '', /exit 3/);
  });

  it('a start without a closing ping is down after grace; a closing ping records the run time', async () => {
    const { id, token } = await pushMonitor({ periodMs: 60_000, graceMs: 1_000 });
    assert.equal((await ping(pushUrl(token, '/start'))).status, 200);
    assert.equal((await ping(pushUrl(token))).status, 200);
    await waitFor(
      async () => ((await latest(id))?.details['runMs'] !== undefined ? true : undefined),
      10_000,
      () => 'a result with runMs',
    );
    assert.equal((await ping(pushUrl(token, '/start'))).status, 200);
    await waitForMonitorStatus(api, id, 'down', 15_000);
    assert.match((await latest(id))?.message ?? '', /no closing ping/);
  });

  it('answers 404 to an unknown token and 400 to odd input, revealing nothing', async () => {
    const { token } = await pushMonitor({ periodMs: 60_000 });
    const unknown = await ping(pushUrl('no-such-token-at-all-000'));
    assert.deepEqual(unknown, { status: 404, body: 'not found\n' });
    assert.equal((await ping(pushUrl(`${token}x`))).status, 404);
    assert.equal((await ping(`${pushUrl(token)}?status=sideways`)).status, 400);
    const kuma = await ping(`${node.apiUrl}/api/push/${token}?status=up&msg=OK&ping=`);
    assert.equal(kuma.status, 200, 'Uptime Kuma’s push path works too');
    const huge = await ping(pushUrl(token), { method: 'POST', body: 'x'.repeat(100_000) });
    assert.equal(huge.status, 413);
    const json = await ping(pushUrl(token), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(json.status, 200);
  });

  it('crosscheck push: by URL (no login), by monitor name via the API, --start/--fail/--message', async () => {
    const { id, token } = await pushMonitor({ periodMs: 60_000, graceMs: 60_000 });
    const elsewhere = cluster.dir(); // another machine: no daemon, no credentials
    const byUrl = await runCliInProcess(elsewhere, ['push', pushUrl(token)]);
    assert.deepEqual([byUrl.code, byUrl.stdout], [0, 'ping sent']);
    await waitFor(
      async () => ((await latest(id))?.details['lastPingAt'] ? true : undefined),
      10_000,
      () => 'the CLI ping judged',
    );
    const failed = await runCliInProcess(dataDir, [
      'push',
      `job-${serial}`,
      '--fail',
      '--message',
      'exit 2',
    ]);
    assert.deepEqual([failed.code, failed.stdout], [0, 'failure reported']);
    await waitForMonitorStatus(api, id, 'down', 15_000);
    assert.match((await latest(id))?.message ?? '', /exit 2/);
    const started = await runCliInProcess(dataDir, ['push', id, '--start']);
    assert.equal(started.code, 0);

    const unknown = await runCliInProcess(elsewhere, ['push', pushUrl('no-such-token-at-all-000')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no push monitor has this URL/);
    const refused = await runCliInProcess(elsewhere, [
      'push',
      `http://127.0.0.1:9/api/v1/push/${token}`,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /could not reach/);
    assert.ok(!refused.stderr.includes(token), 'the token is not printed');
    const noDaemon = await runCliInProcess(elsewhere, ['push', 'some-job']);
    assert.equal(noDaemon.code, 1);
    assert.equal((await runCliInProcess(elsewhere, ['push', 'http://x.invalid/nope'])).code, 2);
    assert.equal((await runCliInProcess(dataDir, ['push', 'no-such-monitor'])).code, 2);
    const both = await runCliInProcess(elsewhere, ['push', pushUrl(token), '--fail', '--start']);
    assert.equal(both.code, 2);
  });

  it('push-url shows the secret path to editors; rotating the token retires the old URL at once', async () => {
    const { id, token } = await pushMonitor({ periodMs: 60_000 });
    const shown = await api.request<{ path: string }>('GET', `/api/v1/monitors/${id}/push-url`);
    assert.equal(shown.path, `/api/v1/push/${token}`);
    const rotated = await api.request<{ path: string }>(
      'POST',
      `/api/v1/monitors/${id}/push-token/rotate`,
      {},
    );
    assert.notEqual(rotated.path, shown.path);
    assert.equal((await ping(pushUrl(token))).status, 404);
    assert.equal((await ping(`${node.apiUrl}${rotated.path}`)).status, 200);
  });

  it('after a restart, a stale ping is not judged down before the restart plus grace', async () => {
    const { id, token } = await pushMonitor({ periodMs: 1_000, graceMs: 2_000 });
    assert.equal((await ping(pushUrl(token))).status, 200);
    await waitForMonitorStatus(api, id, 'up');
    await cluster.stop(node);
    // Away longer than period + grace: the stored ping is stale when the coordinator returns.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const restartedAt = Date.now();
    ({ node, api } = await cluster.run(dataDir, peerPort));
    await waitForMonitorStatus(api, id, 'down', 20_000);
    const results = await listItems<RecordedResult>(api, `/api/v1/results?monitor=${id}&since=1h`);
    // Newest first: the last down in the list is the first one after the restart.
    const after = results.filter((r) => r.checkedAt >= restartedAt);
    const firstDown = after.filter((r) => r.status === 'down').at(-1);
    assert.ok(firstDown !== undefined);
    assert.ok(firstDown.checkedAt > restartedAt + 2_000, 'no down before the restart plus grace');
    assert.ok(after.some((r) => r.status === 'up' && r.checkedAt < firstDown.checkedAt));
  });
});
