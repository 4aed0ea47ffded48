import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { waitUntil } from '../../../test/helpers/lease-lab.ts';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
  waitForNoSessions,
} from '../../../test/helpers/postgres-server.ts';
import { runStoreContract } from '../contract.ts';
import type { MakeStore } from '../contract.ts';
import { batch, makeMonitor, makeResult, rejectsWithCode, T0 } from '../contract/fixtures.ts';
import { ingestContract } from '../contract/ingest.ts';
import { openPostgresStore } from './open-postgres-store.ts';

// The Store contract on a real PostgreSQL: one throwaway cluster for the file, a fresh
// database per test, dropped in its cleanup: a copy of one migrated once (the migrations
// themselves run there, and in postgres-specific.itest.ts on empty databases). PostgreSQL-only behaviour
// (migration lock, connection errors, value types) is in postgres-specific.itest.ts.

const binaries = postgresBinDir();
let server: TestPostgres | undefined;
let counter = 0;
/** The template copies so far, one after another. */
let copies: Promise<void> = Promise.resolve();

const TEMPLATE = `contract_template_${process.pid}`;

before(async () => {
  if (!('dir' in binaries)) return;
  server = await startPostgres();
  const template = await createTestDatabase(server, TEMPLATE);
  await (await openPostgresStore({ url: template.url })).close();
  await waitForNoSessions(server, TEMPLATE);
});
after(async () => {
  await server?.stop();
});

if ('missing' in binaries) {
  // .ci/run installs postgresql; a developer machine without it skips rather than fails.
  process.stderr.write(`postgres store contract skipped: ${binaries.missing}\n`);
} else {
  runStoreContract('postgres', freshStore(false));
  // The portable writers (multi-row VALUES) stay correct on PostgreSQL too; the ingest part of
  // the contract is what they write.
  void describe('Store contract: postgres, portable writers', () => {
    void describe('commitBatch', () => ingestContract(freshStore(true)));
  });
  void describe('leader write fencing against an acquisition', () => {
    it('refuses a write that waited on the lease row while a newer epoch was committed', () =>
      refusedAfterWaitingOnAcquisition());
  });
}

/** Runs `query` on its own session to `url`. */
async function onSession<T>(url: string, query: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

/**
 * ADR 0010's ordering: a leader write reads the lease row `for share`, which an acquisition's
 * `for update` holds back; once the acquisition commits a newer epoch, the waiting write reads
 * that epoch and is refused, so no write lands across an epoch change.
 */
async function refusedAfterWaitingOnAcquisition(): Promise<void> {
  const { store, cleanup, setLeaseEpoch, url } = await freshStore(false)();
  const acquisition = new pg.Client({ connectionString: url });
  try {
    await store.insertMonitor(makeMonitor('m1'));
    await setLeaseEpoch?.(3);
    store.fenceLeaderWrites({ epoch: () => 3 });
    await acquisition.connect();
    await acquisition.query('begin');
    await acquisition.query('select epoch from leader_lease where id = 1 for update');

    const write = store.commitBatch(batch({ results: [makeResult('m1', T0)] }));
    const refused = rejectsWithCode(write, 'FENCED');
    await waitUntil(
      () => onSession(url, async (client) => (await waitingOnLocks(client)) === 1),
      10_000,
      'the leader write to wait on the lease row',
    );
    await acquisition.query('update leader_lease set epoch = 4 where id = 1');
    await acquisition.query('commit');
    await refused;
    assert.deepEqual(await store.listResults(), []);
  } finally {
    await acquisition.end();
    await cleanup();
  }
}

async function waitingOnLocks(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ waiting: string }>(
    `select count(*) as waiting from pg_stat_activity
     where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return Number(rows[0]?.waiting ?? 0);
}

function freshStore(
  portableWriters: boolean,
): () => Promise<Awaited<ReturnType<MakeStore>> & { url: string }> {
  return async () => {
    const running = server;
    if (running === undefined) throw new Error('test cluster not started');
    counter += 1;
    const name = `contract_${process.pid}_${counter}`;
    // PostgreSQL copies a template only while nobody else uses it, another copy included.
    const created = copies.then(() => createTestDatabase(running, name, TEMPLATE));
    copies = created.then(
      () => undefined,
      () => undefined,
    );
    const database = await created;
    const store = await openPostgresStore({ url: database.url, portableWriters });
    return {
      store,
      url: database.url,
      cleanup: async () => {
        await store.close();
        await database.drop();
      },
      setLeaseEpoch: (epoch) =>
        onSession(database.url, async (client) => {
          await client.query('update leader_lease set epoch = $1 where id = 1', [epoch]);
        }),
    };
  };
}
