import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Migrator } from 'kysely/migration';
import { capturedLogger } from '../../../test/helpers/captured-logger.ts';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import { ERROR_KINDS } from '../../domain/check-result.ts';
import { newResultId } from '../../lib/ids.ts';
import { batch, makeIncident, makeMonitor } from '../contract/fixtures.ts';
import { migrationProvider } from '../migrations/index.ts';
import { monitorToRow } from '../sql/rows.ts';
import type { Store } from '../types.ts';
import { databaseAt, MONITOR_COLUMNS_0018, without } from './migration-fixture.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'crosscheck-0017-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 10, 22, 0);
const MINUTE = 60_000;
const STATUSES: readonly CheckStatus[] = ['up', 'up', 'up', 'degraded', 'down', 'error'];

/** Two days of results of two monitors from two nodes: every status, error kind and shape. */
function history(): RecordedResult[] {
  const results: RecordedResult[] = [];
  for (let i = 0; i < 400; i++) {
    const status = STATUSES[i % STATUSES.length] ?? 'up';
    const checkedAt = T0 + i * 7 * MINUTE;
    const result: RecordedResult = {
      // Ids of builds before UUIDs, and an uppercase UUID, stay text.
      id:
        i % 50 === 0
          ? `res-legacy-${i}`
          : i % 77 === 0
            ? newResultId(checkedAt).toUpperCase()
            : newResultId(checkedAt),
      monitorId: i % 3 === 0 ? 'm2' : 'm1',
      nodeId: i % 2 === 0 ? 'node-a' : 'node-b',
      checkedAt,
      status,
      latencyMs: Math.round(((i * 13.37) % 900) * 100) / 100,
      timings: i % 4 === 0 ? {} : { dnsMs: 0.5, connectMs: i / 100, firstByteMs: 42.42 },
      message: i % 5 === 0 ? '' : `HTTP 200 in ${i} ms`,
      details: i % 2 === 0 ? {} : { statusCode: 200, finalUrl: 'http://svc/', redirects: 0 },
    };
    if (status === 'down') result.errorKind = ERROR_KINDS[i % ERROR_KINDS.length] ?? 'refused';
    if (status === 'error') result.errorKind = 'node';
    results.push(result);
  }
  return results;
}

/** The row schema 0001–0016 stored (the writer of before migration 0017). */
function oldRow(r: RecordedResult) {
  return {
    id: r.id,
    monitor_id: r.monitorId,
    node_id: r.nodeId,
    checked_at: r.checkedAt,
    status: r.status,
    latency_ms: r.latencyMs,
    dns_ms: r.timings.dnsMs ?? null,
    connect_ms: r.timings.connectMs ?? null,
    tls_ms: r.timings.tlsMs ?? null,
    first_byte_ms: r.timings.firstByteMs ?? null,
    error_kind: r.errorKind ?? null,
    message: r.message,
    details: JSON.stringify(r.details),
  };
}

async function everyRollup(store: Store) {
  const all = async (granularity: 'minute' | 'hour' | 'day') =>
    store.listRollupsOf(granularity, ['m1', 'm2'], 0);
  return { minute: await all('minute'), hour: await all('hour'), day: await all('day') };
}

describe('migration 0017 (compact results)', () => {
  it('keeps every result readable as it was, rollups identical, seq never reused', async () => {
    const results = history();
    const { file, db } = await databaseAt(root, 'old', '0016_managed_objects', {
      foreignKeys: true,
    });
    for (const id of ['m1', 'm2']) {
      await db
        .insertInto('monitors')
        .values(without(monitorToRow(makeMonitor(id)), MONITOR_COLUMNS_0018))
        .execute();
    }
    await db.insertInto('results').values(results.map(oldRow)).execute();
    // The newest row gone before the upgrade (its monitor's deletion, say): its seq stays used.
    const gone = results.pop();
    await db
      .deleteFrom('results')
      .where('id', '=', gone?.id ?? '')
      .execute();
    await db.destroy();

    const migrated = await openSqliteStore({ file });
    const fresh = await openSqliteStore({ file: join(root, 'fresh.db') });
    try {
      assert.deepEqual(await migrated.listResults({ limit: 1_000 }), results.toReversed());
      for (const id of ['m1', 'm2']) await fresh.insertMonitor(makeMonitor(id));
      await fresh.commitBatch(batch({ results }));
      await migrated.rollup();
      await fresh.rollup();
      const rollups = await everyRollup(migrated);
      assert.ok(rollups.hour.length > 40, 'the history spans many hours');
      assert.deepEqual(rollups, await everyRollup(fresh));

      assert.ok(gone);
      const next: RecordedResult = { ...gone, id: newResultId(), checkedAt: T0 + 9_000 * MINUTE };
      await migrated.commitBatch(batch({ results: [next] }));
      const [newest] = await migrated.listResults({ limit: 1 });
      assert.deepEqual(newest, next);
    } finally {
      await migrated.close();
      await fresh.close();
    }
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const seqs = raw.prepare('select max(seq) as top, count(*) as n from raw_results').get();
      assert.deepEqual(seqs, { top: 401, n: 400 }, 'seq 400 (deleted) is not given again');
      const kinds = raw
        .prepare('select typeof(id) as type, count(*) as n from raw_results group by 1 order by 1')
        .all();
      assert.deepEqual(kinds, [
        { type: 'blob', n: 387 },
        { type: 'text', n: 13 },
      ]);
      const empty = raw
        .prepare(
          `select count(*) filter (where message is null) as message,
             count(*) filter (where details is null) as details from raw_results`,
        )
        .get();
      assert.deepEqual(empty, { message: 80, details: 200 }, "'' and '{}' stored as NULL");
    } finally {
      raw.close();
    }
  });

  it('logs the copy: a start line with the total, progress by rows done, an end line', async () => {
    const results = history();
    const { file, db } = await databaseAt(root, 'progress', '0016_managed_objects', {
      foreignKeys: true,
    });
    for (const id of ['m1', 'm2'])
      await db
        .insertInto('monitors')
        .values(without(monitorToRow(makeMonitor(id)), MONITOR_COLUMNS_0018))
        .execute();
    await db.insertInto('results').values(results.map(oldRow)).execute();
    const { logger, lines } = capturedLogger();
    // A line after every batch of 150 rows: counted, whatever the machine's speed.
    const rewrite = { batchRows: 150, progressIntervalMs: 0 };
    const migrated = await new Migrator({
      db,
      provider: migrationProvider('sqlite', { logger, rewrite }),
    }).migrateTo('0017_compact_results');
    await db.destroy();
    assert.equal(migrated.error, undefined);

    const logged = lines.filter((line) => String(line.msg).startsWith('store.migrations: rewrite'));
    const migration = '0017_compact_results';
    assert.deepEqual(
      logged.map(({ level, time, pid, hostname, durationMs, ...fields }) => fields),
      [
        { msg: 'store.migrations: rewrite started', migration, total: 400 },
        {
          msg: 'store.migrations: rewrite progress',
          migration,
          total: 400,
          done: 150,
          percent: 37.5,
        },
        {
          msg: 'store.migrations: rewrite progress',
          migration,
          total: 400,
          done: 300,
          percent: 75,
        },
        {
          msg: 'store.migrations: rewrite progress',
          migration,
          total: 400,
          done: 400,
          percent: 100,
        },
        { msg: 'store.migrations: rewrite done', migration, rows: 400 },
      ],
    );
    assert.equal(typeof logged.at(-1)?.durationMs, 'number');
    assert.equal(logged.at(-1)?.level, 30);

    // Every batch boundary crossed without a row lost or doubled.
    const store = await openSqliteStore({ file });
    try {
      assert.deepEqual(await store.listResults({ limit: 1_000 }), results.toReversed());
    } finally {
      await store.close();
    }
  });

  it('logs no rewrite on a fresh database', async () => {
    const { logger, lines } = capturedLogger();
    const store = await openSqliteStore({ file: join(root, 'fresh-quiet.db'), logger });
    await store.close();
    assert.deepEqual(
      lines.filter((line) => String(line.msg).startsWith('store.migrations')),
      [],
    );
    assert.ok(lines.some((line) => line.msg === 'store.openSqliteStore: migrated'));
  });

  it('deletes the results of a deleted monitor with it, and its key', async () => {
    const store = await openSqliteStore({ file: join(root, 'delete.db') });
    try {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const results = history().slice(0, 30);
      await store.commitBatch(batch({ results }));
      await store.deleteMonitor('m2');
      assert.deepEqual(
        await store.listResults({ limit: 1_000 }),
        results.filter((r) => r.monitorId === 'm1').toReversed(),
      );
    } finally {
      await store.close();
    }
    const raw = new BetterSqlite3(join(root, 'delete.db'), { readonly: true });
    try {
      assert.deepEqual(raw.prepare('select monitor_id from monitor_keys').all(), [
        { monitor_id: 'm1' },
      ]);
    } finally {
      raw.close();
    }
  });
  for (const portableWriters of [false, true]) {
    it(`a rolled-back batch leaves no key behind (${portableWriters ? 'portable' : 'native'})`, async () => {
      const file = join(root, `rollback-${String(portableWriters)}.db`);
      const store = await openSqliteStore({ file, portableWriters });
      try {
        await store.insertMonitor(makeMonitor('m1'));
        const [first] = history();
        assert.ok(first);
        const result = { ...first, monitorId: 'm1', nodeId: 'node-new' };
        // An incident without its cause fails the batch after its results were written.
        const broken = { ...makeIncident('inc-1', 'm1', T0), cause: null } as never;
        await assert.rejects(
          store.commitBatch(batch({ results: [result], incidentsOpened: [broken] })),
        );
        assert.deepEqual(await store.listResults(), []);
        const raw = new BetterSqlite3(file, { readonly: true });
        try {
          assert.deepEqual(raw.prepare('select node_id from node_keys').all(), []);
        } finally {
          raw.close();
        }
        // And the retry, which finds no key it was told of, stores the result.
        await store.commitBatch(batch({ results: [result] }));
        assert.deepEqual(await store.listResults(), [result]);
      } finally {
        await store.close();
      }
    });
  }
});
