import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../src/store/types.ts';

/** A real SQLite store in a fresh temp dir; `cleanup` closes it and removes the dir. */
export async function tempSqliteStore(): Promise<{
  store: Store;
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-store-'));
  const store = await openSqliteStore({ file: path.join(dir, 'crosscheck.db') });
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
