import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import { crosscheckJson, runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('CLI commands, flags and exit codes', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess;
  let target: http.Server;
  let targetUrl: string;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    target = http.createServer((_req, res) => res.end('<title>Example Domain</title>'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  });

  after(async () => {
    await daemon?.stop('SIGTERM');
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads and writes say clearly when there is no data and no daemon', async () => {
    const read = await runCrosscheck(['status'], env());
    assert.equal(read.code, 3);
    assert.match(read.stderr, /no Crosscheck data/);
    const write = await runCrosscheck(
      ['monitor', 'add', '--name', 'x', '--type', 'http', '--target', targetUrl],
      env(),
    );
    assert.equal(write.code, 3);
  });

  it('one-shot check: 0 when up, 1 when down, 2 for bad input', async () => {
    const up = await runCrosscheck(['check', 'http', targetUrl]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /^UP/);
    const keyword = await runCrosscheck([
      'check',
      'http',
      targetUrl,
      '--keyword',
      'Example Domain',
      '--json',
    ]);
    assert.equal(keyword.code, 0, keyword.stderr);
    assert.equal((JSON.parse(keyword.stdout) as { type: string }).type, 'http_keyword');
    const missing = await runCrosscheck(['check', 'http', targetUrl, '--keyword', 'Not There']);
    assert.equal(missing.code, 1);
    const down = await runCrosscheck(['check', 'tcp', `127.0.0.1:${await closedPort()}`, '--json']);
    assert.equal(down.code, 1);
    const result = JSON.parse(down.stdout) as { status: string; errorKind: string };
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused');
    const bad = await runCrosscheck(['check', 'nope', targetUrl]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown check type/);
  });

  it('start explains an API address already in use and leaves no lock behind', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const run = await runCrosscheck(
        ['start', '--api-listen', `127.0.0.1:${port}`, '--log-level', 'silent'],
        env(),
      );
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /cannot serve the API on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
      assert.equal(fs.existsSync(`${dataDir}/daemon.lock`), false);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('manages monitors through the daemon, naming bad fields by their flags', async () => {
    daemon = await startDaemon(dataDir);
    const badTarget = await runCrosscheck(
      ['monitor', 'add', '--name', 'x', '--type', 'http', '--target', 'not a url'],
      env(),
    );
    assert.equal(badTarget.code, 2);
    assert.match(badTarget.stderr, /--target/);
    const badInterval = await runCrosscheck(
      [
        'monitor',
        'add',
        '--name',
        'x',
        '--type',
        'http',
        '--target',
        targetUrl,
        '--interval',
        '0s',
      ],
      env(),
    );
    assert.equal(badInterval.code, 2);
    assert.match(badInterval.stderr, /--interval/);
    const wrongFlag = await runCrosscheck(
      [
        'monitor',
        'add',
        '--name',
        'x',
        '--type',
        'tcp',
        '--target',
        '127.0.0.1:80',
        '--keyword',
        'a',
      ],
      env(),
    );
    assert.equal(wrongFlag.code, 2);
    assert.match(wrongFlag.stderr, /--keyword: does not apply to check type tcp/);
    const missing = await runCrosscheck(['monitor', 'add', '--type', 'http'], env());
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--name/);

    const web = await crosscheckJson<Monitor>(
      [
        'monitor',
        'add',
        '--name',
        'Web',
        '--type',
        'http',
        '--target',
        targetUrl,
        '--interval',
        '30s',
        '--group',
        'web',
        '--tag',
        'prod',
      ],
      env(),
    );
    const db = await crosscheckJson<Monitor>(
      ['monitor', 'add', '--name', 'DB', '--type', 'tcp', '--target', '127.0.0.1:5432', '--paused'],
      env(),
    );
    assert.equal(db.paused, true);

    const all = await crosscheckJson<Monitor[]>(['monitor', 'list'], env());
    assert.deepEqual(all.map((m) => m.name).sort(), ['DB', 'Web']);
    const group = await crosscheckJson<Monitor[]>(['monitor', 'list', '--group', 'web'], env());
    assert.deepEqual(
      group.map((m) => m.id),
      [web.id],
    );

    const edited = await crosscheckJson<Monitor>(
      ['monitor', 'edit', web.id, '--interval', '5s', '--expect-status', '200'],
      env(),
    );
    assert.equal(edited.intervalMs, 5_000);
    assert.equal(edited.name, 'Web', 'fields not given stay as they were');

    const shown = await runCrosscheck(['monitor', 'show', web.id], env());
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /interval:\s+5s/);

    const unknown = await runCrosscheck(['monitor', 'show', 'mon_doesnotexist'], env());
    assert.equal(unknown.code, 4);
    const unknownHistory = await runCrosscheck(['history', '--monitor', 'mon_doesnotexist'], env());
    assert.equal(unknownHistory.code, 4, 'an unknown monitor is not an empty history');
    const badSince = await runCrosscheck(['history', '--since', '10x'], env());
    assert.equal(badSince.code, 2);
    assert.match(badSince.stderr, /--since/);

    const tuned = await crosscheckJson<Monitor>(
      ['monitor', 'edit', web.id, '--degraded-after', '800ms', '--degraded-is-down'],
      env(),
    );
    assert.equal(tuned.options.degradedThresholdMs, 800);
    assert.equal(tuned.degradedIsDown, true);
    const cleared = await crosscheckJson<Monitor>(
      [
        'monitor',
        'edit',
        web.id,
        '--unset',
        'degraded-after',
        '--unset',
        'degraded-is-down',
        '--unset',
        'group',
      ],
      env(),
    );
    assert.equal(cleared.options.degradedThresholdMs, undefined);
    assert.equal(cleared.degradedIsDown, false);
    assert.equal(cleared.group, null);
    const badUnset = await runCrosscheck(['monitor', 'edit', web.id, '--unset', 'keyword'], env());
    assert.equal(badUnset.code, 2, 'keyword is not a flag of an http monitor');

    const table = await runCrosscheck(['monitor', 'list'], env());
    assert.match(table.stdout, /ID\s+NAME\s+TYPE/);
    assert.match(table.stdout, /paused/);

    const deleted = await runCrosscheck(['monitor', 'delete', db.id], env());
    assert.equal(deleted.code, 0);
    const left = await crosscheckJson<Monitor[]>(['monitor', 'list'], env());
    assert.deepEqual(
      left.map((m) => m.id),
      [web.id],
    );
  });
});
