import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crosscheckJson, runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

interface HealthJson {
  monitors: { total: number; paused: number };
}

const MONITORS = 3_000;

describe('crosscheck monitor bulk -f, end to end', { timeout: 180_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });
  const total = async () =>
    (await crosscheckJson<HealthJson>(['health', '--json'], env())).monitors.total;

  before(async () => {
    dataDir = tempDataDir();
    daemon = await startDaemon(dataDir);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`creates ${MONITORS} monitors from a JSON list in batches, with progress`, async () => {
    const file = path.join(dataDir, 'monitors.json');
    // Paused: the daemon stores and schedules nothing to check, so the test makes no traffic.
    const bodies = Array.from({ length: MONITORS }, (_, i) => ({
      name: `bulk ${i}`,
      type: 'tcp',
      target: `127.0.0.1:${1_000 + (i % 1_000)}`,
      intervalMs: '1h',
      paused: true,
    }));
    fs.writeFileSync(file, JSON.stringify(bodies));
    const run = await runCrosscheck(
      ['monitor', 'bulk', '-f', file, '--batch-size', '1000'],
      env(),
      120_000,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stderr.trim().split('\n'), [
      'sent 1000/3000: 1000 written, 0 failed',
      'sent 2000/3000: 2000 written, 0 failed',
      'sent 3000/3000: 3000 written, 0 failed',
    ]);
    assert.match(run.stdout, /Bulk: 3000 of 3000 written, 0 failed\./);
    assert.equal(await total(), MONITORS);
  });

  it('reports each bad item by its index and name, writes the others, exits 2', async () => {
    const file = path.join(dataDir, 'mixed.yaml');
    fs.writeFileSync(
      file,
      [
        '- name: good one',
        '  type: tcp',
        '  target: 127.0.0.1:9',
        '  paused: true',
        '- type: tcp',
        '  target: 127.0.0.1:9',
        '- name: bad interval',
        '  type: tcp',
        '  target: 127.0.0.1:9',
        '  intervalMs: often',
        '- op: update',
        '  id: no-such-monitor',
        '  patch: { name: x }',
        '',
      ].join('\n'),
    );
    const before = await total();
    const run = await runCrosscheck(['monitor', 'bulk', '-f', file], env());
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines[0], 'sent 4/4: 1 written, 3 failed');
    assert.match(lines[1] ?? '', /^item 1: monitor\.name: /);
    assert.match(lines[2] ?? '', /^item 2 "bad interval": monitor\.intervalMs: /);
    assert.match(lines[3] ?? '', /^item 3 "no-such-monitor": .*not found/i);
    assert.match(run.stdout, /Bulk: 1 of 4 written, 3 failed\./);
    assert.equal(await total(), before + 1);
  });

  it('--atomic writes nothing of a batch with a bad item; --json prints the summary', async () => {
    const file = path.join(dataDir, 'atomic.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        items: [
          { name: 'a', type: 'tcp', target: '127.0.0.1:9', paused: true },
          { name: 'b', type: 'tcp', target: '' },
        ],
      }),
    );
    const before = await total();
    const run = await runCrosscheck(['monitor', 'bulk', '-f', file, '--atomic', '--json'], env());
    assert.equal(run.code, 2, run.stderr);
    const summary = JSON.parse(run.stdout) as {
      items: number;
      written: number;
      failed: { index: number; name?: string; error: { code: string } }[];
    };
    assert.deepEqual(
      [summary.items, summary.written, summary.failed.map((f) => [f.index, f.name, f.error.code])],
      [
        2,
        0,
        [
          [0, 'a', 'CONFLICT'],
          [1, 'b', 'VALIDATION'],
        ],
      ],
    );
    assert.equal(await total(), before);
  });

  it('refuses a file that is not a list, and a batch size over the cap, with exit 2', async () => {
    const file = path.join(dataDir, 'scalar.yaml');
    fs.writeFileSync(file, 'just text\n');
    const notList = await runCrosscheck(['monitor', 'bulk', '-f', file], env());
    assert.equal(notList.code, 2);
    assert.match(notList.stderr, /expected a list of monitors/);
    const tooBig = await runCrosscheck(
      ['monitor', 'bulk', '-f', file, '--batch-size', '5001'],
      env(),
    );
    assert.equal(tooBig.code, 2);
    assert.match(tooBig.stderr, /--batch-size/);
  });
});
