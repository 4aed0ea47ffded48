import { lookup } from 'node:dns/promises';
import { connect, isIP } from 'node:net';
import type { PhaseTimings } from '../../domain/check-result.ts';
import type { BannerPattern } from './banner.ts';
import { bannerMatches } from './banner.ts';

/** What to do once connected. */
export interface TcpProbeRequest {
  host: string;
  port: number;
  /** Written right after the connection opens. */
  send: string | undefined;
  /** When set, the probe reads until the server's data matches it. */
  pattern: BannerPattern | undefined;
  /** Aborting ends the probe wherever it is (timeout or shutdown). */
  signal: AbortSignal;
}

/** How the probe ended. `connected` and `matched` are the successes. */
export type TcpProbeEnd = 'connected' | 'matched' | 'closed' | 'overflow' | 'aborted' | 'error';

/** Everything the probe observed; the check turns it into a result. */
export interface TcpProbe {
  end: TcpProbeEnd;
  /** Phase the probe was in when it ended. */
  phase: 'dns' | 'connect' | 'exchange';
  /** dnsMs (names only), connectMs, firstByteMs (wait after connecting for the first data). */
  timings: PhaseTimings;
  /** IP address connected to, once known. */
  address: string | undefined;
  received: Buffer;
  error?: unknown;
}

/** Stop reading after this much data: a banner that has not matched by then will not. */
export const MAX_RECEIVED_BYTES = 64 * 1024;

/** Resolves the host (timed), connects (timed), optionally sends and waits for a banner. */
export async function probeTcp(request: TcpProbeRequest): Promise<TcpProbe> {
  const timings: PhaseTimings = {};
  if (isIP(request.host) !== 0) return exchange(request.host, request, timings);
  const started = performance.now();
  const resolved = await lookupUnlessAborted(request.host, request.signal);
  timings.dnsMs = performance.now() - started;
  if ('address' in resolved) return exchange(resolved.address, request, timings);
  const end = request.signal.aborted ? 'aborted' : 'error';
  const { error } = resolved;
  return { end, phase: 'dns', timings, address: undefined, received: Buffer.alloc(0), error };
}

function exchange(
  address: string,
  request: TcpProbeRequest,
  timings: PhaseTimings,
): Promise<TcpProbe> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    let phase: TcpProbe['phase'] = 'connect';
    let done = false;
    const started = performance.now();
    let connectedAt = started;
    const socket = connect({ host: address, port: request.port });

    const finish = (end: TcpProbeEnd, error?: unknown): void => {
      if (done) return;
      done = true;
      request.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      const received = Buffer.concat(chunks);
      resolve({
        end,
        phase,
        timings,
        address,
        received,
        ...(error === undefined ? {} : { error }),
      });
    };
    const onAbort = (): void => finish('aborted');

    socket.once('connect', () => {
      connectedAt = performance.now();
      timings.connectMs = connectedAt - started;
      phase = 'exchange';
      if (request.send !== undefined) {
        socket.write(request.send, () => {
          if (!request.pattern) finish('connected');
        });
      } else if (!request.pattern) finish('connected');
    });
    socket.on('data', (chunk: Buffer) => {
      timings.firstByteMs ??= performance.now() - connectedAt;
      chunks.push(chunk);
      receivedBytes += chunk.length;
      const pattern = request.pattern;
      if (!pattern) return;
      if (bannerMatches(pattern, Buffer.concat(chunks).toString('utf8'))) finish('matched');
      else if (receivedBytes >= MAX_RECEIVED_BYTES) finish('overflow');
    });
    socket.once('end', () => finish('closed'));
    socket.once('error', (error) => finish('error', error));
    if (request.signal.aborted) finish('aborted');
    else request.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Looks the host up; settles early when the signal aborts, because `lookup` takes no signal. */
function lookupUnlessAborted(
  host: string,
  signal: AbortSignal,
): Promise<{ address: string } | { error: unknown }> {
  if (signal.aborted) return Promise.resolve({ error: signal.reason as unknown });
  return new Promise((resolve) => {
    const onAbort = (): void => resolve({ error: signal.reason as unknown });
    signal.addEventListener('abort', onAbort, { once: true });
    lookup(host)
      .then(
        ({ address }) => resolve({ address }),
        (error: unknown) => resolve({ error }),
      )
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
