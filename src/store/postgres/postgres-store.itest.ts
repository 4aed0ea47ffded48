import { after, before, describe } from 'node:test';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
  waitForNoSessions,
} from '../../../test/helpers/postgres-server.ts';
import { runStoreContract } from '../contract.ts';
import type { MakeStore } from '../contract.ts';
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
}

function freshStore(portableWriters: boolean): MakeStore {
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
      cleanup: async () => {
        await store.close();
        await database.drop();
      },
    };
  };
}
