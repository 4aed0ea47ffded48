import { request as httpRequest } from 'node:http';
import type {
  ClientRequestArgs,
  IncomingMessage,
  OutgoingHttpHeaders,
  RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createConnection, isIP } from 'node:net';
import type { NetConnectOpts, Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { oneLine } from '../tls/names.ts';

/** Where a request was when it failed; used to say what a timeout was waiting for. */
export type HttpPhase = 'dns' | 'connect' | 'tls' | 'response' | 'body';

/** One request on one fresh connection (redirects are separate hops). */
export interface HopRequest {
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string | undefined;
  /** Trust store for https; undefined means Node's default. */
  secureContext: SecureContext | undefined;
  /** Skip TLS verification entirely (the certificate is still recorded). */
  insecure: boolean;
}

/** What the server's certificate and handshake looked like. */
export interface PeerTls {
  protocol: string | null;
  validFrom: Date;
  validTo: Date;
  subject: string;
  issuer: string;
}

/** A response with headers (body unread), or the failure and the phase it happened in. */
export type HopOutcome =
  | { ok: true; response: IncomingMessage; timings: PhaseTimings; tls: PeerTls | undefined }
  | { ok: false; error: unknown; phase: HttpPhase; timings: PhaseTimings };

const USER_AGENT = 'Crosscheck/0.1 (uptime monitor)';

interface Marks {
  start: number;
  lookup?: number;
  connect?: number;
  secure?: number;
  firstByte?: number;
}

/**
 * Sends one request on a fresh connection (`agent: false`, as a real monitor must) and
 * resolves when the response headers arrive. Never rejects: failures are returned.
 */
export function sendHop(url: URL, hop: HopRequest, signal: AbortSignal): Promise<HopOutcome> {
  const isHttps = url.protocol === 'https:';
  const expectsLookup = isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0;
  const marks: Marks = { start: performance.now() };
  let peer: PeerTls | undefined;
  return new Promise((resolve) => {
    // The signal is wired by hand below rather than passed as `signal`: Node's option wraps
    // the request stream in addAbortSignal, a measurable cost per check in daemon profiles.
    const req = isHttps
      ? httpsRequest(url, {
          method: hop.method,
          headers: requestHeaders(hop),
          agent: false,
          rejectUnauthorized: !hop.insecure,
          ...(hop.secureContext ? { secureContext: hop.secureContext } : {}),
        })
      : httpRequest(url, plainRequestOptions(hop));
    req.once('socket', (socket: Socket) => {
      // Only the events this hop can see: an IP literal has no lookup, plain http no handshake.
      if (expectsLookup) socket.once('lookup', () => (marks.lookup = performance.now()));
      socket.once('connect', () => (marks.connect = performance.now()));
      if (isHttps)
        socket.once('secureConnect', () => {
          marks.secure = performance.now();
          peer = readPeerTls(socket as TLSSocket);
        });
    });
    req.once('response', (response) => {
      marks.firstByte = performance.now();
      resolve({ ok: true, response, timings: phaseTimings(marks), tls: peer });
    });
    // Stays attached: errors after the response (while the body streams) must not go unhandled.
    req.on('error', (error) => {
      resolve({
        ok: false,
        error,
        phase: failedPhase(marks, expectsLookup, isHttps),
        timings: phaseTimings(marks),
      });
    });
    const onAbort = (): void => void req.destroy(abortError(signal.reason));
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    req.end(hop.body);
  });
}

/**
 * Plain http without an Agent: `agent: false` builds a throwaway Agent per request (its maps,
 * name, socket listeners, free/close bookkeeping), which measured about 40 % of a bare
 * loopback GET's CPU. `createConnection` opens the same fresh socket directly, and with no
 * Agent Node sends `Connection: close` and closes the socket after the response, as before;
 * the request bytes are the same. `defaultPort` keeps the Host header without `:80`.
 */
function plainRequestOptions(hop: HopRequest): RequestOptions {
  return {
    method: hop.method,
    headers: requestHeaders(hop),
    defaultPort: 80,
    createConnection: freshConnection,
  };
}

function freshConnection(options: ClientRequestArgs): Socket {
  return createConnection(options as NetConnectOpts);
}

/** The error Node's own `signal` option destroys a request with. */
function abortError(reason: unknown): Error {
  return Object.assign(new Error('The operation was aborted', { cause: reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

/**
 * Request headers per (headers object, body): a monitor's options live as long as its
 * definition, so its headers are built once instead of on every check (a daemon hot path).
 * Node copies them into the request and never changes the object it is given.
 */
const builtHeaders = new WeakMap<
  Readonly<Record<string, string>>,
  { body: string | undefined; headers: OutgoingHttpHeaders }
>();

function requestHeaders(hop: HopRequest): OutgoingHttpHeaders {
  const cached = builtHeaders.get(hop.headers);
  if (cached !== undefined && cached.body === hop.body) return cached.headers;
  const headers = buildRequestHeaders(hop);
  builtHeaders.set(hop.headers, { body: hop.body, headers });
  return headers;
}

function buildRequestHeaders(hop: HopRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...hop.headers };
  const names = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!names.has('user-agent')) headers['User-Agent'] = USER_AGENT;
  if (hop.body !== undefined) headers['Content-Length'] = Buffer.byteLength(hop.body);
  return headers;
}

function readPeerTls(socket: TLSSocket): PeerTls | undefined {
  const cert = socket.getPeerX509Certificate();
  if (!cert) return undefined;
  return {
    protocol: socket.getProtocol(),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
  };
}

/** Each phase's own duration: DNS, TCP connect, TLS handshake, then the wait for the first byte. */
function phaseTimings(marks: Marks): PhaseTimings {
  const timings: PhaseTimings = {};
  if (marks.lookup !== undefined) timings.dnsMs = marks.lookup - marks.start;
  if (marks.connect !== undefined)
    timings.connectMs = marks.connect - (marks.lookup ?? marks.start);
  if (marks.secure !== undefined && marks.connect !== undefined)
    timings.tlsMs = marks.secure - marks.connect;
  const ready = marks.secure ?? marks.connect;
  if (marks.firstByte !== undefined && ready !== undefined)
    timings.firstByteMs = marks.firstByte - ready;
  return timings;
}

function failedPhase(marks: Marks, expectsLookup: boolean, isHttps: boolean): HttpPhase {
  if (marks.connect === undefined)
    return expectsLookup && marks.lookup === undefined ? 'dns' : 'connect';
  if (isHttps && marks.secure === undefined) return 'tls';
  return marks.firstByte === undefined ? 'response' : 'body';
}
