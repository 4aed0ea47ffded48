import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../src/domain/monitor.ts';
import { crosscheckJson, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');

describe('crosscheck events, end to end', { timeout: 90_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    daemon = await startDaemon(dataDir);
  });

  after(async () => {
    await daemon?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function addMonitor(name: string): Promise<Monitor> {
    return crosscheckJson<Monitor>(
      [
        'monitor',
        'add',
        '--name',
        name,
        '--type',
        'tcp',
        '--target',
        '127.0.0.1:9',
        '--group',
        'e2e',
        '--interval',
        '1m',
      ],
      env(),
    );
  }

  it('streams events, reconnects across a daemon restart with a reset, and stops on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'events', '--json', '--types', 'monitor.changed', '--group', 'e2e'],
      {
        env: { ...process.env, NO_COLOR: '1', ...env() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const lines = () =>
      stdout
        .split('\n')
        .filter((line) => line !== '')
        .map(
          (line) =>
            JSON.parse(line) as { id: string; type: string; monitorId: string; change: string },
        );

    // The command is connected once it receives something: create monitors until one arrives.
    let tries = 0;
    await waitFor(
      async () => {
        if (lines().length > 0) return true;
        await addMonitor(`one-${tries++}`);
        return undefined;
      },
      20_000,
      () => `first event: ${stdout} ${stderr}`,
      500,
    );
    assert.ok(lines().every((e) => e.type === 'monitor.changed' && e.change === 'created'));

    await daemon?.stop();
    daemon = await startDaemon(dataDir);
    await waitFor(
      () => (stderr.includes('reload state') ? true : undefined),
      15_000,
      () => `reset notice: ${stderr}`,
    );
    const second = await addMonitor('two');
    await waitFor(
      () => lines().find((e) => e.monitorId === second.id),
      10_000,
      () => `event for two: ${stdout}`,
    );

    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
  });
});
