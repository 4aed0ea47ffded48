import { connect } from 'node:net';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { resolveHost } from '../host-lookup.ts';
import type { PatternOutcome } from '../pattern-evaluator.ts';
import type { BannerMatcher } from './banner.ts';

/** What to do once connected. */
export interface TcpProbeRequest {
  host: string;
  port: number;
  /** Written right after the connection opens. */
  send: string | undefined;
  /** When set, the probe reads until the server's data matches it. */
  match: BannerMatcher | undefined;
  /** Aborting ends the probe wherever it is (timeout or shutdown). */
  signal: AbortSignal;
}

/**
 * How the probe ended. `connected` and `matched` are the successes; `pattern`: the expected
 * regex gave no answer (ran past its deadline, or its worker failed; see `patternOutcome`).
 */
export type TcpProbeEnd =
  'connected' | 'matched' | 'closed' | 'overflow' | 'aborted' | 'error' | 'pattern';

/** Why the pattern gave no answer, when the probe ended with `pattern`. */
export type PatternMiss = Extract<PatternOutcome<boolean>, { status: 'timed-out' | 'failed' }>;

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
  patternMiss?: PatternMiss;
}

/** Stop reading after this much data: a banner that has not matched by then will not. */
export const MAX_RECEIVED_BYTES = 64 * 1024;

/** Resolves the host (timed), connects (timed), optionally sends and waits for a banner. */
export async function probeTcp(request: TcpProbeRequest): Promise<TcpProbe> {
  const resolved = await resolveHost(request.host, request.signal);
  if ('address' in resolved) return exchange(resolved.address, request, resolved.timings);
  const { error, timings } = resolved;
  const end = resolved.aborted ? 'aborted' : 'error';
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

    let patternMiss: PatternMiss | undefined;
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
        ...(patternMiss === undefined ? {} : { patternMiss }),
      });
    };
    const onAbort = (): void => finish('aborted');

    // One match at a time (a regex may run in a worker); data arriving meanwhile is matched
    // next, with everything received so far. A close waits for the match in flight.
    let matching = false;
    let dataSinceMatch = false;
    let closedByPeer = false;
    const afterMiss = (): void => {
      if (dataSinceMatch) return tryMatch();
      if (closedByPeer) finish('closed');
      else if (receivedBytes >= MAX_RECEIVED_BYTES) finish('overflow');
    };
    const tryMatch = (): void => {
      const match = request.match;
      if (match === undefined || done) return;
      if (matching) {
        dataSinceMatch = true;
        return;
      }
      matching = true;
      dataSinceMatch = false;
      void match(Buffer.concat(chunks).toString('utf8')).then((outcome) => {
        matching = false;
        if (done) return;
        if (outcome.status === 'done') return outcome.value ? finish('matched') : afterMiss();
        // Cancelled: the probe's own signal aborted, and its handler ends the probe.
        if (outcome.status === 'cancelled') return;
        patternMiss = outcome;
        finish('pattern');
      });
    };

    socket.once('connect', () => {
      connectedAt = performance.now();
      timings.connectMs = connectedAt - started;
      phase = 'exchange';
      if (request.send !== undefined) {
        socket.write(request.send, () => {
          if (!request.match) finish('connected');
        });
      } else if (!request.match) finish('connected');
    });
    socket.on('data', (chunk: Buffer) => {
      timings.firstByteMs ??= performance.now() - connectedAt;
      chunks.push(chunk);
      receivedBytes += chunk.length;
      // Past the limit, read no more: the match in flight (or this one) decides.
      if (receivedBytes >= MAX_RECEIVED_BYTES) socket.pause();
      tryMatch();
    });
    socket.once('end', () => {
      if (matching) closedByPeer = true;
      else finish('closed');
    });
    socket.once('error', (error) => finish('error', error));
    if (request.signal.aborted) finish('aborted');
    else request.signal.addEventListener('abort', onAbort, { once: true });
  });
}
