import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { AlertLogEntry } from '../../src/services/alert-log-service.ts';
import {
  crosscheckJson,
  runCrosscheck,
  startDaemon,
  tempDataDir,
  waitFor,
} from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { closedPort } from '../helpers/tcp-server.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

describe('alerts log, end to end through the real CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let daemon: DaemonProcess | undefined;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    receiver = await startWebhookReceiver();
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a page sent on the second try, and keeps it after the monitor is deleted', async () => {
    daemon = await startDaemon(dataDir);
    const empty = await runCrosscheck(['alerts', 'log'], env());
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No alerts\./);

    // The receiver refuses the first page (500): the dispatcher retries and the second goes.
    receiver.failNext(1, 500);
    const monitor = await crosscheckJson<Monitor>(
      [
        'monitor',
        'add',
        '--name',
        'Billing API',
        '--type',
        'tcp',
        '--target',
        `127.0.0.1:${await closedPort()}`,
        '--interval',
        '1s',
        '--timeout',
        '500ms',
        '--webhook',
        `${receiver.url}?token=hook-token`,
      ],
      env(),
    );
    await receiver.waitForRequests(2, 20_000);
    const [entry] = await waitFor(
      async () => {
        const log = await crosscheckJson<AlertLogEntry[]>(['alerts', 'log'], env());
        return log[0]?.status === 'sent' ? log : undefined;
      },
      10_000,
      () => 'the page recorded as sent',
    );
    assert.ok(entry);
    assert.equal(entry.kind, 'down');
    assert.equal(entry.reason, 'new-incident');
    assert.deepEqual(entry.monitor, { id: monitor.id, name: 'Billing API' });
    assert.ok(entry.incidentId !== null);
    assert.ok('target' in entry.route, 'the --webhook shorthand routes to a named target');
    const target = await crosscheckJson<{ settings: Record<string, unknown> }>(
      ['alerts', 'target', 'show', entry.route.target, '--json'],
      env(),
    );
    assert.equal(target.settings['url'], `${receiver.url}?token=***`, 'no secret shown');
    assert.equal(entry.attempts, 2);
    assert.deepEqual(
      entry.attemptHistory.map((a) => [a.attempt, a.outcome, a.httpStatus]),
      [
        [1, 'retry', 500],
        [2, 'sent', null],
      ],
    );
    assert.match(entry.attemptHistory[0]?.error ?? '', /Webhook answered 500: planned failure 500/);

    const table = await runCrosscheck(['alerts', 'log', '--incident', entry.incidentId], env());
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /WHEN\s+SUBJECT\s+INCIDENT\s+KIND\s+ROUTE\s+STATUS\s+TRIES/);
    assert.match(table.stdout, new RegExp(`Billing API \\(${monitor.id}\\).*down.*sent\\s+2`));
    assert.doesNotMatch(table.stdout, /hook-token/);

    const badSince = await runCrosscheck(['alerts', 'log', '--since', '10x'], env());
    assert.equal(badSince.code, 2);
    assert.match(badSince.stderr, /--since/);

    const deleted = await runCrosscheck(['monitor', 'delete', monitor.id], env());
    assert.equal(deleted.code, 0, deleted.stderr);
    const kept = await crosscheckJson<AlertLogEntry[]>(
      ['alerts', 'log', '--monitor', monitor.id],
      env(),
    );
    assert.ok(kept.some((e) => e.id === entry.id && e.status === 'sent'));
    assert.ok(
      kept.every((e) => e.status !== 'pending' && e.status !== 'retrying'),
      'nothing is left to send for a deleted monitor',
    );

    // Without a daemon the log is read from the store, the same way.
    await daemon.stop('SIGTERM');
    daemon = undefined;
    const offline = await crosscheckJson<AlertLogEntry[]>(
      ['alerts', 'log', '--monitor', monitor.id, '--since', '1h'],
      env(),
    );
    assert.deepEqual(
      offline.find((e) => e.id === entry.id)?.attemptHistory.map((a) => a.outcome),
      ['retry', 'sent'],
    );
  });
});
