/**
 * The longest main-thread block of one large write transaction, with SQLite's automatic
 * checkpoint on the writer (as before) or handed to the housekeeping thread
 * (docs/adr/0009-checkpoint-on-housekeeping-thread.md). Not a registered scenario: a small,
 * standalone measurement of the store alone, without a daemon's other work around it.
 *
 *   node bench/commit-block.ts [--monitors 100000] [--rounds 3]
 *
 * Each round, in each mode: a fresh database in a temp dir, the store opened as the daemon opens
 * it, its housekeeping thread started (given the writer's checkpoints in `thread` mode only),
 * then `saveMonitors` of N new monitors in one transaction (what an apply of N monitors
 * writes), timed, with `monitorEventLoopDelay` over it: the longest block is the commit's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startHousekeepingWorker } from '../src/app/housekeeping-worker.ts';
import { silentLogger } from '../src/observability/logger.ts';
import { makeMonitor } from '../src/store/contract/fixtures.ts';
import { openSqliteStoreWithWriter } from '../src/store/sqlite/open-sqlite-store.ts';
import type { MonitorWrite } from '../src/store/types.ts';
import { printTable } from './lib/scenario.ts';
import { sleep } from './lib/time-bounds.ts';

const { values } = parseArgs({
  options: {
    monitors: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
  },
});
const MONITORS = Number(values.monitors);
const ROUNDS = Number(values.rounds);
/** Time for the thread's checkpoint to finish before the next round's files are written. */
const SETTLE_MS = 3_000;
const MODES = ['autocheckpoint', 'thread'] as const;
type Mode = (typeof MODES)[number];

async function measure(mode: Mode, writes: readonly MonitorWrite[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-commit-block-'));
  const file = path.join(dir, 'crosscheck.db');
  const opened = await openSqliteStoreWithWriter({ file });
  const passes = await startHousekeepingWorker({
    file,
    logger: silentLogger(),
    ...(mode === 'thread' ? { writer: opened.writer } : {}),
  });
  try {
    const load = os.loadavg()[0] ?? 0;
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    await opened.store.saveMonitors(writes);
    const ms = performance.now() - started;
    // One more turn, so a block that ends the transaction is recorded.
    await sleep(20);
    delay.disable();
    const walBytes = fs.statSync(`${file}-wal`).size;
    await sleep(SETTLE_MS);
    return { mode, load, ms, loopMaxMs: delay.max / 1e6, walMb: walBytes / 1024 / 1024 };
  } finally {
    await passes.close();
    await opened.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const writes: MonitorWrite[] = Array.from({ length: MONITORS }, (_, i) => ({
  op: 'insert',
  monitor: makeMonitor(`m${i}`),
}));
const rows: (string | number)[][] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const mode of MODES) {
    const figures = await measure(mode, writes);
    rows.push([
      round,
      figures.mode,
      figures.load.toFixed(1),
      Math.round(figures.ms),
      Math.round(figures.loopMaxMs),
      figures.walMb.toFixed(1),
    ]);
  }
}
printTable(
  `commit block: saveMonitors of ${MONITORS} monitors in one transaction`,
  ['round', 'checkpoints', 'load', 'save ms', 'loop max ms', 'WAL MB'],
  rows,
);
