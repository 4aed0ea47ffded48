/**
 * An open-loop HTTP load client, run as its own process so that its CPU is not the daemon's or
 * the bench's: every millisecond tick it sends what the rate owes since the start (so a slow
 * server is measured, not waited for: no coordinated omission), with at most `--max-in-flight`
 * outstanding; past that a tick's requests are counted as not sent.
 *
 *   node bench/lib/open-loop-client.ts --url http://127.0.0.1:4100/status/bench
 *        [--rate 1000] [--duration-ms 10000] [--connections 32] [--max-in-flight 256]
 *        [--accept-encoding 'gzip, deflate, br']
 *
 * Prints one JSON line (`OpenLoopFigures`). Bounded by the duration plus a 10 s drain and by
 * `rate × duration` requests.
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import type { Distribution } from './stats.ts';
import { distribution, round } from './stats.ts';
import { sleep } from './time-bounds.ts';

export interface OpenLoopFigures {
  durationMs: number;
  sent: number;
  ok: number;
  failed: number;
  /** Requests not sent because `maxInFlight` were outstanding. */
  notSent: number;
  achievedPerSecond: number;
  latencyMs: Distribution;
  /** The client's own CPU over the run, % of one core (a saturated client would skew rates). */
  clientCpuPercent: number;
}

const DRAIN_MS = 10_000;

async function drive(options: {
  url: URL;
  rate: number;
  durationMs: number;
  connections: number;
  maxInFlight: number;
  acceptEncoding: string;
}): Promise<OpenLoopFigures> {
  const { url, rate, durationMs, maxInFlight } = options;
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let notSent = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const cpuFrom = process.cpuUsage();
  const start = performance.now();
  const path = `${url.pathname}${url.search}`;
  try {
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs) break;
      const owed = Math.floor((elapsed / 1000) * rate) - sent - notSent;
      for (let i = 0; i < owed; i++) {
        if (inFlight >= maxInFlight) {
          notSent++;
          continue;
        }
        sent++;
        inFlight++;
        const began = performance.now();
        const request = pool
          .request({ path, method: 'GET', headers: { 'accept-encoding': options.acceptEncoding } })
          .then(async (response) => {
            await response.body.dump();
            if (response.statusCode === 200) ok++;
            else failed++;
            latencies.push(performance.now() - began);
          })
          .catch(() => void failed++)
          .finally(() => {
            inFlight--;
            pending.delete(request);
          });
        pending.add(request);
      }
      await sleep(1);
    }
    await Promise.race([Promise.all(pending), sleep(DRAIN_MS)]);
  } finally {
    await pool.close();
  }
  const took = performance.now() - start;
  const cpu = process.cpuUsage(cpuFrom);
  return {
    durationMs: round(took),
    sent,
    ok,
    failed,
    notSent,
    // Per second of the scheduled window: the drain after it adds no credit.
    achievedPerSecond: round((ok / durationMs) * 1000, 1),
    latencyMs: distribution(latencies),
    clientCpuPercent: round(((cpu.user + cpu.system) / 1000 / took) * 100, 1),
  };
}

const isMain = import.meta.filename === process.argv[1];
if (isMain) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      rate: { type: 'string', default: '1000' },
      'duration-ms': { type: 'string', default: '10000' },
      connections: { type: 'string', default: '32' },
      'max-in-flight': { type: 'string', default: '256' },
      'accept-encoding': { type: 'string', default: 'gzip, deflate, br' },
    },
  });
  if (values.url === undefined) throw new Error('open-loop-client: --url is required');
  const figures = await drive({
    url: new URL(values.url),
    rate: Number(values.rate),
    durationMs: Number(values['duration-ms']),
    connections: Number(values.connections),
    maxInFlight: Number(values['max-in-flight']),
    acceptEncoding: values['accept-encoding'],
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
