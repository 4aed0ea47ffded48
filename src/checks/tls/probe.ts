import { isIP } from 'node:net';
import { checkServerIdentity, connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { CheckResult, PhaseTimings } from '../../domain/check-result.ts';
import { formatDuration } from '../../lib/duration.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import type { CheckContext } from '../types.ts';
import { trustedContext } from './ca-option.ts';
import type { CertificateFacts } from './evaluate.ts';

/** The handshake's facts and timings, or the `down` result explaining why there are none. */
export type TlsProbeOutcome =
  | { ok: true; facts: CertificateFacts; latencyMs: number; timings: PhaseTimings }
  | { ok: false; result: CheckResult };

type Phase = 'dns' | 'connect' | 'tls';

const PHASE_TEXT: Record<Phase, string> = {
  dns: 'during DNS lookup',
  connect: 'while connecting',
  tls: 'during the TLS handshake',
};

interface Marks {
  start: number;
  lookup?: number;
  connect?: number;
  secure?: number;
}

/**
 * Completes a TLS handshake with `host:port` without rejecting bad certificates, so they
 * can still be read and reported. Ends by `ctx.timeoutMs` and honours `ctx.signal`.
 */
export function probeTls(
  host: string,
  port: number,
  caPem: string | undefined,
  ctx: CheckContext,
): Promise<TlsProbeOutcome> {
  const marks: Marks = { start: performance.now() };
  const expectsLookup = isIP(host) === 0;
  const secureContext = trustedContext(caPem);
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(expectsLookup ? { servername: host } : {}),
      ...(secureContext ? { secureContext } : {}),
    });
    const finish = (outcome: TlsProbeOutcome): void => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const fail = (result: CheckResult): void => finish({ ok: false, result });
    const elapsed = (): number => performance.now() - marks.start;
    const phase = (): Phase =>
      marks.connect !== undefined
        ? 'tls'
        : expectsLookup && marks.lookup === undefined
          ? 'dns'
          : 'connect';
    const onTimeout = (): void =>
      fail(
        downResult(
          'timeout',
          elapsed(),
          `timed out after ${formatDuration(ctx.timeoutMs)} ${PHASE_TEXT[phase()]}`,
          timings(marks),
        ),
      );
    const onAbort = (): void =>
      fail(
        downResult(
          'timeout',
          elapsed(),
          `aborted after ${formatDuration(elapsed())} ${PHASE_TEXT[phase()]}`,
          timings(marks),
        ),
      );
    const timer = setTimeout(onTimeout, ctx.timeoutMs);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', () => (marks.lookup = performance.now()));
    socket.once('connect', () => (marks.connect = performance.now()));
    socket.on('error', (error) => {
      const { kind, message } = classifyNetworkError(error);
      const text =
        kind === 'network' || kind === 'tls' ? `${message} ${PHASE_TEXT[phase()]}` : message;
      fail(downResult(kind, elapsed(), text, timings(marks)));
    });
    socket.once('secureConnect', () => {
      marks.secure = performance.now();
      const facts = readFacts(socket, host);
      if (facts === undefined)
        fail(downResult('tls', elapsed(), 'server sent no certificate', timings(marks)));
      else finish({ ok: true, facts, latencyMs: elapsed(), timings: timings(marks) });
    });
  });
}

function readFacts(socket: TLSSocket, host: string): CertificateFacts | undefined {
  // Order matters: on Node 24, reading the X509Certificate first makes the later
  // getPeerCertificate() return an empty object, and checkServerIdentity then always fails.
  const legacyCert = socket.getPeerCertificate();
  const cert = socket.getPeerX509Certificate();
  if (!cert) return undefined;
  const authorizationError = socket.authorizationError as unknown as
    string | Error | null | undefined;
  return {
    authorizationError: authorizationError ? String(authorizationError) : undefined,
    host,
    hostnameMatches: checkServerIdentity(host, legacyCert) === undefined,
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    subject: cert.subject,
    issuer: cert.issuer,
    subjectAltNames: cert.subjectAltName ? cert.subjectAltName.split(', ') : [],
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    protocol: socket.getProtocol(),
  };
}

function timings(marks: Marks): PhaseTimings {
  const out: PhaseTimings = {};
  if (marks.lookup !== undefined) out.dnsMs = marks.lookup - marks.start;
  if (marks.connect !== undefined) out.connectMs = marks.connect - (marks.lookup ?? marks.start);
  if (marks.secure !== undefined && marks.connect !== undefined)
    out.tlsMs = marks.secure - marks.connect;
  return out;
}
