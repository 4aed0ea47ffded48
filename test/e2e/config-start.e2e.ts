import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import {
  crosscheckJson,
  runCrosscheck,
  startDaemon,
  tempDataDir,
  waitFor,
} from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

const monitorsFile = (names: string[]) =>
  [
    'version: 1',
    'monitors:',
    ...names.flatMap((name) => [
      `  - name: ${name}`,
      '    type: tcp',
      '    target: 127.0.0.1:${DB_PORT:-9}',
    ]),
    '',
  ].join('\n');

describe('crosscheck start --config: applied at start and on change', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let file: string;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });
  const names = async () =>
    (await crosscheckJson<Monitor[]>(['monitor', 'list'], env())).map((m) => m.name).sort();

  before(() => {
    dataDir = tempDataDir();
    file = path.join(dataDir, 'crosscheck.yaml');
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start on a bad file, printing every problem (exit 2)', async () => {
    fs.writeFileSync(
      file,
      `${monitorsFile(['db'])}  - name: db\n    type: tcp\n    target: nowhere\n`,
    );
    const run = await runCrosscheck(
      [
        'start',
        '--data-dir',
        dataDir,
        '--api-listen',
        '127.0.0.1:0',
        '--listen',
        '127.0.0.1:0',
        '--config',
        file,
      ],
      {},
      60_000,
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /crosscheck\.yaml:6:11 monitors\.1\.name duplicate key "db"/);
    assert.match(run.stderr, /crosscheck\.yaml:8:13 monitors\.1\.target must be host:port/);
  });

  it('applies the file at start, a good edit on change, and keeps running on a bad edit', async () => {
    fs.writeFileSync(file, monitorsFile(['db']));
    daemon = await startDaemon(dataDir, ['--config', file]);
    assert.deepEqual(await names(), ['db']);

    fs.writeFileSync(file, monitorsFile(['db', 'cache']));
    await waitFor(
      async () => ((await names()).length === 2 ? true : undefined),
      20_000,
      () => 'the edit applied',
    );
    assert.deepEqual(await names(), ['cache', 'db']);

    const logged = daemon.logs().length;
    fs.writeFileSync(
      file,
      `${monitorsFile(['db', 'cache'])}  - name: web\n    type: tcp\n    target: nowhere\n`,
    );
    await waitFor(
      () => (daemon?.logs().slice(logged).includes('config file not applied') ? true : undefined),
      20_000,
      () => `the bad edit logged: ${daemon?.logs().slice(logged) ?? ''}`,
    );
    assert.match(
      daemon.logs().slice(logged),
      /crosscheck\.yaml:11:13 monitors\.2\.target must be host:port/,
    );
    assert.deepEqual(await names(), ['cache', 'db']);
    assert.equal(daemon.child.exitCode, null);
  });
});
