import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isAppError } from '../../lib/errors.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { MONITOR_IDS, populateStore } from '../../../test/helpers/populated-store.ts';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import { makeMonitor, makeResult, batch, T0 } from '../contract/fixtures.ts';
import { migrateWithLock } from '../postgres/migrate.ts';
import { openPostgresStore } from '../postgres/open-postgres-store.ts';
import { openSqliteStore } from '../sqlite/open-sqlite-store.ts';
import { silentLogger } from '../logger.ts';
import type { Store } from '../types.ts';
import { migrateToPostgres } from './migrate-to-postgres.ts';
import { MIGRATE_LOCK_KEY, PROGRESS_TABLE, SEEDED_TABLES } from './postgres-target.ts';
import { openSqliteSource } from './sqlite-source.ts';

// `migrateToPostgres` on a real throwaway cluster (one per file, a fresh database per test):
// everything read back identically through the Store API, the table list held to the schema,
// and resumption after an injected failure. The CLI's own cases are in src/cli/migrate-cli.itest.ts.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

/** A data dir's SQLite database filled through the store API, closed again. */
async function populatedSource(results: number): Promise<{ file: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-migrate-'));
  const file = path.join(dir, 'crosscheck.db');
  const store = await openSqliteStore({ file });
  try {
    await populateStore(store, results);
  } finally {
    await store.close();
  }
  return { file, dir };
}

/** What a coordinator reads back, through the Store API only. */
async function snapshot(store: Store): Promise<Record<string, unknown>> {
  const results = [];
  for (const id of MONITOR_IDS)
    results.push(...(await store.listResults({ monitorId: id, limit: 100_000 })));
  const rollups = [];
  for (const granularity of ['minute', 'hour', 'day'] as const) {
    rollups.push(await store.listRollupsOf(granularity, MONITOR_IDS, 0));
  }
  return {
    monitors: await store.listMonitors(),
    results: results.map((r) => ({ ...r, message: r.message.replaceAll('\0', '\uFFFD') })),
    states: await store.listStates(),
    incidents: await store.listIncidents(),
    rounds: await store.listRounds(),
    deliveries: await store.listAlertDeliveries(),
    users: await store.listUsers(),
    tokens: await store.listApiTokens(),
    targets: await store.listAlertTargets(),
    rules: await store.listAlertRules(),
    windows: await store.listMaintenanceWindows(),
    pages: await store.listStatusPages(),
    nodes: await store.listNodes({ includeRemoved: true }),
    rollups,
    configVersion: await store.configVersion(),
  };
}

describe('migrateToPostgres', { skip, timeout: 110_000 }, () => {
  let server: TestPostgres;
  let databases = 0;
  const cleanups: (() => Promise<void>)[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server.stop();
  });

  async function freshDatabase(): Promise<string> {
    const db = await createTestDatabase(server, `migrate_lib_${++databases}`);
    cleanups.push(() => db.drop());
    return db.url;
  }

  it('moves every table and reads back identically through the Store API', async () => {
    const sockets = openTcpSockets();
    const source = await populatedSource(3_000);
    cleanups.push(async () => fs.rmSync(source.dir, { recursive: true, force: true }));
    const url = await freshDatabase();
    const bytesBefore = fs.readFileSync(source.file);
    const summary = await migrateToPostgres({ sourceFile: source.file, url, chunkRows: 700 });
    assert.deepEqual(fs.readFileSync(source.file), bytesBefore, 'the source is never written');
    const raw = summary.tables.find((t) => t.table === 'raw_results');
    assert.equal(raw?.rows, 3_000);
    assert.ok((raw?.rowsPerSecond ?? 0) > 0);

    const sqlite = await openSqliteStore({ file: source.file, readonly: true });
    const postgres = await openPostgresStore({ url });
    try {
      const expected = await snapshot(sqlite);
      assert.deepEqual(await snapshot(postgres), expected);
      for (const [part, value] of Object.entries(expected)) {
        if (Array.isArray(value)) assert.ok(value.flat().length > 0, `${part} has rows to compare`);
      }
      // Sequences moved past the copied keys: new monitors and results insert cleanly.
      await postgres.insertMonitor(makeMonitor('m-new'));
      await postgres.commitBatch(batch({ results: [makeResult('m-new', T0 + 5_000)] }));
      assert.equal((await postgres.listResults({ monitorId: 'm-new' })).length, 1);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
    await settlesTo(openTcpSockets, sockets, 'sockets after the migration');
  });

  it('copies every table the migrations create, and the target seeds only known tables', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-migrate-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'crosscheck.db');
    await (await openSqliteStore({ file })).close();
    const url = await freshDatabase();
    // A new migration's table fails here unless both schemas have it with the same columns,
    // its foreign keys order, and any rows its migration seeds are declared in SEEDED_TABLES.
    await migrateWithLock({ url }, silentLogger);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        `select table_name as name from information_schema.tables
         where table_schema = current_schema() and table_type = 'BASE TABLE'
           and table_name not like 'kysely%'`,
      );
      const seeded = [];
      for (const { name } of tables.rows) {
        const { rows } = await client.query<{ any: boolean }>(
          `select exists (select 1 from "${name}") as any`,
        );
        if (rows[0]?.any === true) seeded.push(name);
      }
      assert.deepEqual(seeded.sort(), [...SEEDED_TABLES].sort());
      const source = openSqliteSource(file);
      const inSource = source.tables.map((t) => t.name).sort();
      source.close();
      assert.deepEqual(inSource, tables.rows.map((r) => r.name).sort());
      const summary = await migrateToPostgres({ sourceFile: file, url });
      assert.deepEqual(summary.tables.map((t) => t.table).sort(), inSource);
      const progress = await client.query<{ n: string }>(
        `select count(*) as n from ${PROGRESS_TABLE}`,
      );
      assert.equal(Number(progress.rows[0]?.n), inSource.length);
    } finally {
      await client.end();
    }
  });

  it('resumes after a failure part way with every row exactly once', async () => {
    const source = await populatedSource(4_000);
    cleanups.push(async () => fs.rmSync(source.dir, { recursive: true, force: true }));
    const url = await freshDatabase();
    let chunks = 0;
    await assert.rejects(
      migrateToPostgres({
        sourceFile: source.file,
        url,
        chunkRows: 300,
        onProgress: (p) => {
          // The progress callback runs after a chunk's commit: failing here stops the run
          // between two chunks of raw_results, as a killed process or lost connection would.
          if (p.table === 'raw_results' && ++chunks === 4) throw new Error('injected stop');
        },
      }),
      /injected stop/,
    );
    const summary = await migrateToPostgres({ sourceFile: source.file, url, chunkRows: 300 });
    assert.equal(summary.resumed, true);
    const raw = summary.tables.find((t) => t.table === 'raw_results');
    assert.equal(raw?.resumedFrom, 1_200);
    assert.equal(raw?.rows, 4_000);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string; ids: string }>(
        'select count(*) as n, count(distinct id) as ids from raw_results',
      );
      assert.deepEqual(rows[0], { n: '4000', ids: '4000' });
    } finally {
      await client.end();
    }
    // A finished migration run again copies nothing and still verifies.
    const again = await migrateToPostgres({ sourceFile: source.file, url });
    assert.equal(
      again.tables.reduce((sum, t) => sum + t.rows - t.resumedFrom, 0),
      0,
    );
    // Once a coordinator has written to it, the finished target is no migrate's any more.
    const store = await openPostgresStore({ url });
    await store.insertMonitor(makeMonitor('added-later'));
    await store.close();
    await assert.rejects(migrateToPostgres({ sourceFile: source.file, url }), (error) => {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'CONFLICT');
      assert.match(error.message, /finished earlier and its data has changed since/);
      return true;
    });
  });

  it('a connection lost part way is UNAVAILABLE, and the next run resumes', async () => {
    const source = await populatedSource(20_000);
    cleanups.push(async () => fs.rmSync(source.dir, { recursive: true, force: true }));
    const url = await freshDatabase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const run = migrateToPostgres({ sourceFile: source.file, url, chunkRows: 50 });
      const failed = assert.rejects(run, (error) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'UNAVAILABLE');
        assert.match(error.message, /^PostgreSQL at 127\.0\.0\.1:\d+\/migrate_lib_\d+: /);
        return true;
      });
      // Ends the migrate's session (as a server restart or a dead network would) once it is
      // part way through raw_results; bounded wait.
      let terminated = 0;
      for (let round = 0; round < 500 && terminated === 0; round++) {
        await sleep(10);
        const { rows } = await admin
          .query<{ copied: string }>(
            `select copied::text from ${PROGRESS_TABLE} where table_name = 'raw_results'`,
          )
          .catch(() => ({ rows: [] as { copied: string }[] }));
        if (Number(rows[0]?.copied ?? 0) === 0) continue;
        const ended = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid()
             and application_name = 'crosscheck'`,
        );
        terminated = ended.rowCount ?? 0;
      }
      assert.ok(terminated > 0, 'the migrate session was found and ended');
      await failed;
    } finally {
      await admin.end();
    }
    const summary = await migrateToPostgres({ sourceFile: source.file, url });
    assert.equal(summary.resumed, true);
    const raw = summary.tables.find((t) => t.table === 'raw_results');
    assert.ok((raw?.resumedFrom ?? 0) > 0 && (raw?.resumedFrom ?? 0) < 20_000);
    assert.equal(raw?.rows, 20_000);
  });

  it('refuses while another migrate writes to the same database', async () => {
    const source = await populatedSource(10);
    cleanups.push(async () => fs.rmSync(source.dir, { recursive: true, force: true }));
    const url = await freshDatabase();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
      await assert.rejects(migrateToPostgres({ sourceFile: source.file, url }), (error) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'CONFLICT');
        assert.match(error.message, /another crosscheck migrate is writing to/);
        return true;
      });
    } finally {
      await other.end();
    }
  });
});
