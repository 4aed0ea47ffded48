/**
 * Storage cost of raw results, in this process: writes N realistic results through the real
 * ingest path (`Store.commitBatch`, the native prepared-statement writer) into a fresh SQLite
 * file, checkpoints the WAL and reports bytes per check: the file's growth over the same
 * database with its monitors and no results, divided by the rows, and SQLite's `dbstat`
 * pages per table and index. Also the CPU spent in commitBatch per result.
 *
 * The mix, per 100 checks: 70 http up (timings, `HTTP 200 in N ms`, status code, final URL,
 * redirects and body size), 15 tcp up (host, port, address), 5 degraded http (slower than the
 * threshold), 7 http down (connection refused), 3 node errors (EMFILE, nothing else to say).
 * 1,000 monitors checked from 3 nodes every 30 s, in batches of 500 as ingest commits them.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedResult } from '../../src/domain/check-result.ts';
import { newId, newResultId } from '../../src/lib/ids.ts';
import { batch, makeMonitor } from '../../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../src/store/types.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { round } from '../lib/stats.ts';

const MONITORS = 1_000;
const NODES = 3;
const INTERVAL_MS = 30_000;
const BATCH = 500;
const START = Date.UTC(2026, 1, 1);

/** A deterministic pseudo-random sequence, so before/after runs write the same data. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const ms = (random: () => number, scale: number): number =>
  Math.round(random() * scale * 100) / 100;

/** The n-th check of the mix (see the file comment). */
function realisticResult(
  n: number,
  monitorIds: readonly string[],
  nodeIds: readonly string[],
  random: () => number,
): RecordedResult {
  const monitor = Math.floor(n / NODES) % MONITORS;
  const round = Math.floor(n / (NODES * MONITORS));
  const checkedAt = START + round * INTERVAL_MS + monitor * 29 + (n % NODES) * 7;
  const base = {
    id: newResultId(checkedAt),
    monitorId: monitorIds[monitor] ?? '',
    nodeId: nodeIds[n % NODES] ?? '',
    checkedAt,
  };
  const kind = Math.floor(random() * 100);
  const latencyMs = ms(random, 200) + 1;
  const timings = {
    dnsMs: ms(random, 2),
    connectMs: ms(random, 20),
    firstByteMs: ms(random, 150),
  };
  const httpDetails = {
    statusCode: 200,
    finalUrl: `http://svc-${monitor}.internal.lan:8080/health`,
    redirects: 0,
    bodyBytes: 900 + (monitor % 300),
  };
  if (kind < 70) {
    const message = `HTTP 200 in ${Math.round(latencyMs)} ms`;
    return { ...base, status: 'up', latencyMs, timings, message, details: httpDetails };
  }
  if (kind < 85) {
    const details = { host: `db-${monitor}.internal.lan`, port: 5432, address: '10.1.2.3' };
    const connectMs = ms(random, 5);
    const message = `connected in ${Math.round(connectMs)} ms`;
    return {
      ...base,
      status: 'up',
      latencyMs: connectMs,
      timings: { connectMs },
      message,
      details,
    };
  }
  if (kind < 90) {
    const slow = latencyMs + 2_000;
    const message = `HTTP 200 in ${Math.round(slow)} ms (slower than 2000 ms)`;
    return { ...base, status: 'degraded', latencyMs: slow, timings, message, details: httpDetails };
  }
  if (kind < 97) {
    const details = { statusCode: null, finalUrl: httpDetails.finalUrl, redirects: 0 };
    return {
      ...base,
      status: 'down',
      errorKind: 'refused',
      latencyMs: ms(random, 3),
      timings: { dnsMs: timings.dnsMs },
      message: 'connection refused',
      details,
    };
  }
  const message = 'too many open files on this node (EMFILE)';
  return {
    ...base,
    status: 'error',
    errorKind: 'node',
    latencyMs: 0,
    timings: {},
    message,
    details: {},
  };
}

interface StorageFigures {
  rows: number;
  fileBytes: number;
  emptyFileBytes: number;
  bytesPerCheck: number;
  cpuUsPerResult: number;
  resultsPerSecond: number;
  objects: { name: string; bytes: number; perRow: number }[];
}

function fileSize(file: string): number {
  return fs.statSync(file).size;
}

/** Checkpoints the WAL into the file and reads `dbstat` (bytes per table and index). */
function checkpointAndInspect(file: string, rows: number): StorageFigures['objects'] {
  const raw = new BetterSqlite3(file);
  try {
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const stats = raw
      .prepare(
        `select name, sum(pgsize) as bytes from dbstat
         where name like '%result%' or name like '%_keys%'
         group by name order by bytes desc`,
      )
      .all() as { name: string; bytes: number }[];
    return stats.map((s) => ({ ...s, perRow: round(s.bytes / rows, 1) }));
  } finally {
    raw.close();
  }
}

async function writeResults(store: Store, count: number, monitorIds: string[], nodeIds: string[]) {
  const random = seeded(15);
  let cpuMicros = 0;
  let wallMs = 0;
  for (let n = 0; n < count; n += BATCH) {
    const results: RecordedResult[] = [];
    for (let i = n; i < Math.min(count, n + BATCH); i++) {
      results.push(realisticResult(i, monitorIds, nodeIds, random));
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    await store.commitBatch(batch({ results }));
    wallMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
  }
  return { cpuMicros, wallMs };
}

async function measureStorage(workDir: string, rows: number): Promise<StorageFigures> {
  const file = path.join(workDir, 'storage.db');
  const monitorIds = Array.from({ length: MONITORS }, () => newId('mon'));
  const nodeIds = Array.from({ length: NODES }, () => newId('node'));
  const store = await openSqliteStore({ file });
  try {
    for (const id of monitorIds) await store.insertMonitor(makeMonitor(id));
  } finally {
    await store.close();
  }
  checkpointAndInspect(file, 1);
  const emptyFileBytes = fileSize(file);
  const writer = await openSqliteStore({ file });
  let cost: { cpuMicros: number; wallMs: number };
  try {
    cost = await writeResults(writer, rows, monitorIds, nodeIds);
  } finally {
    await writer.close();
  }
  const objects = checkpointAndInspect(file, rows);
  const fileBytes = fileSize(file);
  return {
    rows,
    fileBytes,
    emptyFileBytes,
    bytesPerCheck: round((fileBytes - emptyFileBytes) / rows, 1),
    cpuUsPerResult: round(cost.cpuMicros / rows, 1),
    resultsPerSecond: Math.round(rows / (cost.wallMs / 1000)),
    objects,
  };
}

export const storage: Scenario = {
  name: 'storage',
  description:
    'Bytes per stored check (file growth and dbstat per table/index) and ingest CPU per result (in process)',
  async run({ quick, workDir }) {
    const rows = quick ? 30_000 : 300_000;
    const figures = await measureStorage(workDir, rows);
    printTable(
      `storage: ${rows} results, ${MONITORS} monitors x ${NODES} nodes: ` +
        `${figures.bytesPerCheck} bytes per check, ${figures.cpuUsPerResult} µs CPU per result ` +
        `(${figures.resultsPerSecond} results/s)`,
      ['table or index', 'bytes', 'bytes per check'],
      figures.objects.map((o) => [o.name, o.bytes, o.perRow]),
    );
    return {
      figures: { ...figures },
      targets: [
        {
          target: 'raw result storage',
          measured: `${figures.bytesPerCheck} B/check`,
          goal: '<= 150 B/check',
          pass: figures.bytesPerCheck <= 150,
        },
      ],
    };
  },
};
