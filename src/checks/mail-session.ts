import { isIP, connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { PhaseTimings } from '../domain/check-result.ts';
import { resolveHost } from './host-lookup.ts';
import { trustedContext } from './tls/ca-option.ts';
import { daysRemaining } from './tls/expiry.ts';

// The line-protocol transport shared by the smtp, imap and pop3 checks: one connection that
// reads CRLF lines within the check's deadline and can be upgraded to TLS in place (STARTTLS).

/** Longest line accepted: RFC 5321 allows 512 octets for a reply line; IMAP lines run longer. */
const MAX_LINE_LENGTH = 16 * 1024;

/** How TLS is verified: the host's certificate against the system CAs plus `ca`, unless `insecure`. */
export interface MailTlsSettings {
  ca: string | undefined;
  insecure: boolean;
}

/** What the TLS handshake showed, for a check's details. */
export interface MailTlsFacts {
  protocol: string | null;
  certExpiresAt: string | null;
  certDaysLeft: number | null;
}

/** Why a session operation failed: the server hung up, the deadline passed, a socket error… */
export type MailSessionFailure = 'closed' | 'aborted' | 'socket' | 'line-too-long';

/** Thrown by a session operation; the probe turns it into its end state. */
export class MailSessionError extends Error {
  readonly failure: MailSessionFailure;
  readonly socketError: unknown;
  /** True when the host name did not resolve (or the deadline passed while resolving). */
  readonly duringLookup: boolean;
  constructor(failure: MailSessionFailure, socketError?: unknown, duringLookup = false) {
    super(`mail session ${failure}`);
    this.name = 'MailSessionError';
    this.failure = failure;
    this.socketError = socketError;
    this.duringLookup = duringLookup;
  }
}

export interface MailSessionRequest {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, imaps, pop3s) instead of plain text. */
  implicitTls: boolean;
  tls: MailTlsSettings;
  /** Aborting destroys the connection and rejects whatever is pending (deadline or shutdown). */
  signal: AbortSignal;
}

/** One open connection: read lines, send lines, upgrade to TLS, close. */
export interface MailSession {
  readonly address: string;
  /** dnsMs (names only), connectMs, tlsMs (implicit or STARTTLS), firstByteMs (the banner). */
  readonly timings: PhaseTimings;
  /** Set once a TLS handshake has completed. */
  tlsFacts(): MailTlsFacts | undefined;
  /** The next line without its CRLF; rejects with a `MailSessionError`. */
  readLine(): Promise<string>;
  /** Sends one command line (CRLF added). */
  send(line: string): void;
  /** Upgrades the connection to TLS (after the server agreed to STARTTLS/STLS). */
  startTls(): Promise<MailTlsFacts>;
  /** Destroys the connection; safe to call more than once. */
  close(): void;
}

/** Resolves (timed) and connects (timed, with TLS for implicit TLS), or throws a session error. */
export async function openMailSession(
  request: MailSessionRequest,
  timings: PhaseTimings,
): Promise<MailSession> {
  const resolved = await resolveHost(request.host, request.signal);
  Object.assign(timings, resolved.timings);
  if (!('address' in resolved))
    throw new MailSessionError(resolved.aborted ? 'aborted' : 'socket', resolved.error, true);
  const started = performance.now();
  const plain = netConnect({ host: resolved.address, port: request.port });
  const session = new LineSession(plain, resolved.address, request, timings);
  await session.waitFor(plain, 'connect');
  timings.connectMs = performance.now() - started;
  if (request.implicitTls) await session.startTls();
  session.markReady();
  return session;
}

class LineSession implements MailSession {
  readonly address: string;
  readonly timings: PhaseTimings;
  private readonly request: MailSessionRequest;
  private readonly plain: Socket;
  private socket: Socket | TLSSocket;
  private buffer = '';
  private failure: MailSessionError | undefined;
  private waiter: (() => void) | undefined;
  private facts: MailTlsFacts | undefined;
  private readyAt: number | undefined;
  private readonly onData = (chunk: Buffer): void => {
    if (this.readyAt !== undefined) this.timings.firstByteMs ??= performance.now() - this.readyAt;
    this.buffer += chunk.toString('utf8');
    if (!this.buffer.includes('\n') && this.buffer.length > MAX_LINE_LENGTH)
      this.fail(new MailSessionError('line-too-long'));
    this.wake();
  };
  private readonly onEnd = (): void => this.fail(new MailSessionError('closed'));
  private readonly onError = (error: Error): void =>
    this.fail(new MailSessionError('socket', error));
  private readonly onAbort = (): void => this.fail(new MailSessionError('aborted'));

  constructor(plain: Socket, address: string, request: MailSessionRequest, timings: PhaseTimings) {
    this.plain = plain;
    this.socket = plain;
    this.address = address;
    this.request = request;
    this.timings = timings;
    this.listen(plain);
    if (request.signal.aborted) this.onAbort();
    else request.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  markReady(): void {
    this.readyAt = performance.now();
  }

  tlsFacts(): MailTlsFacts | undefined {
    return this.facts;
  }

  async readLine(): Promise<string> {
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (newline !== -1) {
        const line = this.buffer.slice(0, newline).replace(/\r$/, '');
        this.buffer = this.buffer.slice(newline + 1);
        return line;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  send(line: string): void {
    if (!this.failure) this.socket.write(`${line}\r\n`);
  }

  async startTls(): Promise<MailTlsFacts> {
    const { host, tls } = this.request;
    const secureContext = trustedContext(tls.ca);
    // Anything the server sent after agreeing to STARTTLS and before the handshake could be
    // injected by a man in the middle (RFC 3207 §5): it is dropped, never read as a reply.
    this.buffer = '';
    this.unlisten(this.socket);
    const started = performance.now();
    const secure = tlsConnect({
      socket: this.plain,
      host,
      rejectUnauthorized: !tls.insecure,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(secureContext ? { secureContext } : {}),
    });
    this.socket = secure;
    this.listen(secure);
    await this.waitFor(secure, 'secureConnect');
    this.timings.tlsMs = performance.now() - started;
    const cert = secure.getPeerX509Certificate();
    const validTo = cert ? new Date(cert.validTo) : undefined;
    this.facts = {
      protocol: secure.getProtocol(),
      certExpiresAt: validTo?.toISOString() ?? null,
      certDaysLeft: validTo ? daysRemaining(validTo, Date.now()) : null,
    };
    return this.facts;
  }

  /** Resolves on `event`, or rejects with the session's failure (error, close, abort). */
  waitFor(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        socket.off(event, onEvent);
        this.waiter = undefined;
      };
      const onEvent = (): void => {
        done();
        resolve();
      };
      socket.once(event, onEvent);
      // Woken by data as well as by a failure: only a failure ends the wait early.
      const onWake = (): void => {
        if (!this.failure) {
          this.waiter = onWake;
          return;
        }
        done();
        reject(this.failure);
      };
      onWake();
    });
  }

  close(): void {
    this.request.signal.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    this.plain.destroy();
    this.failure ??= new MailSessionError('closed');
  }

  private listen(socket: Socket): void {
    socket.on('data', this.onData);
    socket.once('end', this.onEnd);
    socket.on('error', this.onError);
  }

  private unlisten(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    // A late error on the replaced socket must not go unhandled; the TLS socket reports it.
    socket.on('error', () => undefined);
  }

  private fail(error: MailSessionError): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    this.plain.destroy();
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
