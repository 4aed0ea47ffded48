/**
 * The measuring loop of the check-types scenario: runs one operation (a check, or a bare
 * connect or GET) a bounded number of times with a small fixed concurrency and a wall-clock
 * cap, and reports CPU per operation (this process, its other children, the server's tree),
 * wall latency p50/p95 and operations per second.
 */
import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { cpuSpent, readCpu } from './tree-cpu.ts';
import { round } from './stats.ts';

/** A bare operation on loopback that takes longer than this has failed. */
const BARE_TIMEOUT_MS = 5_000;

/** One run's outcome: `ok` false carries the message shown in the table. */
export interface OpOutcome {
  ok: boolean;
  message?: string;
}

export interface LoopLimits {
  count: number;
  capMs: number;
  concurrency: number;
  /** The processes holding the server (the host, a detached daemon): their trees' CPU is read apart. */
  serverRoots: readonly number[];
}

export interface LoopFigures {
  completed: number;
  ok: number;
  /** The first failure's message, if any run failed. */
  firstFailure: string | null;
  wallMs: number;
  perSecond: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** CPU ms per operation: this process; its other children (ping, Chromium); the server. */
  cpuMsPerOp: { self: number; children: number; server: number };
  /** Whether the wall-clock cap ended the loop before `count` runs. */
  capped: boolean;
}

/** Idle time before a window, for the previous run's sockets and timers to finish closing. */
const SETTLE_MS = 300;

/**
 * A full garbage collection and a short idle pause, so that one type's window does not pay for
 * the garbage or the closing of the one before (the scenario measures them in one process).
 */
async function settle(): Promise<void> {
  // `--expose-gc` at run time: the flag makes a new context see `gc`.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** Runs `op` up to `limits.count` times, at most `limits.concurrency` at once. */
export async function measureLoop(
  op: () => Promise<OpOutcome>,
  limits: LoopLimits,
): Promise<LoopFigures> {
  await settle();
  const latencies: number[] = [];
  let issued = 0;
  let ok = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  const deadline = started + limits.capMs;
  const before = readCpu(limits.serverRoots);
  const lane = async (): Promise<void> => {
    while (issued < limits.count && performance.now() < deadline) {
      issued++;
      const opStarted = performance.now();
      const outcome = await op().catch((error: unknown) => ({ ok: false, message: String(error) }));
      latencies.push(performance.now() - opStarted);
      if (outcome.ok) ok++;
      else firstFailure ??= outcome.message ?? 'failed';
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, lane));
  const wallMs = performance.now() - started;
  const spent = cpuSpent(before, readCpu(limits.serverRoots));
  const completed = latencies.length;
  const per = (ms: number): number => (completed > 0 ? round(ms / completed, 3) : 0);
  return {
    completed,
    ok,
    firstFailure,
    wallMs: Math.round(wallMs),
    perSecond: wallMs > 0 ? round((completed / wallMs) * 1000, 1) : 0,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
    cpuMsPerOp: {
      self: per(spent.selfMs),
      children: per(spent.childrenMs),
      server: per(spent.serverMs),
    },
    capped: completed < limits.count,
  };
}

function percentile(values: number[], fraction: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return round(sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0);
}

/** A bare `net.connect` to the port, closed as soon as it is connected. */
export function bareConnect(port: number): Promise<OpOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(BARE_TIMEOUT_MS, () => socket.destroy(new Error('timed out')));
    socket.once('connect', () => socket.end());
    socket.once('error', (error) => resolve({ ok: false, message: error.message }));
    socket.once('close', (hadError) => {
      if (!hadError) resolve({ ok: true });
    });
    socket.on('data', () => undefined);
  });
}

/** A bare `http.get` on a fresh connection (as a check makes), read to the end. */
export function bareGet(origin: string): Promise<OpOutcome> {
  return new Promise((resolve) => {
    const req = http.get(`${origin}/`, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve({ ok: res.statusCode === 200 }));
      res.once('error', (error) => resolve({ ok: false, message: error.message }));
    });
    req.setTimeout(BARE_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.once('error', (error) => resolve({ ok: false, message: error.message }));
  });
}
