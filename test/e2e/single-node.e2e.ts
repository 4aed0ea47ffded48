import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordedResult } from '../../src/domain/check-result.ts';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { IncidentDetail } from '../../src/services/consensus-views.ts';
import type { ProbeReport } from '../../src/services/probe-service.ts';
import type { MonitorStatusView } from '../../src/services/status-service.ts';
import {
  crosscheckJson,
  runCrosscheck,
  startDaemon,
  tempDataDir,
  waitFor,
} from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { closedPort } from '../helpers/tcp-server.ts';
import { localApi, metricsText } from '../helpers/local-api.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

const SECRET = 'e2e-secret-0123456789';

/** A target that can be stopped and started again on the same port. */
async function startTarget(port = 0): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end('hello from the target'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

async function stopTarget(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('single node, end to end through the real CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let target: http.Server;
  let targetPort: number;
  let daemon: DaemonProcess | undefined;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    receiver = await startWebhookReceiver();
    target = await startTarget();
    targetPort = (target.address() as AddressInfo).port;
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    if (target.listening) await stopTarget(target);
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the whole outage cycle: up, incident + webhook, recovery + webhook, kill -9, restart', async () => {
    daemon = await startDaemon(dataDir);

    const second = await runCrosscheck(['start', '--api-listen', '127.0.0.1:0'], env());
    assert.equal(second.code, 5, `second start must refuse: ${second.stderr}`);
    assert.match(second.stderr, /already running/);

    const created = await crosscheckJson<Monitor>(
      [
        'monitor',
        'add',
        '--name',
        'Local target',
        '--type',
        'http',
        '--target',
        `http://127.0.0.1:${targetPort}/`,
        '--interval',
        '1s',
        '--timeout',
        '500ms',
        '--group',
        'web',
        '--tag',
        'prod',
        '--webhook',
        receiver.url,
        '--webhook-secret',
        SECRET,
      ],
      env(),
    );
    assert.match(created.id, /^mon_/);
    assert.equal(created.intervalMs, 1000);
    // `--webhook` is a shorthand for a webhook target, created (or reused) for this URL.
    const route = created.alerts[0];
    assert.ok(route !== undefined && 'target' in route, 'the webhook became a named target');
    assert.match(route.target, /^webhook-[0-9a-f]{8}$/);
    const targetShown = await crosscheckJson<{ settings: Record<string, unknown> }>(
      ['alerts', 'target', 'show', route.target, '--json'],
      env(),
    );
    assert.equal(targetShown.settings['secret'], '***', 'the secret is never shown');

    await waitFor(
      async () => {
        const [row] = await crosscheckJson<MonitorStatusView[]>(['status'], env());
        return row?.status === 'up' ? row : undefined;
      },
      15_000,
      () => 'monitor up',
    );

    await stopTarget(target);
    const stoppedAt = Date.now();
    const [open] = await waitFor(
      async () => {
        const list = await crosscheckJson<Incident[]>(['incidents', '--active'], env());
        return list.length > 0 ? list : undefined;
      },
      15_000,
      () => 'an open incident',
    );
    assert.equal(open?.monitorId, created.id);
    assert.equal(open?.status, 'open');
    assert.equal(open?.endedAt, null);

    const [down] = await receiver.waitForRequests(1, 15_000);
    assert.ok(down);
    assert.equal(down.headers['x-crosscheck-event'], 'down');
    assert.ok(receiver.verifySignature(down, SECRET), 'webhook signature verifies');
    const downBody = down.json as {
      kind: string;
      monitor: { id: string };
      incident: { id: string };
    };
    assert.equal(downBody.kind, 'down');
    assert.equal(downBody.incident.id, open?.id);
    assert.ok(
      down.receivedAt - stoppedAt < 2 * 1000 + 500 + 5_000,
      'alert within threshold × interval + timeout + slack',
    );

    target = await startTarget(targetPort);
    const resolved = await waitFor(
      async () => {
        const list = await crosscheckJson<Incident[]>(['incidents'], env());
        const incident = list.find((i) => i.id === open?.id);
        return incident?.status === 'resolved' ? incident : undefined;
      },
      15_000,
      () => 'incident resolved',
    );
    assert.ok(resolved.endedAt !== null && resolved.durationMs !== null && resolved.durationMs > 0);
    assert.equal(resolved.verdict, 'down');

    const detail = await crosscheckJson<IncidentDetail>(['incidents', 'show', resolved.id], env());
    const purposes = detail.evidence.map((r) => r.purpose);
    assert.ok(purposes.includes('confirm') && purposes.includes('recover'), purposes.join());
    assert.ok(detail.evidence.every((r) => r.votes.length >= 1 && r.incidentId === resolved.id));
    const shown = await runCrosscheck(['incidents', 'show', resolved.id], env());
    assert.match(shown.stdout, /confirm round \S+ · down ·/);
    assert.match(shown.stdout, /NODE\s+REGION\s+VOTE\s+STATUS\s+LATENCY\s+MESSAGE\s+ANSWERED/);

    const requests = await receiver.waitForRequests(2, 15_000);
    assert.equal(requests[1]?.headers['x-crosscheck-event'], 'recovered');
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(receiver.requests.length, 2, 'exactly one down and one recovery webhook');

    const beforeKill = await crosscheckJson<RecordedResult[]>(
      ['history', '--monitor', created.id, '--limit', '10000'],
      env(),
    );
    assert.ok(beforeKill.length >= 6, `results recorded: ${beforeKill.length}`);
    assert.ok(
      beforeKill.some((r) => r.status === 'down') && beforeKill.some((r) => r.status === 'up'),
    );

    await daemon.stop('SIGKILL');
    daemon = undefined;

    // No daemon: reads come from the store, writes say clearly that the daemon is not running.
    const offline = await crosscheckJson<MonitorStatusView[]>(['status'], env());
    assert.equal(offline[0]?.id, created.id);
    const write = await runCrosscheck(['monitor', 'pause', created.id], env());
    assert.equal(write.code, 3);
    assert.match(write.stderr, /daemon is not running/);
    const afterKill = await crosscheckJson<RecordedResult[]>(
      ['history', '--monitor', created.id, '--limit', '10000'],
      env(),
    );
    const stored = new Set(afterKill.map((r) => r.id));
    assert.ok(
      beforeKill.every((r) => stored.has(r.id)),
      'every result stored before kill -9 is still there',
    );

    daemon = await startDaemon(dataDir);
    const incidents = await crosscheckJson<Incident[]>(['incidents'], env());
    assert.equal(incidents.length, 1, 'history intact after restart, nothing duplicated');
    await waitFor(
      async () => {
        const rows = await crosscheckJson<RecordedResult[]>(
          ['history', '--monitor', created.id, '--limit', '10000'],
          env(),
        );
        return rows.length > afterKill.length ? rows : undefined;
      },
      10_000,
      () => 'checks resuming after restart',
    );

    const paused = await crosscheckJson<Monitor>(['monitor', 'pause', created.id], env());
    assert.equal(paused.paused, true);
    const [row] = await crosscheckJson<MonitorStatusView[]>(['status'], env());
    assert.equal(row?.status, 'paused');

    const health = await crosscheckJson<{
      running: boolean;
      database: { sizeBytes: number };
      monitors: { total: number };
    }>(['health'], env());
    assert.equal(health.running, true);
    assert.ok(health.database.sizeBytes > 0);
    assert.equal(health.monitors.total, 1);

    // A probe runs on every online node: here the one node, through the running daemon.
    const upProbe = await runCrosscheck(
      ['probe', 'http', `http://127.0.0.1:${targetPort}/`, '--timeout', '2s'],
      env(),
    );
    assert.equal(upProbe.code, 0, upProbe.stderr);
    assert.match(upProbe.stdout, /NODE\s+REGION\s+RESULT\s+LATENCY\s+MESSAGE/);
    assert.match(upProbe.stdout, /up everywhere/);
    const downProbe = await runCrosscheck(
      ['probe', 'tcp', `127.0.0.1:${await closedPort()}`, '--timeout', '1s', '--json'],
      env(),
    );
    assert.equal(downProbe.code, 1, downProbe.stderr);
    const report = JSON.parse(downProbe.stdout) as ProbeReport;
    assert.equal(report.verdict.line, 'down for everyone');
    assert.equal(report.nodes[0]?.evidence?.errorKind, 'refused');

    const metrics = await metricsText(localApi(dataDir, daemon.apiUrl));
    assert.match(metrics, /crosscheck_checks_total\{type="http",status="up"\} \d+/);
    assert.match(metrics, /crosscheck_results_stored_total \d+/);

    const exit = await daemon.stop('SIGTERM');
    daemon = undefined;
    assert.equal(exit, 0, 'graceful shutdown exits 0');
    assert.equal(fs.existsSync(path.join(dataDir, 'daemon.json')), false);
    const mode = fs.statSync(path.join(dataDir, 'crosscheck.db')).mode & 0o777;
    assert.equal(mode, 0o600);
  });
});
