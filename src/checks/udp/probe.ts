import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { PhaseTimings } from '../../domain/check-result.ts';
import type { BannerMatcher } from '../tcp/banner.ts';
import type { PatternMiss } from '../tcp/probe.ts';
import { resolveHost } from '../host-lookup.ts';

/** One datagram out, replies in. */
export interface UdpProbeRequest {
  host: string;
  port: number;
  payload: Buffer;
  /** When set, replies are read until one matches it; otherwise the first reply ends the probe. */
  match: BannerMatcher | undefined;
  /** Aborting ends the probe wherever it is (timeout or shutdown) and closes the socket. */
  signal: AbortSignal;
}

/**
 * How the probe ended. `replied`: a reply arrived (and matched, when a pattern was given);
 * `aborted`: the signal fired first (timeout or shutdown); `pattern`: the pattern gave no answer.
 */
export type UdpProbeEnd = 'replied' | 'aborted' | 'error' | 'pattern';

/** Everything the probe saw; the check turns it into a result. */
export interface UdpProbe {
  end: UdpProbeEnd;
  phase: 'dns' | 'exchange';
  /** dnsMs (names only) and firstByteMs: the wait from sending to the (matching) reply. */
  timings: PhaseTimings;
  address: string | undefined;
  /** Send → the reply that ended the probe, when one did. */
  roundTripMs: number | undefined;
  /** The last reply received (the matching one when the probe succeeded). */
  reply: Buffer | undefined;
  replies: number;
  error?: unknown;
  patternMiss?: PatternMiss;
}

/** Resolves the host (timed), sends the payload on a connected socket and waits for a reply. */
export async function probeUdp(request: UdpProbeRequest): Promise<UdpProbe> {
  const resolved = await resolveHost(request.host, request.signal);
  if ('address' in resolved) return exchange(resolved.address, request, resolved.timings);
  const { timings } = resolved;
  return {
    end: resolved.aborted ? 'aborted' : 'error',
    phase: 'dns',
    timings,
    address: undefined,
    roundTripMs: undefined,
    reply: undefined,
    replies: 0,
    error: resolved.error,
  };
}

/**
 * A connected socket, so the kernel drops datagrams from other senders and reports an ICMP
 * port unreachable as ECONNREFUSED. Settles only after the socket has closed, so a finished
 * check holds no handle.
 */
function exchange(
  address: string,
  request: UdpProbeRequest,
  timings: PhaseTimings,
): Promise<UdpProbe> {
  return new Promise((resolve) => {
    const socket: Socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    let done = false;
    let sentAt: number | undefined;
    let reply: Buffer | undefined;
    let replies = 0;
    let patternMiss: PatternMiss | undefined;
    const finish = (end: UdpProbeEnd, error?: unknown): void => {
      if (done) return;
      done = true;
      request.signal.removeEventListener('abort', onAbort);
      const roundTripMs =
        end === 'replied' && sentAt !== undefined ? timings.firstByteMs : undefined;
      const probe: UdpProbe = {
        end,
        phase: 'exchange',
        timings,
        address,
        roundTripMs,
        reply,
        replies,
        ...(error === undefined ? {} : { error }),
        ...(patternMiss === undefined ? {} : { patternMiss }),
      };
      socket.close(() => resolve(probe));
    };
    const onAbort = (): void => finish('aborted');

    // Replies are matched one at a time (a regex may run in a worker); each datagram is a
    // whole message, so each is judged on its own.
    const queue: Buffer[] = [];
    let matching = false;
    const matchNext = (): void => {
      const match = request.match;
      if (match === undefined || matching || done) return;
      const next = queue.shift();
      if (next === undefined) return;
      matching = true;
      void match(next.toString('utf8')).then((outcome) => {
        matching = false;
        if (done) return;
        if (outcome.status === 'done') {
          if (!outcome.value) return matchNext();
          timings.firstByteMs = performance.now() - (sentAt ?? 0);
          reply = next;
          return finish('replied');
        }
        // Cancelled: the probe's own signal aborted, and its handler ends the probe.
        if (outcome.status === 'cancelled') return;
        patternMiss = outcome;
        finish('pattern');
      });
    };

    socket.on('message', (message: Buffer) => {
      if (done) return;
      replies += 1;
      reply = message;
      if (request.match === undefined) {
        timings.firstByteMs = performance.now() - (sentAt ?? 0);
        return finish('replied');
      }
      queue.push(message);
      matchNext();
    });
    socket.on('error', (error) => finish('error', error));
    socket.connect(request.port, address, () => {
      if (done) return;
      sentAt = performance.now();
      socket.send(request.payload, (error) => {
        if (error) finish('error', error);
      });
    });
    if (request.signal.aborted) finish('aborted');
    else request.signal.addEventListener('abort', onAbort, { once: true });
  });
}
