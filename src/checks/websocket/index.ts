import type { CheckDetails, CheckResult } from '../../domain/check-result.ts';
import { formatDuration } from '../../lib/duration.ts';
import { answeredResult } from '../degraded-after.ts';
import { withDeadline } from '../deadline.ts';
import { HTTP_SECRET_OPTIONS, redactHttpOptions } from '../http/redact.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import type { BannerPattern } from '../tcp/banner.ts';
import { bannerMatcher, describePattern, parseBannerPattern, printable } from '../tcp/banner.ts';
import { trustedContext } from '../tls/ca-option.ts';
import { describeTlsError } from '../tls/describe-error.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { WebsocketOptions } from './options.ts';
import { websocketFlags, websocketOptionsSchema } from './options.ts';
import type { WebsocketPhase, WebsocketProbe } from './probe.ts';
import { probeWebsocket } from './probe.ts';
import { parseWebsocketTarget, websocketTargetSchema } from './target.ts';

/** The `websocket` check: upgrade to a WebSocket, optionally exchange a message, close cleanly. */
export const websocketCheck: CheckDefinition<WebsocketOptions> = {
  type: 'websocket',
  description:
    'WebSocket upgrade (ws:// or wss://), optionally sending a message and expecting a reply',
  targetSchema: websocketTargetSchema,
  optionsSchema: websocketOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: websocketFlags,
  // The upgrade request's headers are masked exactly as the HTTP family's are.
  secretOptions: HTTP_SECRET_OPTIONS,
  redact: redactHttpOptions,
  run: runWebsocketCheck,
};

const PHASE_TEXT: Record<WebsocketPhase, string> = {
  dns: 'during DNS lookup',
  connect: 'while connecting',
  tls: 'during the TLS handshake',
  upgrade: 'waiting for the upgrade response',
  message: 'waiting for a message',
};

async function runWebsocketCheck(
  target: string,
  options: WebsocketOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const url = parseWebsocketTarget(target);
  if (typeof url === 'string') return downResult('network', 0, `invalid target: ${url}`);
  const pattern = options.expect === undefined ? undefined : parseBannerPattern(options.expect);
  if (pattern && 'error' in pattern)
    return downResult('network', 0, `invalid expect: ${pattern.error}`);
  const probe = await withDeadline(ctx, (signal) =>
    probeWebsocket({
      url,
      headers: options.headers,
      subprotocol: options.subprotocol,
      send: options.send,
      match: pattern && bannerMatcher(pattern, ctx.patterns, signal),
      insecure: options.insecure,
      secureContext: trustedContext(options.ca),
      signal,
    }),
  );
  return describeProbe(probe, {
    pattern,
    timeoutMs: ctx.timeoutMs,
    // The runner also aborts ctx.signal at the deadline; only an abort well before it is a cancel.
    cancelled: ctx.signal.aborted && probe.elapsedMs < ctx.timeoutMs * 0.9,
    degradedThresholdMs: options.degradedThresholdMs,
  });
}

interface ProbeContext {
  pattern: BannerPattern | undefined;
  timeoutMs: number;
  cancelled: boolean;
  degradedThresholdMs: number | undefined;
}

function detailsOf(probe: WebsocketProbe): CheckDetails {
  return {
    ...(probe.status === undefined ? {} : { httpStatus: probe.status }),
    ...(probe.protocol === undefined ? {} : { subprotocol: probe.protocol }),
    ...(probe.message === undefined
      ? {}
      : {
          received: printable(probe.message.text),
          receivedBytes: probe.message.bytes,
          binary: probe.message.binary,
        }),
    ...(probe.close === undefined ? {} : { closeCode: probe.close.code }),
  };
}

/** Turns what the probe saw into the one result shape. */
function describeProbe(probe: WebsocketProbe, context: ProbeContext): CheckResult {
  const { elapsedMs: latencyMs, timings } = probe;
  const details = detailsOf(probe);
  const down = (kind: Parameters<typeof downResult>[0], message: string): CheckResult =>
    downResult(kind, latencyMs, message, timings, details);
  switch (probe.end) {
    case 'open':
    case 'sent':
    case 'matched': {
      const what = { open: 'connected', sent: 'connected, message sent', matched: 'reply matched' };
      const message = `${what[probe.end]} in ${Math.round(latencyMs)} ms`;
      const threshold = context.degradedThresholdMs;
      return answeredResult(latencyMs, message, threshold, timings, details);
    }
    case 'mismatch': {
      const got = printable(probe.message?.text ?? '');
      const wanted = context.pattern ? describePattern(context.pattern) : 'the expected text';
      return down('assertion', `unexpected reply: expected ${wanted}, got "${got}"`);
    }
    case 'refused':
      return down('status', `upgrade refused: HTTP ${probe.status ?? 0}`);
    case 'closed': {
      const code = probe.close?.code ?? 1006;
      const reason = probe.close?.reason ? ` "${printable(probe.close.reason)}"` : '';
      return down(
        'assertion',
        `connection closed by the server (code ${code}${reason}) before a message arrived`,
      );
    }
    case 'aborted':
      if (context.cancelled)
        return down(
          'timeout',
          `check cancelled after ${Math.round(latencyMs)} ms ${PHASE_TEXT[probe.phase]}`,
        );
      if (probe.phase === 'message')
        return down('timeout', `no message within ${formatDuration(context.timeoutMs)}`);
      return down(
        'timeout',
        `timed out after ${formatDuration(context.timeoutMs)} ${PHASE_TEXT[probe.phase]}`,
      );
    case 'pattern': {
      const miss = probe.patternMiss ?? { status: 'failed', reason: 'pattern gave no answer' };
      const what = context.pattern ? describePattern(context.pattern) : 'the pattern';
      const { errorKind, message } = patternFailure(miss, what, probe.message?.text.length ?? 0);
      return down(errorKind, message);
    }
    case 'error':
      return failure(probe, down);
  }
}

/** A socket, TLS or protocol error, named by kind and by where it happened. */
function failure(
  probe: WebsocketProbe,
  down: (kind: Parameters<typeof downResult>[0], message: string) => CheckResult,
): CheckResult {
  const { kind, message } = classifyNetworkError(probe.error);
  if (probe.phase === 'dns' && kind !== 'node') return down('dns', message);
  if (kind === 'tls') return down('tls', describeTlsError(probe.error));
  if (kind !== 'network') return down(kind, message);
  // ws reports handshake and protocol violations as plain errors without an errno code.
  const text = probe.error instanceof Error ? probe.error.message : String(probe.error);
  const hasCode = typeof probe.error === 'object' && probe.error !== null && 'code' in probe.error;
  if (!hasCode && probe.phase === 'upgrade')
    return down('network', `WebSocket handshake failed: ${text}`);
  if (!hasCode || probe.phase === 'message')
    return down('network', `WebSocket error ${PHASE_TEXT[probe.phase]}: ${text}`);
  return down('network', `${message} ${PHASE_TEXT[probe.phase]}`);
}
