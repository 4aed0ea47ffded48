import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { StatusPage } from '../../src/domain/status-page.ts';
import {
  crosscheckJson,
  runCrosscheck,
  startDaemon,
  tempDataDir,
  waitFor,
} from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

describe('status pages, end to end through the real CLI', { timeout: 120_000 }, () => {
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

  it('serves a page made with the CLI, and its badge, on --public-listen only', async () => {
    daemon = await startDaemon(dataDir, ['--public-listen', '127.0.0.1:0']);
    const running = daemon;
    // The public listener's port is chosen by the OS; the start line logs it.
    const publicUrl = await waitFor(
      () => /"publicUrl":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(running.logs())?.[1],
      15_000,
      () => `no publicUrl in the logs: ${running.logs()}`,
    );
    const monitor = await crosscheckJson<Monitor>(
      ['monitor', 'add', '--name', 'Web <shop>', '--type', 'tcp', '--target', '127.0.0.1:9'],
      env(),
    );
    const groups = JSON.stringify([{ name: 'Shop', monitorIds: [monitor.id] }]);
    const page = await crosscheckJson<StatusPage>(
      ['status-page', 'add', '--slug', 'acme', '--title', 'Acme status', '--groups', groups],
      env(),
    );
    assert.deepEqual(page.groups, [{ name: 'Shop', monitorIds: [monitor.id] }]);
    const bad = await runCrosscheck(
      ['status-page', 'add', '--slug', 'Bad Slug', '--title', 'x'],
      env(),
    );
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /slug/);

    const html = await fetch(`${publicUrl}/status/acme`);
    assert.equal(html.status, 200);
    const body = await html.text();
    assert.match(body, /Acme status/);
    assert.match(body, /Web &lt;shop&gt;/);
    assert.doesNotMatch(body, /127\.0\.0\.1:9/, 'no target without showDetails');

    const badge = await fetch(`${publicUrl}/badge/${monitor.id}/status.svg`);
    assert.equal(badge.status, 200);
    assert.match(badge.headers.get('content-type') ?? '', /image\/svg\+xml/);
    assert.match(await badge.text(), /<svg/);

    for (const path of ['/api/v1/health', '/metrics', '/mcp', '/', '/docs']) {
      const response = await fetch(`${publicUrl}${path}`);
      assert.equal(response.status, 404, path);
    }

    const list = await runCrosscheck(['status-page', 'list'], env());
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /acme/);
    const removed = await runCrosscheck(['status-page', 'delete', 'acme'], env());
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await fetch(`${publicUrl}/status/acme`)).status, 404);
  });
});
