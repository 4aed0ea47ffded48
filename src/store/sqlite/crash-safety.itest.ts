import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, it } from 'node:test';
import { openSqliteStore } from './open-sqlite-store.ts';

const CHILD = new URL('./crash-writer.fixture.ts', import.meta.url).pathname;
const PER_BATCH = 300;
/** Batches the child must acknowledge before it is killed. */
const KILL_AFTER = 25;

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crosscheck-crash-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

it(
  'keeps every acknowledged batch, and no partial batch, after SIGKILL',
  { timeout: 60_000 },
  async () => {
    const file = join(dir, 'crosscheck.db');
    const child = spawn(process.execPath, [CHILD, file, String(PER_BATCH)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(child, 'exit');

    let acknowledged = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      assert.match(line, /^committed \d+$/);
      acknowledged += 1;
      if (acknowledged === KILL_AFTER) child.kill('SIGKILL');
    }
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL', `child ended on its own (code ${code}): ${stderr}`);
    assert.ok(acknowledged >= KILL_AFTER);

    const raw = new BetterSqlite3(file);
    const integrity = raw.pragma('integrity_check', { simple: true });
    const perBatch = raw
      .prepare(
        `select cast(substr(id, 2, instr(id, '-') - 2) as integer) as batch, count(*) as n
       from results group by batch order by batch`,
      )
      .all() as { batch: number; n: number }[];
    const state = raw.prepare(`select last_checked_at from monitor_state`).get() as
      { last_checked_at: number } | undefined;
    const maxCheckedAt = raw.prepare(`select max(checked_at) as m from results`).get() as {
      m: number;
    };
    raw.close();

    assert.equal(integrity, 'ok');
    const batches = perBatch.map((b) => b.batch);
    // The kill may land after a commit but before its "committed" line: one extra batch is fine.
    assert.ok(
      batches.length === acknowledged || batches.length === acknowledged + 1,
      `${batches.length} batches for ${acknowledged} acknowledged`,
    );
    assert.deepEqual(
      batches,
      Array.from({ length: batches.length }, (_, i) => i),
      'no gaps',
    );
    for (const { batch, n } of perBatch) assert.equal(n, PER_BATCH, `batch ${batch} is whole`);
    assert.equal(state?.last_checked_at, maxCheckedAt.m, 'state committed with its results');

    // And the store itself reopens on it.
    const store = await openSqliteStore({ file });
    try {
      assert.equal((await store.stats()).results, batches.length * PER_BATCH);
    } finally {
      await store.close();
    }
  },
);
