import type {
  CheckDetails,
  CheckResult,
  CheckStatus,
  ErrorKind,
  PhaseTimings,
} from '../domain/check-result.ts';

/** Builds an `up` result. */
export function upResult(
  latencyMs: number,
  message: string,
  timings: PhaseTimings = {},
  details: CheckDetails = {},
): CheckResult {
  return answered('up', latencyMs, message, timings, details);
}

/** Builds a `degraded` result: the target answered but slower or closer to trouble than allowed. */
export function degradedResult(
  latencyMs: number,
  message: string,
  timings: PhaseTimings = {},
  details: CheckDetails = {},
): CheckResult {
  return answered('degraded', latencyMs, message, timings, details);
}

/**
 * Builds a failed result with its error kind: `down`, except that kind `node` (the fault is
 * this node's, see `nodeFaultOf`) gives an `error` result, so no caller reports a node's fault
 * as the target's.
 */
export function downResult(
  errorKind: ErrorKind,
  latencyMs: number,
  message: string,
  timings: PhaseTimings = {},
  details: CheckDetails = {},
): CheckResult {
  const status = errorKind === 'node' ? 'error' : 'down';
  return { ...answered(status, latencyMs, message, timings, details), errorKind };
}

/** Builds an `error` result: the check could not run because of this node. */
export function nodeErrorResult(
  latencyMs: number,
  message: string,
  details: CheckDetails = {},
): CheckResult {
  return downResult('node', latencyMs, message, {}, details);
}

/** Errno codes that say this node ran out of something, whatever the check was doing. */
const EXHAUSTED: Readonly<Record<string, string>> = {
  EMFILE: 'too many open files on this node (EMFILE)',
  ENFILE: "this node's open file table is full (ENFILE)",
  ENOMEM: 'this node is out of memory (ENOMEM)',
  ENOBUFS: 'this node has no network buffer space left (ENOBUFS)',
};

/**
 * The one errno → node-fault map: a short sentence saying what on this node is wrong, or null
 * when the error may be the target's. `program` is set when the error came from starting a
 * program, where a missing file or a denied permission is this node's (not the target's).
 */
export function nodeFaultOf(error: unknown, program?: string): string | null {
  const code = errorCode(error);
  if (code === undefined) return null;
  if (program !== undefined) {
    if (code === 'ENOENT') return `${program} is not installed on this node`;
    if (code === 'EACCES' || code === 'EPERM') return `no permission to run ${program}`;
  }
  const exhausted = EXHAUSTED[code];
  if (exhausted !== undefined) return exhausted;
  // Whatever stops a program from starting (EAGAIN: process limit…) is this node's.
  return program !== undefined ? `could not start ${program} (${code})` : null;
}

function answered(
  status: CheckStatus,
  latencyMs: number,
  message: string,
  timings: PhaseTimings,
  details: CheckDetails,
): CheckResult {
  return { status, latencyMs: round(latencyMs), timings: roundTimings(timings), message, details };
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'EPROTO',
]);

/**
 * Maps a Node network error (errno code) to our error kind and a short human message; an errno
 * that says this node ran out of something is kind `node`.
 */
export function classifyNetworkError(error: unknown): { kind: ErrorKind; message: string } {
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  const nodeFault = nodeFaultOf(error);
  if (nodeFault !== null) return { kind: 'node', message: nodeFault };
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: 'connection refused' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'ENODATA')
    return { kind: 'dns', message: `DNS lookup failed (${code})` };
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR' || code === 'TIMEOUT')
    return { kind: 'timeout', message: 'timed out' };
  if (
    code !== undefined &&
    (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))
  )
    return { kind: 'tls', message: `TLS error: ${code}` };
  if (error instanceof Error && error.name === 'AbortError')
    return { kind: 'timeout', message: 'timed out' };
  return { kind: 'network', message: code ? `network error (${code})` : `network error: ${text}` };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Field by field rather than over `Object.entries`: this runs for every result (a hot path). */
function roundTimings(timings: PhaseTimings): PhaseTimings {
  const out: PhaseTimings = {};
  if (timings.dnsMs !== undefined) out.dnsMs = round(timings.dnsMs);
  if (timings.connectMs !== undefined) out.connectMs = round(timings.connectMs);
  if (timings.tlsMs !== undefined) out.tlsMs = round(timings.tlsMs);
  if (timings.firstByteMs !== undefined) out.firstByteMs = round(timings.firstByteMs);
  return out;
}
