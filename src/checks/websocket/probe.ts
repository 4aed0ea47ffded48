import { connect as netConnect, isIP } from 'node:net';
import type { NetConnectOpts, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions, SecureContext } from 'node:tls';
import type { ClientRequestArgs, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import type { PhaseTimings } from '../../domain/check-result.ts';
import type { BannerMatcher } from '../tcp/banner.ts';
import type { PatternMiss } from '../tcp/probe.ts';

/** What to do once the upgrade succeeds. */
export interface WebsocketProbeRequest {
  url: URL;
  headers: Readonly<Record<string, string>>;
  subprotocol: string | undefined;
  /** Sent once the connection is open. */
  send: string | undefined;
  /** When set, the first message received must satisfy it. */
  match: BannerMatcher | undefined;
  insecure: boolean;
  /** Trust store for wss; undefined means Node's default. */
  secureContext: SecureContext | undefined;
  /** Aborting ends the probe at once (timeout or shutdown) and destroys the connection. */
  signal: AbortSignal;
}

/** Where the probe was; a timeout says what it was waiting for. */
export type WebsocketPhase = 'dns' | 'connect' | 'tls' | 'upgrade' | 'message';

/**
 * How the probe ended. `open`, `sent` and `matched` are the successes; `mismatch`: the first
 * message did not match; `closed`: the server closed before a message came; `refused`: the
 * server answered the upgrade with another HTTP status.
 */
export type WebsocketProbeEnd =
  'open' | 'sent' | 'matched' | 'mismatch' | 'closed' | 'refused' | 'aborted' | 'error' | 'pattern';

/** Everything the probe saw; the check turns it into a result. */
export interface WebsocketProbe {
  end: WebsocketProbeEnd;
  phase: WebsocketPhase;
  timings: PhaseTimings;
  /** From the start to the moment that decided the outcome (the closing handshake excluded). */
  elapsedMs: number;
  /** HTTP status of a refused upgrade. */
  status?: number;
  /** The subprotocol the server chose, if any. */
  protocol?: string;
  /** The first message, when one arrived. */
  message?: { text: string; bytes: number; binary: boolean };
  /** Close code and reason when the server closed first. */
  close?: { code: number; reason: string };
  error?: unknown;
  patternMiss?: PatternMiss;
}

/** Largest message the probe accepts; a bigger one fails the check instead of filling memory. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Longest wait for the server's half of a clean close before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;
const USER_AGENT = 'Crosscheck/0.1 (uptime monitor)';

interface Marks {
  start: number;
  lookup?: number;
  connect?: number;
  secure?: number;
  upgraded?: number;
  message?: number;
}

/**
 * Opens a WebSocket (timing DNS, connect, TLS and the upgrade response), optionally sends one
 * message and reads the first one back, then closes cleanly. Settles only once the connection
 * is closed, so a finished check holds no socket.
 */
export function probeWebsocket(request: WebsocketProbeRequest): Promise<WebsocketProbe> {
  const secure = request.url.protocol === 'wss:';
  const expectsLookup = isIP(request.url.hostname.replace(/^\[|\]$/g, '')) === 0;
  const marks: Marks = { start: performance.now() };
  return new Promise((resolve) => {
    const client = openWebsocket(request, secure, expectsLookup, marks);
    if (!(client instanceof WebSocket)) {
      // The request could not even be written (a header value Node refuses): no socket exists.
      const elapsedMs = performance.now() - marks.start;
      resolve({ end: 'error', phase: 'connect', timings: {}, elapsedMs, error: client.error });
      return;
    }
    const ws = client;
    let outcome: WebsocketProbe | undefined;
    // Open is later than the upgrade response: ws first checks the response's handshake headers.
    let opened = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    // A regex may run in a worker: a close arriving meanwhile waits for its verdict.
    let matchInFlight: Promise<void> | undefined;
    const settle = (): void => {
      if (settled || outcome === undefined) return;
      settled = true;
      clearTimeout(graceTimer);
      request.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const phase = (): WebsocketPhase => {
      if (opened) return 'message';
      if (marks.upgraded !== undefined) return 'upgrade';
      if (marks.connect === undefined)
        return expectsLookup && marks.lookup === undefined ? 'dns' : 'connect';
      return secure && marks.secure === undefined ? 'tls' : 'upgrade';
    };
    /** Records the outcome once, then closes: cleanly when open, at once otherwise. */
    const finish = (end: WebsocketProbeEnd, extra: Partial<WebsocketProbe> = {}): void => {
      if (outcome !== undefined) return;
      outcome = { end, phase: phase(), timings: timings(marks), elapsedMs: elapsed(), ...extra };
      if (ws.readyState === WebSocket.CLOSED) return settle();
      if (ws.readyState === WebSocket.OPEN && end !== 'aborted') {
        ws.close(1000);
        // The server's close frame normally ends it well before; this bounds a server that
        // never answers it.
        graceTimer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      } else ws.terminate();
    };
    const elapsed = (): number => performance.now() - marks.start;
    const onAbort = (): void => {
      if (outcome === undefined) finish('aborted');
      // Already closing cleanly: the deadline or shutdown cuts it short.
      else ws.terminate();
    };

    ws.on('upgrade', () => (marks.upgraded = performance.now()));
    ws.on('unexpected-response', (req, res: IncomingMessage) => {
      marks.upgraded = performance.now();
      finish('refused', { status: res.statusCode ?? 0 });
      res.destroy();
      req.destroy();
    });
    ws.on('open', () => {
      opened = true;
      const protocol = ws.protocol === '' ? {} : { protocol: ws.protocol };
      if (request.send === undefined) {
        if (request.match === undefined) finish('open', protocol);
        return;
      }
      ws.send(request.send, (error) => {
        if (error) finish('error', { error });
        else if (request.match === undefined) finish('sent', protocol);
      });
    });
    ws.once('message', (data: RawData, binary: boolean) => {
      marks.message = performance.now();
      const match = request.match;
      if (match === undefined || outcome !== undefined) return;
      const bytes = rawBytes(data);
      const message = { text: bytes.toString('utf8'), bytes: bytes.length, binary };
      const protocol = ws.protocol === '' ? {} : { protocol: ws.protocol };
      matchInFlight = match(message.text).then((result) => {
        if (result.status === 'done')
          finish(result.value ? 'matched' : 'mismatch', { message, ...protocol });
        // Cancelled: the probe's own signal aborted, and its handler ends the probe.
        else if (result.status !== 'cancelled') finish('pattern', { message, patternMiss: result });
      });
    });
    // Stays attached: ws emits errors after a refused upgrade is torn down, too.
    ws.on('error', (error) => finish('error', { error }));
    ws.on('close', (code: number, reason: Buffer) => {
      const closed = (): void => {
        finish('closed', { close: { code, reason: reason.toString('utf8') } });
        settle();
      };
      if (matchInFlight === undefined) closed();
      else void matchInFlight.then(closed);
    });
    if (request.signal.aborted) onAbort();
    else request.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The client, or what its constructor threw (it validates the request synchronously). */
function openWebsocket(
  request: WebsocketProbeRequest,
  secure: boolean,
  expectsLookup: boolean,
  marks: Marks,
): WebSocket | { error: unknown } {
  try {
    return new WebSocket(request.url, request.subprotocol ?? [], {
      headers: withUserAgent(request.headers),
      rejectUnauthorized: !request.insecure,
      ...(request.secureContext ? { secureContext: request.secureContext } : {}),
      perMessageDeflate: false,
      followRedirects: false,
      maxPayload: MAX_MESSAGE_BYTES,
      createConnection: (options: ClientRequestArgs) =>
        timedSocket(options, secure, expectsLookup, marks),
    });
  } catch (error) {
    return { error };
  }
}

/** The socket ws would open (same options), with its lookup, connect and handshake timed. */
function timedSocket(
  options: ClientRequestArgs,
  secure: boolean,
  expectsLookup: boolean,
  marks: Marks,
): Socket {
  const common = { ...(options as ConnectionOptions), path: undefined };
  const socket = secure
    ? tlsConnect({
        ...common,
        // As ws does: SNI names the host, never an IP address.
        servername: isIP(options.host ?? '') === 0 ? (options.host ?? '') : '',
      })
    : netConnect(common as unknown as NetConnectOpts);
  if (expectsLookup) socket.once('lookup', () => (marks.lookup = performance.now()));
  socket.once('connect', () => (marks.connect = performance.now()));
  if (secure) socket.once('secureConnect', () => (marks.secure = performance.now()));
  return socket;
}

function withUserAgent(headers: Readonly<Record<string, string>>): Record<string, string> {
  const named = Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent');
  return named ? { ...headers } : { 'User-Agent': USER_AGENT, ...headers };
}

function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Each phase's own duration: DNS, TCP connect, TLS handshake, then the wait for the upgrade. */
function timings(marks: Marks): PhaseTimings {
  const out: PhaseTimings = {};
  if (marks.lookup !== undefined) out.dnsMs = marks.lookup - marks.start;
  if (marks.connect !== undefined) out.connectMs = marks.connect - (marks.lookup ?? marks.start);
  if (marks.secure !== undefined && marks.connect !== undefined)
    out.tlsMs = marks.secure - marks.connect;
  const ready = marks.secure ?? marks.connect;
  if (marks.upgraded !== undefined && ready !== undefined) out.firstByteMs = marks.upgraded - ready;
  return out;
}
