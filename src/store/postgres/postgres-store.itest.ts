import { after, before, describe } from 'node:test';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import { runStoreContract } from '../contract.ts';
import type { MakeStore } from '../contract.ts';
import { ingestContract } from '../contract/ingest.ts';
import { openPostgresStore } from './open-postgres-store.ts';

// The Store contract on a real PostgreSQL: one throwaway cluster for the file, a fresh
// database (from template0) per test, dropped in its cleanup. PostgreSQL-only behaviour
// (migration lock, connection errors, value types) is in postgres-specific.itest.ts.

const binaries = postgresBinDir();
let server: TestPostgres | undefined;
let counter = 0;

before(async () => {
  if ('dir' in binaries) server = await startPostgres();
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
    if (server === undefined) throw new Error('test cluster not started');
    counter += 1;
    const database = await createTestDatabase(server, `contract_${process.pid}_${counter}`);
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
