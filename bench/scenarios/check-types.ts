/**
 * Check types — CPU per check, so a user can size nodes (issue #18).
 *
 * For every type in the registry (never a hand-kept list), a real server on 127.0.0.1 port 0
 * runs in a host process of its own (bench/lib/check-type-host.ts); the type's registry `run()`
 * is called here a bounded number of times with a small fixed concurrency and a wall-clock cap.
 * Reported per type: CPU ms per check of this process (user + system), of this process's other
 * children (ping for icmp, Chromium for browser), and of the server's process tree in its own
 * column; wall latency p50/p95; checks/s. Side by side, a bare `net.connect` + close loop and a
 * bare `http.get` loop against the same loopback HTTP server, so each type reads as
 * "× bare connect". A type with no way to run here is a "not measured: <reason>" row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserPool } from '../../src/checks/browser/pool.ts';
import { createBrowserPool } from '../../src/checks/browser/pool.ts';
import { oneShotPatterns } from '../../src/checks/patterns/pool.ts';
import { getCheck, listChecks, parseCheckConfig } from '../../src/checks/registry.ts';
import type { CheckContext, CheckType } from '../../src/checks/types.ts';
import { CHECK_TYPES } from '../../src/domain/check-type.ts';
import { CHROMIUM_PATH } from '../../test/helpers/browser.ts';
import { descendantProcesses } from '../../test/helpers/open-handles.ts';
import type { BenchChild } from '../lib/child-processes.ts';
import { firstJsonLine } from '../lib/child-processes.ts';
import type { LoopFigures, OpOutcome } from '../lib/check-type-loop.ts';
import { bareConnect, bareGet, measureLoop } from '../lib/check-type-loop.ts';
import type { CostClass } from '../lib/check-type-servers.ts';
import { TYPE_SETUPS } from '../lib/check-type-servers.ts';
import type { Scenario, ScenarioContext } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { round } from '../lib/stats.ts';

const HOST = path.join(import.meta.dirname, '..', 'lib', 'check-type-host.ts');
/** Checks per type, full run and `--quick`. */
const COUNTS: Record<CostClass, { full: number; quick: number }> = {
  micro: { full: 20_000, quick: 2_000 },
  cheap: { full: 200, quick: 30 },
  heavy: { full: 50, quick: 10 },
  browser: { full: 20, quick: 4 },
};
const CONCURRENCY = 4;
/** Chromium pages at once: the node's default browser concurrency. */
const BROWSER_CONCURRENCY = 2;
const WARMUP_RUNS = 3;
const CHECK_TIMEOUT_MS = 10_000;
/** Slowest server start (MariaDB initialises a data directory first). */
const HOST_START_MS = 180_000;
/** A host stopping its server (a database shutting down) gets this long before SIGKILL. */
const HOST_STOP_GRACE_MS = 30_000;
/** The CPU a node gives its checks in the sizing column: half of one core. */
const CHECK_BUDGET_MS_PER_S = 500;
const PUSH_NOTE =
  'evaluator only: a ping is one request to a coordinator (API + SQLite write), which needs a running node whose own scheduler work would mix into this process’s CPU';

type HostReply =
  | { target: string; options: Record<string, unknown>; detachedPids: number[] }
  | { unavailable: string };

/** One row: a type's figures, or why it was not measured. */
export interface TypeRow {
  type: CheckType;
  figures?: LoopFigures;
  /** CPU ms per check on the checking node: this process plus its own children. */
  nodeCpuMs?: number;
  timesBareConnect?: number;
  /** Monitors at a 60 s interval within half of one core. */
  monitorsAt60s?: number;
  notMeasured?: string;
  note?: string;
}

async function startHost(context: ScenarioContext, name: string): Promise<[BenchChild, HostReply]> {
  const logFile = path.join(context.workDir, `host-${name}.log`);
  const child = context.children.spawnNode({
    name: `server for ${name}`,
    args: [HOST, '--type', name],
    logFile,
    readStdout: true,
  });
  try {
    return [child, await firstJsonLine<HostReply>(child, HOST_START_MS)];
  } catch (error) {
    await context.children.stop(child, HOST_STOP_GRACE_MS);
    // The work dir is removed after the run: the host's last words go into the row.
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim() : '';
    throw new Error(`${String(error)}${log ? `: ${log.slice(-300)}` : ''}`, { cause: error });
  }
}

function selectedTypes(context: ScenarioContext): CheckType[] {
  const all = listChecks().map((definition) => definition.type);
  if (!context.types) return all;
  const unknown = context.types.filter((t) => !(CHECK_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`unknown check type(s): ${unknown.join(', ')}`);
  return all.filter((type) => context.types?.includes(type));
}

async function measureType(
  context: ScenarioContext,
  type: CheckType,
  bareConnectMs: number,
): Promise<TypeRow> {
  const setup = TYPE_SETUPS[type];
  const [host, reply] = await startHost(context, type);
  let browsers: BrowserPool | undefined;
  try {
    if ('unavailable' in reply) return { type, notMeasured: reply.unavailable };
    const { target, options } = parseCheckConfig(type, reply.target, reply.options);
    const definition = getCheck(type);
    if (type === 'browser')
      browsers = createBrowserPool({
        chromiumPath: CHROMIUM_PATH,
        concurrency: BROWSER_CONCURRENCY,
      });
    const ctx = (): CheckContext => ({
      timeoutMs: CHECK_TIMEOUT_MS,
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      patterns: oneShotPatterns,
      ...(browsers ? { browsers } : {}),
    });
    const once = async (): Promise<OpOutcome> => {
      const result = await definition.run(target, options, ctx());
      return { ok: result.status === 'up', message: result.message };
    };
    // Warm-up outside the window: module loading, JIT, the browser pool's Chromium launch.
    for (let i = 0; i < WARMUP_RUNS; i++) await once();
    const count = context.quick ? COUNTS[setup.cost].quick : COUNTS[setup.cost].full;
    const figures = await measureLoop(once, {
      count,
      capMs: context.quick ? 5_000 : 30_000,
      concurrency: type === 'browser' ? BROWSER_CONCURRENCY : CONCURRENCY,
      serverRoots: [host.pid, ...reply.detachedPids],
    });
    const nodeCpuMs = round(figures.cpuMsPerOp.self + figures.cpuMsPerOp.children, 3);
    return {
      type,
      figures,
      nodeCpuMs,
      timesBareConnect: bareConnectMs > 0 ? round(nodeCpuMs / bareConnectMs, 2) : 0,
      monitorsAt60s: nodeCpuMs > 0 ? Math.floor((CHECK_BUDGET_MS_PER_S / nodeCpuMs) * 60) : 0,
      ...(type === 'push' ? { note: PUSH_NOTE } : {}),
    };
  } finally {
    if (browsers) {
      await browsers.close();
      await settled(() => descendantProcesses().filter((pid) => pid !== host.pid).length === 0);
    }
    await context.children.stop(host, HOST_STOP_GRACE_MS);
  }
}

/** Waits (bounded) until `done`, e.g. until Chromium's processes have exited after a close. */
async function settled(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn++)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The bare loops against the plain loopback HTTP server, in the same conditions as a type. */
async function measureCeilings(
  context: ScenarioContext,
): Promise<{ connect: LoopFigures; get: LoopFigures }> {
  const [host, reply] = await startHost(context, 'ceiling');
  try {
    if ('unavailable' in reply) throw new Error(reply.unavailable);
    const origin = reply.target;
    const port = Number(new URL(origin).port);
    const limits = {
      count: (context.quick ? COUNTS.cheap.quick : COUNTS.cheap.full) * 5,
      capMs: context.quick ? 5_000 : 30_000,
      concurrency: CONCURRENCY,
      serverRoots: [host.pid, ...reply.detachedPids],
    };
    // One warm-up of each, as the types get.
    await bareConnect(port);
    await bareGet(origin);
    const connect = await measureLoop(() => bareConnect(port), limits);
    const get = await measureLoop(() => bareGet(origin), limits);
    return { connect, get };
  } finally {
    await context.children.stop(host, HOST_STOP_GRACE_MS);
  }
}

const HEADER = [
  'type',
  'ok/run',
  'cpu ms/check',
  'children ms',
  '× bare connect',
  'server ms',
  'p50 ms',
  'p95 ms',
  'checks/s',
  'monitors @60s (½ core)',
];

function tableRow(name: string, row: TypeRow): (string | number)[] {
  const f = row.figures;
  if (!f) return [name, `not measured: ${row.notMeasured ?? 'no figures'}`];
  return [
    name,
    `${f.ok}/${f.completed}${f.capped ? ' (cap)' : ''}`,
    f.cpuMsPerOp.self,
    f.cpuMsPerOp.children,
    row.timesBareConnect ?? '',
    f.cpuMsPerOp.server,
    f.latencyP50Ms,
    f.latencyP95Ms,
    f.perSecond,
    row.monitorsAt60s ?? '',
  ];
}

export const checkTypes: Scenario = {
  name: 'check-types',
  description: 'CPU ms per check for every check type against a loopback server, × bare connect',
  async run(context) {
    const types = selectedTypes(context);
    const loadBefore = os.loadavg();
    const ceilings = await measureCeilings(context);
    const bareMs = ceilings.connect.cpuMsPerOp.self;
    const rows: TypeRow[] = [];
    for (const type of types) {
      try {
        rows.push(await measureType(context, type, bareMs));
      } catch (error) {
        rows.push({ type, notMeasured: `setup failed: ${String(error).slice(0, 500)}` });
      }
      const last = rows.at(-1);
      if (last?.figures?.firstFailure)
        console.log(`  ${type}: first failure: ${last.figures.firstFailure}`);
    }
    const loadAfter = os.loadavg();
    const bareRow = (figures: LoopFigures): TypeRow => ({
      type: 'tcp',
      figures,
      timesBareConnect: bareMs > 0 ? round(figures.cpuMsPerOp.self / bareMs, 1) : 0,
    });
    printTable(
      `check types: CPU per check (concurrency ${CONCURRENCY}, browser ${BROWSER_CONCURRENCY}; load ${loadBefore[0]?.toFixed(2)} → ${loadAfter[0]?.toFixed(2)})`,
      HEADER,
      [
        tableRow('bare net.connect', bareRow(ceilings.connect)),
        tableRow('bare http.get', bareRow(ceilings.get)),
        ...rows.map((row) => tableRow(row.type, row)),
      ],
    );
    for (const row of rows) if (row.note) console.log(`${row.type}: ${row.note}`);
    return {
      figures: {
        concurrency: CONCURRENCY,
        browserConcurrency: BROWSER_CONCURRENCY,
        counts: Object.fromEntries(
          Object.entries(COUNTS).map(([cost, c]) => [cost, context.quick ? c.quick : c.full]),
        ),
        checkBudgetMsPerSecond: CHECK_BUDGET_MS_PER_S,
        loadAverage1m: { before: loadBefore[0], after: loadAfter[0] },
        ceilings,
        types: rows,
      },
      targets: [],
    };
  },
};
