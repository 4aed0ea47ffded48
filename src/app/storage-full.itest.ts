import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { ApiClient } from '../cli/api-client.ts';
import { loadNodeConfig } from '../config/node-config.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { isAppError } from '../lib/errors.ts';
import { silentLogger } from '../observability/logger.ts';
import { runCrosscheck } from '../../test/helpers/cli.ts';
import { localApi } from '../../test/helpers/local-api.ts';
import { initCoordinator } from './cluster-setup.ts';
import { startNode } from './node.ts';
import type { RunningNode } from './node.ts';

// Issue #15: on a full disk a write answered 500 "internal error" and was logged 17 times a
// second. Now it is a 503 "no space left on device", logged once per minute, and a start on a
// full disk says so in one line. The disk is a small tmpfs (mounting one needs root).

const IS_ROOT = process.getuid?.() === 0;
const REQUESTS = 20;

/** Writes into the tmpfs until it is full; the file stays until the tmpfs is unmounted. */
function fillDisk(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  // Whatever room is left is smaller than a chunk: take it byte by byte in small pieces.
  try {
    for (;;) fs.writeSync(fd, chunk.subarray(0, 512));
  } catch {
    // Full.
  } finally {
    fs.closeSync(fd);
  }
}

describe('a full disk', { skip: IS_ROOT ? false : 'needs root to mount a tmpfs' }, () => {
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-full-'));
  const dataDir = path.join(mountPoint, 'data');
  const lines: string[] = [];
  let node: RunningNode | undefined;
  let api: ApiClient;

  before(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mountPoint]);
    await initCoordinator({
      dataDir,
      name: 'solo',
      listen: '127.0.0.1:0',
      advertise: null,
      region: null,
      labels: {},
      logger: silentLogger(),
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadNodeConfig({ dataDir, apiListen: '127.0.0.1:0' }, {});
    node = await startNode({ config, logger: pino({ level: 'info' }, sink) });
    api = localApi(dataDir, node.apiUrl);
  });
  after(async () => {
    try {
      await node?.stop();
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('answers 503 "no space left on device", logged once, and refuses a start', async () => {
    const created = await api.request('POST', '/api/v1/monitors', {
      name: 'before',
      type: 'tcp',
      target: '127.0.0.1:9',
    });
    assert.ok(created);
    // An empty write-ahead log, so the next write must grow a file on the full disk.
    const db = new Database(dataDirPaths(dataDir).database);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    fillDisk(mountPoint);

    for (let i = 0; i < REQUESTS; i++) {
      const error = await api
        .request('POST', '/api/v1/monitors', {
          name: `full-${i}`,
          type: 'tcp',
          target: '127.0.0.1:9',
        })
        .then(
          () => assert.fail('a write on a full disk succeeded'),
          (failure: unknown) => failure,
        );
      assert.ok(isAppError(error), String(error));
      assert.equal(error.code, 'STORAGE_FULL', lines.join('\n'));
      assert.equal(error.message, 'no space left on device');
    }
    const raw = await fetch(`${node?.apiUrl}/api/v1/monitors`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${fs.readFileSync(dataDirPaths(dataDir).apiToken, 'utf8').trim()}`,
      },
      body: JSON.stringify({ name: 'raw', type: 'tcp', target: '127.0.0.1:9' }),
    });
    assert.equal(raw.status, 503);
    assert.match(await raw.text(), /no space left on device/);

    const reports = lines.filter((line) => line.includes('no space left on device'));
    assert.equal(reports.length, 1, reports.join('\n'));
    assert.equal(
      (JSON.parse(reports[0] ?? '{}') as { suppressedRepeats?: number }).suppressedRepeats,
      0,
    );
    assert.ok(!lines.some((line) => line.includes('unhandled API error')));

    await node?.stop();
    node = undefined;
    const start = await runCrosscheck([
      'start',
      '--data-dir',
      dataDir,
      '--api-listen',
      '127.0.0.1:0',
      '--listen',
      '127.0.0.1:0',
    ]);
    assert.equal(start.code, 3, start.stderr);
    const message = start.stderr.trim().split('\n');
    assert.equal(message.length, 1, start.stderr);
    assert.match(
      message[0] ?? '',
      /^error: no space left on device: the disk holding .* has \d+ bytes free/,
    );
  });
});
