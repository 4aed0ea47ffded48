/**
 * The raw ceiling: a plain Node loop of HTTP GETs, each on a fresh connection (`agent: false`,
 * as a check makes), with at most `--concurrency` in flight, against the loopback target.
 * Run as its own process so that it is compared like for like with the daemon process.
 *
 *   node bench/lib/ceiling-client.ts --ports 4101,4102 [--concurrency 256]
 *        [--warmup-ms 2000] [--duration-ms 10000] [--mode raw|check]
 *
 * `--mode check` runs Crosscheck's own check path (runCheck → the http check) in the same
 * loop instead of a bare `http.get`: the step between the raw ceiling and the whole daemon
 * (which adds scheduling, ingest, SQLite and metrics).
 *
 * Counts responses read to the end inside the window after the warm-up and prints one JSON
 * line. Bounded by the duration (plus 10 s to drain) and by a hard cap on requests.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { runCheck } from '../../src/agent/check-runner.ts';
import { getCheck } from '../../src/checks/registry.ts';

const MAX_REQUESTS = 20_000_000;

const { values } = parseArgs({
  options: {
    ports: { type: 'string' },
    concurrency: { type: 'string', default: '256' },
    'warmup-ms': { type: 'string', default: '2000' },
    'duration-ms': { type: 'string', default: '10000' },
    mode: { type: 'string', default: 'raw' },
  },
});
const ports = (values.ports ?? '')
  .split(',')
  .map(Number)
  .filter((p) => p > 0);
if (ports.length === 0) throw new Error('ceiling-client: --ports is required');
const concurrency = Math.max(1, Number(values.concurrency));
const warmupMs = Number(values['warmup-ms']);
const durationMs = Number(values['duration-ms']);

let issued = 0;
let completed = 0;
let errors = 0;
let inWindow = 0;
let stopping = false;
const started = Date.now();
const windowStart = started + warmupMs;
const windowEnd = windowStart + durationMs;
let cpuAtWindowStart: NodeJS.CpuUsage | undefined;

const httpOptions = getCheck('http').optionsSchema.parse({}) as Record<string, unknown>;

function one(): void {
  if (stopping || issued >= MAX_REQUESTS) return;
  const port = ports[issued++ % ports.length] ?? 0;
  if (values.mode === 'check') {
    const spec = { type: 'http' as const, target: `http://127.0.0.1:${port}/ceiling/${issued}` };
    void runCheck({ ...spec, options: httpOptions, timeoutMs: 10_000 }).then((result) =>
      finish(result.status === 'up'),
    );
    return;
  }
  const req = http.get({ host: '127.0.0.1', port, path: `/ceiling/${issued}`, agent: false });
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => finish(true));
    res.on('error', () => finish(false));
  });
  req.on('error', () => finish(false));
}

function finish(ok: boolean): void {
  const now = Date.now();
  if (ok) {
    completed++;
    if (now > windowStart && now <= windowEnd) inWindow++;
  } else {
    errors++;
  }
  one();
}

setTimeout(() => (cpuAtWindowStart = process.cpuUsage()), warmupMs);
setTimeout(() => {
  stopping = true;
  const cpu = process.cpuUsage(cpuAtWindowStart);
  process.stdout.write(
    `${JSON.stringify({
      mode: values.mode,
      concurrency,
      ports: ports.length,
      warmupMs,
      durationMs,
      completed,
      errors,
      inWindow,
      perSecond: Math.round((inWindow / durationMs) * 1000),
      cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / durationMs) * 1000) / 10,
    })}\n`,
  );
  // In-flight requests are abandoned; the target tolerates resets.
  setTimeout(() => process.exit(0), 100);
}, warmupMs + durationMs);
setTimeout(() => process.exit(3), warmupMs + durationMs + 10_000).unref();
// A normal exit, so that a `--cpu-prof` profile is written when the bench stops it.
process.on('SIGTERM', () => process.exit(0));

for (let i = 0; i < concurrency; i++) one();
