import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';

/** What the test server knows and how it misbehaves, per query name. */
export interface DnsZone {
  /** Records served authoritatively; names are matched case-insensitively. */
  records: Answer[];
  /** Queries for these names are never answered. */
  silentNames?: string[];
  servfailNames?: string[];
  refusedNames?: string[];
  /** The first query for each of these names is ignored; later ones are answered. */
  dropFirstNames?: string[];
  /** UDP answers carry the TC bit and no records; TCP answers are complete. */
  truncateNames?: string[];
  /** A reply with the wrong id is sent just before the real one. */
  wrongIdFirstNames?: string[];
}

/** One query the server saw. */
export interface SeenQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

/** A running authoritative test server (127.0.0.1 unless told), on the same port for UDP and TCP. */
export interface TestDnsServer {
  host: string;
  port: number;
  /** `HOST:PORT`, ready for the dns check's `resolver` option. */
  address: string;
  queries(): readonly SeenQuery[];
  close(): Promise<void>;
}

const MAX_BIND_ATTEMPTS = 5;

/** Starts the test DNS server (UDP, plus TCP on the same port for truncation tests) on an IPv4 `host`. */
export async function startDnsServer(zone: DnsZone, host = '127.0.0.1'): Promise<TestDnsServer> {
  const seen: SeenQuery[] = [];
  const dropped = new Set<string>();
  const respond = (query: DecodedPacket, transport: 'udp' | 'tcp'): Packet[] => {
    const question = query.questions?.[0];
    if (!question) return [];
    const name = normalize(question.name);
    seen.push({ name, type: question.type, transport });
    if (inList(zone.silentNames, name)) return [];
    if (inList(zone.dropFirstNames, name) && !dropped.has(name)) {
      dropped.add(name);
      return [];
    }
    const reply = buildReply(zone, query, transport);
    if (transport === 'udp' && inList(zone.wrongIdFirstNames, name))
      return [{ ...reply, id: ((query.id ?? 0) + 1) % 65_536 }, reply];
    return [reply];
  };
  const sockets = new Set<Socket>();
  const { udp, tcp, port } = await bindBoth(respond, sockets, host);
  return {
    host,
    port,
    address: `${host}:${port}`,
    queries: () => seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

type Responder = (query: DecodedPacket, transport: 'udp' | 'tcp') => Packet[];

async function bindBoth(
  respond: Responder,
  sockets: Set<Socket>,
  host: string,
): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const tcp = createTcpServer(respond, sockets);
    const port = await new Promise<number>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, host, () => resolve((tcp.address() as AddressInfo).port));
    });
    const udp = createUdpServer(respond);
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, host, () => resolve());
      });
      return { udp, tcp, port };
    } catch (error) {
      udp.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (attempt >= MAX_BIND_ATTEMPTS) throw error;
    }
  }
}

function createUdpServer(respond: Responder): UdpSocket {
  const udp = createSocket('udp4');
  udp.on('message', (message, remote) => {
    const query = tryDecode(message);
    if (!query) return;
    for (const reply of respond(query, 'udp'))
      udp.send(dnsPacket.encode(reply), remote.port, remote.address);
  });
  return udp;
}

function createTcpServer(respond: Responder, sockets: Set<Socket>): Server {
  return createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const query = tryDecode(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        if (!query) continue;
        for (const reply of respond(query, 'tcp')) socket.write(dnsPacket.streamEncode(reply));
      }
    });
  });
}

function buildReply(zone: DnsZone, query: DecodedPacket, transport: 'udp' | 'tcp'): Packet {
  const question = query.questions?.[0];
  const base = {
    id: query.id ?? 0,
    type: 'response' as const,
    questions: query.questions ?? [],
  };
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED);
  if (!question) return { ...base, flags: flags | RCODE.FORMERR };
  const name = normalize(question.name);
  if (inList(zone.servfailNames, name)) return { ...base, flags: flags | RCODE.SERVFAIL };
  if (inList(zone.refusedNames, name)) return { ...base, flags: flags | RCODE.REFUSED };
  if (!zone.records.some((record) => normalize(record.name) === name))
    return { ...base, flags: flags | RCODE.NXDOMAIN };
  if (transport === 'udp' && inList(zone.truncateNames, name))
    return { ...base, flags: flags | dnsPacket.TRUNCATED_RESPONSE };
  return { ...base, flags, answers: lookup(zone.records, name, question.type) };
}

const RCODE = { FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
const MAX_CNAME_HOPS = 8;

/** Records of `type` for `name`, following CNAMEs inside the zone like an authoritative server. */
function lookup(records: Answer[], name: string, type: string): Answer[] {
  const out: Answer[] = [];
  let current = name;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    const here = records.filter((record) => normalize(record.name) === current);
    const exact = here.filter((record) => record.type === type);
    if (exact.length > 0 || type === 'CNAME') return [...out, ...exact];
    const alias = here.find((record) => record.type === 'CNAME');
    if (!alias || !('data' in alias) || typeof alias.data !== 'string') return out;
    out.push(alias);
    current = normalize(alias.data);
  }
  return out;
}

function tryDecode(message: Buffer): DecodedPacket | undefined {
  try {
    return dnsPacket.decode(message);
  } catch {
    return undefined;
  }
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function inList(list: string[] | undefined, name: string): boolean {
  return list?.some((entry) => normalize(entry) === name) ?? false;
}
