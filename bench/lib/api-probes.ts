/**
 * API latency probes for a bench daemon: each asks one question again and again (the next
 * once the previous has answered and a pause has passed) and keeps every answer's latency.
 * A request that fails or does not answer within 30 s counts as 30,000 ms: the bench measures,
 * it does not stop on a slow answer. Issue 15 asks for p99 < 100 ms of `health`, the status of
 * one monitor and a create while the daemon is under its highest load.
 */
import type { DaemonProcess } from './daemon-process.ts';
import { benchAuthHeaders } from './daemon-process.ts';
import { sleep } from './time-bounds.ts';

const ANSWER_TIMEOUT_MS = 30_000;

export interface LatencyProbe {
  /** Ends the loop (after the request in flight) and returns every latency in ms. */
  stop(): Promise<number[]>;
}

/** One request of a probe: its path under the API, and a body for a POST. */
type ProbeRequest = (n: number) => { path: string; body?: unknown };

function latencyProbe(daemon: DaemonProcess, pauseMs: number, request: ProbeRequest): LatencyProbe {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      const { path, body } = request(n);
      const started = performance.now();
      try {
        const response = await fetch(`${daemon.apiUrl}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            ...benchAuthHeaders(daemon.dataDir),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        latencies.push(response.ok ? performance.now() - started : ANSWER_TIMEOUT_MS);
      } catch {
        latencies.push(ANSWER_TIMEOUT_MS);
      }
      await sleep(pauseMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/** `GET /api/v1/health` every 100 ms. */
export function healthProbe(daemon: DaemonProcess): LatencyProbe {
  return latencyProbe(daemon, 100, () => ({ path: '/api/v1/health' }));
}

/** `GET /api/v1/monitors/{id}/status` of one monitor every 100 ms. */
export function statusProbe(daemon: DaemonProcess, monitorId: string): LatencyProbe {
  const path = `/api/v1/monitors/${encodeURIComponent(monitorId)}/status`;
  return latencyProbe(daemon, 100, () => ({ path }));
}

/**
 * `POST /api/v1/monitors` every second: a paused http monitor named `<prefix> <n>` (paused, so
 * the probe adds no checks).
 */
export function createProbe(daemon: DaemonProcess, prefix: string, target: string): LatencyProbe {
  return latencyProbe(daemon, 1_000, (n) => ({
    path: '/api/v1/monitors',
    body: { name: `${prefix} ${n}`, type: 'http', target, intervalMs: 3_600_000, paused: true },
  }));
}
