import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet, Question } from 'dns-packet';
import type { ResolverAddress } from './resolver-address.ts';

/** A response matched to our query, and how it came. */
export interface DnsExchange {
  response: DecodedPacket;
  transport: 'udp' | 'tcp';
}

/**
 * Asks over UDP (retransmitting once after `retransmitAfterMs`) and, when the answer is
 * truncated, asks again over TCP. Rejects on network errors and when `signal` aborts.
 */
export async function exchangeQuery(
  resolver: ResolverAddress,
  query: Packet,
  signal: AbortSignal,
  retransmitAfterMs: number,
): Promise<DnsExchange> {
  const udpResponse = await queryUdp(resolver, query, signal, retransmitAfterMs);
  if (!udpResponse.flag_tc) return { response: udpResponse, transport: 'udp' };
  return { response: await queryTcp(resolver, query, signal), transport: 'tcp' };
}

/** True when `response` answers `query`: same id, a response, the same question. */
export function answersQuery(query: Packet, response: DecodedPacket): boolean {
  if (response.id !== query.id || !response.flag_qr) return false;
  const asked = query.questions?.[0];
  const echoed = response.questions?.[0];
  // Some servers omit the question in error responses; the id then has to do.
  if (!asked || !echoed) return response.questions?.length === 0;
  return sameQuestion(asked, echoed);
}

function sameQuestion(a: Question, b: Question): boolean {
  return a.type === b.type && a.name.toLowerCase() === b.name.toLowerCase();
}

function queryUdp(
  resolver: ResolverAddress,
  query: Packet,
  signal: AbortSignal,
  retransmitAfterMs: number,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(resolver.host) === 6 ? 'udp6' : 'udp4');
    const message = dnsPacket.encode(query);
    let retransmit: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(retransmit);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('message');
      try {
        socket.close();
      } catch {
        // Already closed after an error: nothing left to release.
      }
      finish();
    };
    const onAbort = (): void => settle(() => reject(abortError(signal)));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => settle(() => reject(error)));
    socket.on('message', (packet) => {
      const response = decodeOrUndefined(packet);
      if (response && answersQuery(query, response)) settle(() => resolve(response));
    });
    // Connecting makes the kernel drop datagrams from anyone but the resolver and turns an
    // ICMP port-unreachable into ECONNREFUSED instead of a silent wait.
    socket.connect(resolver.port, resolver.host, () => {
      if (settled) return;
      socket.send(message);
      retransmit = setTimeout(() => {
        if (!settled) socket.send(message);
      }, retransmitAfterMs);
    });
  });
}

function queryTcp(
  resolver: ResolverAddress,
  query: Packet,
  signal: AbortSignal,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: resolver.host, port: resolver.port });
    let buffered = Buffer.alloc(0);
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      finish();
    };
    const onAbort = (): void => settle(() => reject(abortError(signal)));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => socket.write(dnsPacket.streamEncode(query)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // Each TCP message is prefixed by its 16-bit length; skip any that are not our answer.
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const response = decodeOrUndefined(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        if (response && answersQuery(query, response)) return settle(() => resolve(response));
      }
    });
    socket.once('end', () =>
      settle(() => reject(new Error('resolver closed the TCP connection without an answer'))),
    );
    socket.once('error', (error) => settle(() => reject(error)));
  });
}

function decodeOrUndefined(packet: Buffer): DecodedPacket | undefined {
  try {
    return dnsPacket.decode(packet);
  } catch {
    // A malformed datagram is not our answer; keep waiting for one that is.
    return undefined;
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
