import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { IncidentExplanation } from '../../src/services/incident-explain.ts';
import {
  crosscheckJson,
  runCrosscheck,
  startDaemon,
  tempDataDir,
  waitFor,
} from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { closedPort } from '../helpers/tcp-server.ts';

describe('incidents ack and explain, end to end through the real CLI', { timeout: 120_000 }, () => {
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

  it('acknowledges an open incident and explains its verdict', async () => {
    daemon = await startDaemon(dataDir);
    const monitor = await crosscheckJson<Monitor>(
      [
        'monitor',
        'add',
        '--name',
        'Billing DB',
        '--type',
        'tcp',
        '--target',
        `127.0.0.1:${await closedPort()}`,
        '--interval',
        '1s',
        '--timeout',
        '500ms',
      ],
      env(),
    );
    const incident = await waitFor(
      async () => {
        const open = await crosscheckJson<Incident[]>(
          ['incidents', '--active', '--monitor', monitor.id],
          env(),
        );
        return open[0];
      },
      20_000,
      () => 'an open incident',
    );

    const acked = await crosscheckJson<Incident>(
      ['incidents', 'ack', incident.id, '--note', 'restarting the database'],
      env(),
    );
    assert.equal(acked.acknowledgement?.note, 'restarting the database');
    assert.ok(acked.acknowledgement.by.length > 0, 'the caller is recorded');
    const shown = await runCrosscheck(['incidents', 'show', incident.id], env());
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /acked: +\S+ at .*: restarting the database/);

    const view = await crosscheckJson<IncidentExplanation>(
      ['incidents', 'explain', incident.id],
      env(),
    );
    assert.equal(view.verdict, 'down');
    assert.ok(view.rounds.length > 0);
    assert.match(view.summary, /^Billing DB \(127\.0\.0\.1:\d+\) is down/);
    const text = await runCrosscheck(['incidents', 'explain', incident.id], env());
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /why: /);

    await daemon.stop();
    daemon = undefined;
    const offline = await runCrosscheck(['incidents', 'ack', incident.id], env());
    assert.equal(offline.code, 3, 'acknowledging needs the running daemon');
    const offlineExplain = await runCrosscheck(['incidents', 'explain', incident.id], env());
    assert.equal(offlineExplain.code, 0, offlineExplain.stderr);
  });
});
