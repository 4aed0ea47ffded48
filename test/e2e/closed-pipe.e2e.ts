import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import { crosscheckJson, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { closedPort } from '../helpers/tcp-server.ts';
import { localAuthHeaders } from '../helpers/local-api.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');

interface PipeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Bytes read before the read end was closed. */
  read: number;
}

/**
 * `crosscheck … | head -1`: the CLI's stdout is a pipe whose read end the reader closes, after
 * the first chunk (`afterFirstChunk`) or before the CLI wrote anything.
 */
function runIntoClosedPipe(
  args: string[],
  env: Record<string, string>,
  when: 'afterFirstChunk' | 'atOnce',
): Promise<PipeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (when === 'atOnce') child.stdout.destroy();
    else {
      child.stdout.once('data', (chunk: Buffer) => {
        read = chunk.length;
        child.stdout.destroy();
      });
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crosscheck ${args.join(' ')} did not exit; stderr: ${stderr}`));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, read });
    });
  });
}

function assertQuietExit(run: PipeRun, what: string): void {
  assert.equal(run.stderr, '', `${what}: nothing on stderr, got: ${run.stderr}`);
  assert.equal(run.signal, null, `${what}: not killed by a signal`);
  assert.equal(run.code, 0, `${what}: exit 0 (the reader chose to stop)`);
}

describe('CLI output into a closed pipe', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let incident: Incident;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    daemon = await startDaemon(dataDir);
    const apiUrl = daemon.apiUrl;
    // Enough paused monitors that `status` and `monitor list` outgrow a pipe's buffer (64 KiB).
    const padding = 'x'.repeat(150);
    for (let i = 0; i < 400; i++) {
      const response = await fetch(`${apiUrl}/api/v1/monitors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...localAuthHeaders(dataDir) },
        body: JSON.stringify({
          name: `monitor ${String(i).padStart(3, '0')} ${padding}`,
          type: 'tcp',
          target: '127.0.0.1:1',
          paused: true,
        }),
      });
      assert.equal(response.status, 201, await response.text());
    }
    const down = await crosscheckJson<Monitor>(
      [
        'monitor',
        'add',
        '--name',
        'down',
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
    incident = await waitFor(
      async () => {
        const list = await crosscheckJson<Incident[]>(['incidents', '--monitor', down.id], env());
        return list[0];
      },
      20_000,
      () => 'an incident',
    );
  });

  after(async () => {
    await daemon?.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('status and monitor list stop quietly when the reader stops after the first chunk', async () => {
    for (const args of [['status'], ['monitor', 'list'], ['status', '--json']]) {
      const run = await runIntoClosedPipe(args, env(), 'afterFirstChunk');
      assert.ok(run.read > 0, `${args.join(' ')}: the reader got a first chunk`);
      assertQuietExit(run, args.join(' '));
    }
  });

  it('check and incidents show stop quietly when the reader is gone before they write', async () => {
    const check = await runIntoClosedPipe(
      ['check', 'tcp', `127.0.0.1:${await closedPort()}`, '--timeout', '1s'],
      env(),
      'atOnce',
    );
    assertQuietExit(check, 'check');
    const show = await runIntoClosedPipe(['incidents', 'show', incident.id], env(), 'atOnce');
    assertQuietExit(show, 'incidents show');
  });

  it('the same without a daemon (the store read directly)', async () => {
    await daemon?.stop('SIGTERM');
    daemon = undefined;
    const status = await runIntoClosedPipe(['status'], env(), 'afterFirstChunk');
    assertQuietExit(status, 'offline status');
    const list = await runIntoClosedPipe(['monitor', 'list'], env(), 'afterFirstChunk');
    assertQuietExit(list, 'offline monitor list');
  });
});
