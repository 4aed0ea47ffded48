import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { TargetView } from '../../src/services/alert-targets/target-service.ts';
import { KUMA_SECRETS } from '../../src/importers/uptime-kuma/testing/fixtures.ts';
import { writeKumaDatabase } from '../../src/importers/uptime-kuma/testing/fixture-files.ts';
import { runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { CliRun, DaemonProcess } from '../helpers/cli.ts';

// `crosscheck import` through the real CLI: a dry run writes nothing (not even a data dir);
// an import into a real daemon (API on port 0) creates the targets and monitors, which read
// back with `monitor list` and `alerts target list`; a re-run skips what exists.

const GATUS_FIXTURE = path.resolve(
  import.meta.dirname,
  '../../src/importers/gatus/testing/gatus-config.yaml',
);

interface ImportJson {
  dryRun: boolean;
  plan: { monitors: { input: { name: string } }[]; alertTargets: unknown[]; unmapped: unknown[] };
  created?: { alertTargets: string[]; monitors: string[] };
  skipped?: { alertTargets: string[]; monitors: string[] };
}

describe('crosscheck import, end to end', { timeout: 90_000 }, () => {
  let work: string;
  let dataDir: string;
  let kumaDb: string;
  let daemon: DaemonProcess | undefined;
  const runs: CliRun[] = [];

  before(() => {
    work = tempDataDir();
    dataDir = path.join(work, 'data');
    kumaDb = path.join(work, 'kuma.db');
    writeKumaDatabase(kumaDb);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<CliRun> {
    const run = await runCrosscheck(args, { CROSSCHECK_DATA_DIR: dataDir });
    runs.push(run);
    return run;
  }

  it('prints the plan on a dry run and writes nothing', async () => {
    const table = await cli('import', 'uptime-kuma', kumaDb, '--dry-run');
    assert.equal(table.code, 1, `exit 1: something is not imported\n${table.stderr}`);
    assert.match(table.stdout, /would create 17 alert targets and 15 monitors/);
    assert.match(table.stdout, /Not imported \(12\)/);
    assert.match(table.stdout, /Sentinel cache\s+redis\s+redis\+sentinel:\/\/ connection strings/);
    const json = await cli('import', 'gatus', GATUS_FIXTURE, '--dry-run', '--json');
    const plan = JSON.parse(json.stdout) as ImportJson;
    assert.equal(plan.dryRun, true);
    assert.equal(plan.plan.monitors.length, 13);
    assert.equal(fs.existsSync(dataDir), false, 'a dry run creates no data dir');
  });

  it('exits 2 naming the file for bad input', async () => {
    const bad = path.join(work, 'bad.json');
    fs.writeFileSync(bad, '{"version": "1.23.0", "monitorList": "none"}');
    const run = await cli('import', 'uptime-kuma', bad, '--dry-run');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /bad\.json: monitorList/);
  });

  it('imports into a running daemon, and a re-run skips what exists', async () => {
    fs.mkdirSync(dataDir);
    daemon = await startDaemon(dataDir);
    const first = await cli('import', 'uptime-kuma', kumaDb, '--json');
    assert.equal(first.code, 1, first.stderr);
    const result = JSON.parse(first.stdout) as ImportJson;
    assert.equal(result.created?.alertTargets.length, 17);
    assert.equal(result.created?.monitors.length, 15);

    const monitors = JSON.parse((await cli('monitor', 'list', '--json')).stdout) as Monitor[];
    const homepage = monitors.find((m) => m.name === 'Homepage');
    assert.equal(monitors.length, 15);
    // The connection URL's password came over as the postgres check's secret: masked here.
    assert.equal(
      (monitors.find((m) => m.name === 'Orders database')?.options as { password?: string })
        .password,
      '***',
    );
    assert.equal(homepage?.group, 'Production');
    assert.deepEqual(
      homepage?.alerts.map((route) => ('target' in route ? route.target : route.channel)),
      ['ops-slack', 'mail'],
    );
    assert.equal(monitors.find((m) => m.name === 'API health')?.paused, true);
    const targets = JSON.parse(
      (await cli('alerts', 'target', 'list', '--json')).stdout,
    ) as TargetView[];
    assert.equal(targets.length, 17);

    const again = await cli('import', 'uptime-kuma', kumaDb);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stdout, /created 0 alert targets and 0 monitors/);
    assert.match(again.stdout, /Skipped, the name exists already \(32\)/);
    const after = JSON.parse((await cli('monitor', 'list', '--json')).stdout) as Monitor[];
    assert.equal(after.length, 15, 'nothing duplicated');

    const gatus = await cli('import', 'gatus', GATUS_FIXTURE, '--json');
    assert.equal(gatus.code, 1, gatus.stderr);
    assert.equal((JSON.parse(gatus.stdout) as ImportJson).created?.monitors.length, 13);
    const all = JSON.parse((await cli('monitor', 'list', '--json')).stdout) as Monitor[];
    assert.equal(all.find((m) => m.name === 'website')?.type, 'http_json');
    assert.equal(all.find((m) => m.name === 'Live feed')?.type, 'websocket');
    assert.equal(all.find((m) => m.name === 'time-service')?.type, 'udp');
    assert.equal(all.find((m) => m.name === 'Checkout page')?.type, 'browser');
  });

  it('never printed a secret', () => {
    const printed = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const secret of [
      ...Object.values(KUMA_SECRETS),
      'gatusSlackSecret1',
      'gatusHeaderToken',
      'gatusSocketToken',
      'gatusSshPassword',
    ])
      assert.ok(!printed.includes(secret), `${secret} printed`);
  });
});
