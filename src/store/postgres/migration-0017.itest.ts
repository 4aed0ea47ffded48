import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import { newResultId } from '../../lib/ids.ts';
import { batch, makeMonitor } from '../contract/fixtures.ts';
import { migrationProvider } from '../migrations/index.ts';
import { monitorToRow } from '../sql/rows.ts';
import type { Database } from '../sql/schema.ts';
import type { Store } from '../types.ts';
import { MONITOR_COLUMNS_0018, without } from '../sqlite/migration-fixture.ts';
import { openPostgresStore } from './open-postgres-store.ts';

// Migration 0017's PostgreSQL branch on a database that has results (a fresh one has none, so
// the contract suite never runs its copy): ids to bytea and back, codes, the sequence.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

const T0 = Date.UTC(2026, 0, 10, 22, 0);
const MINUTE = 60_000;
const STATUSES: readonly CheckStatus[] = ['up', 'up', 'degraded', 'down', 'error'];

/** Results of two monitors from two nodes; ids of every shape the copy must tell apart. */
function history(): RecordedResult[] {
  return Array.from({ length: 120 }, (_, i) => {
    const status = STATUSES[i % STATUSES.length] ?? 'up';
    const checkedAt = T0 + i * 7 * MINUTE;
    const ids = [
      `res-legacy-${i}`,
      `sixteen-chars-${String(i).padStart(2, '0')}`,
      newResultId(checkedAt).toUpperCase(),
    ];
    const result: RecordedResult = {
      id: i % 10 < ids.length ? (ids[i % 10] ?? '') : newResultId(checkedAt),
      monitorId: i % 3 === 0 ? 'm2' : 'm1',
      nodeId: i % 2 === 0 ? 'node-a' : 'node-b',
      checkedAt,
      status,
      latencyMs: Math.round(((i * 13.37) % 900) * 100) / 100,
      timings: i % 4 === 0 ? {} : { dnsMs: 0.5, connectMs: i / 100, firstByteMs: 42.42 },
      message: i % 5 === 0 ? '' : `HTTP 200 in ${i} ms`,
      details: i % 2 === 0 ? {} : { statusCode: 200, redirects: 0 },
    };
    if (status === 'down') result.errorKind = 'refused';
    if (status === 'error') result.errorKind = 'node';
    return result;
  });
}

/** The row schema 0001–0016 stored. */
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
    tls_ms: null,
    first_byte_ms: r.timings.firstByteMs ?? null,
    error_kind: r.errorKind ?? null,
    message: r.message,
    details: JSON.stringify(r.details),
  };
}

async function everyRollup(store: Store) {
  const all = (granularity: 'minute' | 'hour' | 'day') =>
    store.listRollupsOf(granularity, ['m1', 'm2'], 0);
  return { minute: await all('minute'), hour: await all('hour'), day: await all('day') };
}

describe('migration 0017 on PostgreSQL', { skip, timeout: 60_000 }, () => {
  let server: TestPostgres | undefined;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it('copies old results readable as they were, rollups identical, seq never reused', async () => {
    if (server === undefined) throw new Error('test cluster not started');
    const old = await createTestDatabase(server, `old_${process.pid}`);
    const fresh = await createTestDatabase(server, `fresh_${process.pid}`);
    const results = history();
    const gone = results.pop();
    try {
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: old.url }) }),
      });
      try {
        const provider = migrationProvider('postgres');
        const step = await new Migrator({ db, provider }).migrateTo('0016_managed_objects');
        assert.equal(step.error, undefined);
        for (const id of ['m1', 'm2']) {
          const row = without(monitorToRow(makeMonitor(id)), MONITOR_COLUMNS_0018);
          await db.insertInto('monitors').values(row).execute();
        }
        await db
          .insertInto('results')
          .values([...results, gone].flatMap((r) => (r === undefined ? [] : [oldRow(r)])))
          .execute();
        // The newest row gone before the upgrade: its seq stays used.
        await db
          .deleteFrom('results')
          .where('id', '=', gone?.id ?? '')
          .execute();
      } finally {
        await db.destroy();
      }

      const migrated = await openPostgresStore({ url: old.url });
      const reference = await openPostgresStore({ url: fresh.url });
      try {
        assert.deepEqual(await migrated.listResults({ limit: 1_000 }), results.toReversed());
        for (const id of ['m1', 'm2']) await reference.insertMonitor(makeMonitor(id));
        await reference.commitBatch(batch({ results }));
        await migrated.rollup();
        await reference.rollup();
        const rollups = await everyRollup(migrated);
        assert.ok(rollups.hour.length > 10, 'the history spans many hours');
        assert.deepEqual(rollups, await everyRollup(reference));

        assert.ok(gone);
        const next = { ...gone, id: newResultId(), checkedAt: T0 + 9_000 * MINUTE };
        await migrated.commitBatch(batch({ results: [next] }));
        assert.deepEqual(await migrated.listResults({ limit: 1 }), [next]);
      } finally {
        await migrated.close();
        await reference.close();
      }
      const client = new pg.Client({ connectionString: old.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ top: string; n: string }>(
          'select max(seq) as top, count(*) as n from raw_results',
        );
        assert.deepEqual(rows[0], { top: '121', n: '120' }, 'seq 120 (deleted) is not given again');
      } finally {
        await client.end();
      }
    } finally {
      await old.drop();
      await fresh.drop();
    }
  });
});
