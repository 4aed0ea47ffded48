import type { CheckDetails, CheckResult, PhaseTimings } from '../../domain/check-result.ts';
import { formatDuration } from '../../lib/duration.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { describeTlsError } from '../tls/describe-error.ts';
import type { HttpPhase } from './hop.ts';

const PHASE_TEXT: Record<HttpPhase, string> = {
  dns: 'during DNS lookup',
  connect: 'while connecting',
  tls: 'during the TLS handshake',
  response: 'waiting for response headers',
  body: 'while reading the body',
};

/** How the check's deadline and the caller's signal stood when a request failed. */
export interface AbortState {
  /** Our own deadline (ctx.timeoutMs) passed. */
  deadlinePassed: boolean;
  /** The caller aborted (its own timeout or shutdown). */
  callerAborted: boolean;
  timeoutMs: number;
}

/** Turns a failed request into a `down` result whose message says what went wrong and where. */
export function requestFailure(
  error: unknown,
  phase: HttpPhase,
  abort: AbortState,
  latencyMs: number,
  timings: PhaseTimings,
  details: CheckDetails,
): CheckResult {
  const where = PHASE_TEXT[phase];
  if (abort.deadlinePassed)
    return downResult(
      'timeout',
      latencyMs,
      `timed out after ${formatDuration(abort.timeoutMs)} ${where}`,
      timings,
      details,
    );
  if (abort.callerAborted)
    return downResult(
      'timeout',
      latencyMs,
      `aborted after ${formatDuration(latencyMs)} ${where}`,
      timings,
      details,
    );
  const { kind, message } = classifyNetworkError(error);
  if (kind === 'tls')
    return downResult('tls', latencyMs, describeTlsError(error), timings, details);
  if (kind === 'network' || kind === 'timeout')
    return downResult(kind, latencyMs, `${message} ${where}`, timings, details);
  return downResult(kind, latencyMs, message, timings, details);
}
