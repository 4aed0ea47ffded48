import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { silentLogger } from '../observability/logger.ts';
import { T0, batch, makeMonitor, makeResult } from '../store/contract/fixtures.ts';
import type { OpenedSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { openSqliteStoreWithWriter } from '../store/sqlite/open-sqlite-store.ts';
import { DEFAULT_AUTOCHECKPOINT_PAGES } from '../store/sqlite/wal-checkpoints.ts';
import type { WriterCheckpoints } from '../store/sqlite/wal-checkpoints.ts';
import { tempDataDir, waitFor } from '../../test/helpers/cli.ts';
import { localApi } from '../../test/helpers/local-api.ts';
import { loadNodeConfig } from '../config/node-config.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { initCoordinator } from './cluster-setup.ts';
import { startNode } from './node.ts';
import type { HousekeepingPasses } from './housekeeping.ts';
import { startHousekeepingWorker } from './housekeeping-worker.ts';

// ADR 0009: the daemon's writer leaves WAL checkpoints to the housekeeping thread. Observed
// through the files, never through timing: after a full checkpoint the database file holds every
// page (its size is the logical size); before it, the new pages exist only in the WAL.

const RESULTS_PER_ROUND = 3_000;

/** Database size as the pages say (WAL included) and as the main file is on disk. */
function sizes(file: string): { logical: number; onDisk: number; wal: number } {
  const probe = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const pages = Number(probe.pragma('page_count', { simple: true }));
    const pageSize = Number(probe.pragma('page_size', { simple: true }));
    const wal = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
    return { logical: pages * pageSize, onDisk: fs.statSync(file).size, wal };
  } finally {
    probe.close();
  }
}

const checkpointed = (file: string): boolean => {
  const now = sizes(file);
  return now.onDisk >= now.logical;
};

async function writeRound(opened: OpenedSqliteStore, round: number): Promise<void> {
  const results = Array.from({ length: RESULTS_PER_ROUND }, (_, i) =>
    makeResult('m1', T0 + round * RESULTS_PER_ROUND * 1_000 + i * 1_000, 'up', i % 500),
  );
  await opened.store.commitBatch(batch({ results }));
}

function writerOf(opened: OpenedSqliteStore): WriterCheckpoints {
  assert.ok(opened.writer, 'a WAL file store has a writer to hand over');
  return opened.writer;
}

describe('WAL checkpoints on the housekeeping thread', () => {
  let dir: string;
  let file: string;
  let opened: OpenedSqliteStore;
  let passes: HousekeepingPasses | undefined;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-wal-'));
    file = path.join(dir, 'crosscheck.db');
    opened = await openSqliteStoreWithWriter({ file });
    await opened.store.insertMonitor(makeMonitor('m1'));
  });
  afterEach(async () => {
    await passes?.close();
    passes = undefined;
    await opened.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the writer checkpoints by itself, unless the thread runs', async () => {
    const writer = writerOf(opened);
    assert.equal(writer.automaticPages(), DEFAULT_AUTOCHECKPOINT_PAGES);
    passes = await startHousekeepingWorker({ file, logger: silentLogger(), writer });
    assert.equal(writer.automaticPages(), 0);
    await passes.close();
    assert.equal(writer.automaticPages(), DEFAULT_AUTOCHECKPOINT_PAGES);
    // A thread not given the writer leaves it alone.
    passes = await startHousekeepingWorker({ file, logger: silentLogger() });
    assert.equal(writer.automaticPages(), DEFAULT_AUTOCHECKPOINT_PAGES);
  });

  it('in-memory and read-only stores keep their own checkpoints: nothing to hand over', async () => {
    const memory = await openSqliteStoreWithWriter({ file: ':memory:' });
    const readonly = await openSqliteStoreWithWriter({ file, readonly: true });
    try {
      assert.equal(memory.writer, undefined);
      assert.equal(readonly.writer, undefined);
    } finally {
      await memory.store.close();
      await readonly.store.close();
    }
  });

  it('the thread checkpoints what the writer commits, and the WAL stays bounded', async () => {
    const writer = writerOf(opened);
    // As while the thread runs, but no thread yet: nothing checkpoints the writer's commits.
    writer.setAutomatic(false);
    await writeRound(opened, 0);
    assert.equal(checkpointed(file), false, 'the writer itself did not checkpoint');
    const oneRound = sizes(file).wal;

    passes = await startHousekeepingWorker({ file, logger: silentLogger(), writer });
    await waitFor(() => checkpointed(file) || undefined, 15_000);
    for (let round = 1; round <= 5; round++) {
      await writeRound(opened, round);
      await waitFor(() => checkpointed(file) || undefined, 15_000);
    }
    // Six rounds without a checkpoint would leave a WAL about six rounds long; checkpointed
    // each time, the writer starts the WAL over, so it stays about one round long.
    const wal = sizes(file).wal;
    assert.ok(wal < 2 * oneRound, `WAL ${wal} bytes after 6 rounds of ${oneRound}`);
  });

  it('stopping checkpoints everything; the store closed after it leaves no WAL', async () => {
    const writer = writerOf(opened);
    passes = await startHousekeepingWorker({ file, logger: silentLogger(), writer });
    await writeRound(opened, 0);
    await passes.close();
    passes = undefined;
    assert.equal(checkpointed(file), true, 'the final checkpoint copied every page');
    assert.equal(writer.automaticPages(), DEFAULT_AUTOCHECKPOINT_PAGES);
    await opened.store.close();
    assert.equal(fs.existsSync(`${file}-wal`), false, 'the last connection removed the WAL');
    opened = await openSqliteStoreWithWriter({ file });
    const rows = await opened.store.listResults({ monitorId: 'm1', since: 0, limit: 10_000 });
    assert.equal(rows.length, RESULTS_PER_ROUND);
  });
});

describe('a coordinator daemon', () => {
  it('checkpoints off its writer while running, and leaves no WAL once stopped', async () => {
    const dataDir = tempDataDir();
    try {
      await initCoordinator({
        dataDir,
        name: 'solo',
        listen: '127.0.0.1:0',
        advertise: null,
        region: null,
        labels: {},
        logger: silentLogger(),
      });
      const node = await startNode({
        config: loadNodeConfig({ dataDir, apiListen: '127.0.0.1:0' }, {}),
        logger: silentLogger(),
      });
      const file = dataDirPaths(dataDir).database;
      try {
        const items = Array.from({ length: 500 }, (_, i) => ({
          op: 'create',
          monitor: { name: `wal ${i}`, type: 'tcp', target: '127.0.0.1:9', paused: true },
        }));
        await localApi(dataDir, node.apiUrl).request('POST', '/api/v1/monitors/bulk', {
          items,
          atomic: true,
        });
        await waitFor(() => checkpointed(file) || undefined, 15_000);
      } finally {
        await node.stop();
      }
      assert.equal(fs.existsSync(`${file}-wal`), false, 'the stopped daemon removed its WAL');
      const db = new BetterSqlite3(file, { readonly: true });
      try {
        const row = db.prepare('select count(*) as n from monitors').get() as { n: number };
        assert.equal(row.n, 500);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
