import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { MaintenanceView } from '../../src/services/maintenance-service.ts';
import type { MonitorStatusView } from '../../src/services/status-service.ts';
import { crosscheckJson, runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

describe('crosscheck maintenance, end to end through the real CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(() => {
    dataDir = tempDataDir();
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds, lists with the next occurrence, shows in status, refuses bad input, deletes', async () => {
    daemon = await startDaemon(dataDir);
    const monitor = await crosscheckJson<Monitor>(
      ['monitor', 'add', '--name', 'db', '--type', 'tcp', '--target', '127.0.0.1:9', '--tag', 'db'],
      env(),
    );
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const added = await runCrosscheck(
      ['maintenance', 'add', 'upgrade', '--tag', 'db', '--start', start, '--end', end],
      env(),
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added maintenance window upgrade .*next: now, until /);

    const nightly = await crosscheckJson<MaintenanceView>(
      [
        'maintenance',
        'add',
        'nightly',
        '--monitor',
        monitor.id,
        '--node',
        'coord',
        '--cron',
        '30 2 * * *',
        '--duration',
        '1h',
        '--tz',
        'Europe/Berlin',
      ],
      env(),
    );
    assert.equal(nightly.schedule.kind, 'recurring');
    assert.ok(nightly.next !== null && nightly.next.end - nightly.next.start === 3_600_000);

    const list = await runCrosscheck(['maintenance', 'list'], env());
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      /nightly\s+monitor .*node coord\s+30 2 \* \* \* \(Europe\/Berlin\), 1h/,
    );
    assert.match(list.stdout, /upgrade\s+tag db\s+once\s+now, until/);

    const [row] = await crosscheckJson<MonitorStatusView[]>(['status'], env());
    assert.equal(row?.maintenance?.name, 'upgrade');
    const status = await runCrosscheck(['status'], env());
    assert.match(status.stdout, /db is in maintenance \(upgrade\) until .*: nothing pages/);

    const bad = await runCrosscheck(
      [
        'maintenance',
        'add',
        'bad',
        '--tag',
        'x',
        '--cron',
        '61 * * * *',
        '--duration',
        '1h',
        '--tz',
        'Mars/Base',
      ],
      env(),
    );
    assert.equal(bad.code, 2, bad.stdout);
    assert.match(bad.stderr, /schedule\.timezone: unknown time zone "Mars\/Base"/);
    assert.match(bad.stderr, /schedule\.cron: "61 \* \* \* \*" is not a cron expression/);
    const empty = await runCrosscheck(
      ['maintenance', 'add', 'empty', '--start', start, '--end', end],
      env(),
    );
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /empty scope/);

    const deleted = await runCrosscheck(['maintenance', 'delete', 'upgrade'], env());
    assert.equal(deleted.code, 0, deleted.stderr);
    const left = await crosscheckJson<MaintenanceView[]>(['maintenance', 'list'], env());
    assert.deepEqual(
      left.map((w) => w.name),
      ['nightly'],
    );
    const gone = await runCrosscheck(['maintenance', 'show', 'upgrade'], env());
    assert.notEqual(gone.code, 0);

    // With the daemon stopped, the reads still work from the store.
    await daemon.stop('SIGTERM');
    daemon = undefined;
    const offline = await crosscheckJson<MaintenanceView[]>(['maintenance', 'list'], env());
    assert.deepEqual(
      offline.map((w) => w.name),
      ['nightly'],
    );
  });
});
