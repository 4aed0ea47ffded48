/**
 * The store's reads go through a second, read-only connection (WAL snapshot reads): they
 * answer while the store's own write transaction is open, from the last commit, and see the
 * write as soon as it commits. "Open" is observed, not timed: a probe connection's
 * `begin immediate` with no busy wait fails exactly while some connection holds the write lock.
 */
import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { yieldToEventLoop } from '../../lib/event-loop.ts';
import { T0, batch, makeMonitor, makeResult } from '../contract/fixtures.ts';
import type { Store } from '../types.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

/** Enough monitors that the insert runs in several slices, with turns of the event loop. */
const BULK = 5_000;
/** Turns of the event loop to wait for the bulk write's transaction to begin. */
const MAX_TURNS = 1_000;

let root = '';
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'crosscheck-reader-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function freshFile(): string {
  counter += 1;
  return join(root, `db-${counter}`, 'crosscheck.db');
}

/** True while any connection holds the write lock of the database `probe` is open on. */
function writeLockHeld(probe: BetterSqlite3.Database): boolean {
  try {
    probe.exec('begin immediate');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return true;
    throw error;
  }
  probe.exec('rollback');
  return false;
}

async function untilWriteLockHeld(probe: BetterSqlite3.Database): Promise<void> {
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    if (writeLockHeld(probe)) return;
    await yieldToEventLoop();
  }
  assert.fail(`the write transaction did not begin within ${MAX_TURNS} turns`);
}

async function withStore(test: (store: Store, file: string) => Promise<void>): Promise<void> {
  const file = freshFile();
  const store = await openSqliteStore({ file });
  try {
    await test(store, file);
  } finally {
    await store.close();
  }
}

describe('SQLite store, reads beside an open write transaction', () => {
  it('answers health counts and one monitor from the last commit while a bulk write is open', () =>
    withStore(async (store, file) => {
      await store.insertMonitor(makeMonitor('m-before'));
      await store.commitBatch(batch({ results: [makeResult('m-before', T0)] }));
      // No busy wait: a held lock is reported at once instead of waited out.
      const probe = new BetterSqlite3(file, { timeout: 0 });
      try {
        const writes = Array.from({ length: BULK }, (_, i) => ({
          op: 'insert' as const,
          monitor: makeMonitor(`bulk-${i}`),
        }));
        const writing = store.saveMonitors(writes);
        await untilWriteLockHeld(probe);

        const during = await store.stats();
        const monitor = await store.getMonitor('m-before');
        const results = await store.listResults({ monitorId: 'm-before' });
        const uncommitted = await store.getMonitor('bulk-0');
        // Still open: the reads above did not wait for the commit.
        assert.equal(writeLockHeld(probe), true, 'the bulk write committed before the reads');
        assert.deepEqual([during.monitors, during.results], [1, 1]);
        assert.equal(monitor?.id, 'm-before');
        assert.equal(results.length, 1);
        assert.equal(uncommitted, undefined, 'a read saw a write that had not committed');

        await writing;
        assert.equal(writeLockHeld(probe), false);
        assert.equal((await store.stats()).monitors, BULK + 1);
        assert.equal((await store.getMonitor(`bulk-${BULK - 1}`))?.id, `bulk-${BULK - 1}`);
        assert.equal((await store.listMonitors({ limit: BULK + 10 })).length, BULK + 1);
      } finally {
        probe.close();
      }
    }));

  it('reads every write back as soon as the write has returned', () =>
    withStore(async (store) => {
      for (let i = 0; i < 50; i++) {
        const id = `m-${String(i).padStart(2, '0')}`;
        await store.insertMonitor(makeMonitor(id));
        assert.equal((await store.getMonitor(id))?.id, id);
        assert.equal((await store.stats()).monitors, i + 1);
        await store.commitBatch(batch({ results: [makeResult(id, T0 + i)] }));
        assert.equal((await store.listResults({ monitorId: id })).length, 1);
        await store.updateMonitor(makeMonitor(id, { paused: true }));
        assert.equal((await store.getMonitor(id))?.paused, true);
      }
      assert.equal((await store.stats()).pausedMonitors, 50);
    }));

  it('still answers a read-only open (one connection) while the daemon writes', () =>
    withStore(async (store, file) => {
      await store.insertMonitor(makeMonitor('m1'));
      const offline = await openSqliteStore({ file, readonly: true });
      try {
        assert.equal((await offline.getMonitor('m1'))?.id, 'm1');
        await store.insertMonitor(makeMonitor('m2'));
        assert.equal((await offline.stats()).monitors, 2);
      } finally {
        await offline.close();
      }
    }));
});
