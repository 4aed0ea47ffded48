import type { CheckResult } from '../../domain/check-result.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { withDeadline } from '../deadline.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { BannerPattern } from './banner.ts';
import { bannerMatcher, describePattern, parseBannerPattern, printable } from './banner.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import { decodeEscapes } from './escapes.ts';
import type { TcpOptions } from './options.ts';
import { tcpFlags, tcpOptionsSchema } from './options.ts';
import type { TcpProbe } from './probe.ts';
import { MAX_RECEIVED_BYTES, probeTcp } from './probe.ts';
import { parseTcpTarget, tcpTargetSchema } from './target.ts';

/** The `tcp` check: connect to host:port, optionally send text and expect a banner. */
export const tcpCheck: CheckDefinition<TcpOptions> = {
  type: 'tcp',
  description: 'TCP connect to host:port, optionally sending text and expecting a banner',
  targetSchema: tcpTargetSchema,
  optionsSchema: tcpOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: tcpFlags,
  run: runTcpCheck,
};

async function runTcpCheck(
  target: string,
  options: TcpOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseTcpTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const pattern = options.expect === undefined ? undefined : parseBannerPattern(options.expect);
  if (pattern && 'error' in pattern)
    return downResult('network', 0, `invalid expect: ${pattern.error}`);
  const probe = await withDeadline(ctx, (signal) =>
    probeTcp({
      host: address.host,
      port: address.port,
      send: options.send === undefined ? undefined : decodeEscapes(options.send),
      match: pattern && bannerMatcher(pattern, ctx.patterns, signal),
      signal,
    }),
  );
  const latencyMs = performance.now() - started;
  const details = {
    host: address.host,
    port: address.port,
    address: probe.address ?? null,
    ...(pattern ? { received: printable(probe.received.toString('utf8')) } : {}),
  };
  return describeProbe(probe, {
    pattern,
    latencyMs,
    timeoutMs: ctx.timeoutMs,
    // The runner also aborts ctx.signal at the deadline; only an abort well before it is a cancel.
    cancelled: ctx.signal.aborted && latencyMs < ctx.timeoutMs * 0.9,
    options,
    details,
  });
}

interface ProbeContext {
  pattern: BannerPattern | undefined;
  latencyMs: number;
  timeoutMs: number;
  /** The caller aborted (shutdown) rather than the deadline passing. */
  cancelled: boolean;
  options: TcpOptions;
  details: Record<string, string | number | null>;
}

/** Turns what the probe saw into the one result shape. */
function describeProbe(probe: TcpProbe, context: ProbeContext): CheckResult {
  const { pattern, latencyMs, details } = context;
  const { timings } = probe;
  const got = printable(probe.received.toString('utf8'));
  switch (probe.end) {
    case 'connected':
    case 'matched': {
      const what = probe.end === 'matched' ? 'banner matched' : 'connected';
      const message = `${what} in ${Math.round(latencyMs)} ms`;
      const threshold = context.options.degradedThresholdMs;
      return answeredResult(latencyMs, message, threshold, timings, details);
    }
    case 'aborted':
      if (pattern && probe.received.length > 0) {
        const message = `${expected(pattern)} not received within ${context.timeoutMs} ms, got "${got}"`;
        return downResult('assertion', latencyMs, message, timings, details);
      }
      return downResult('timeout', latencyMs, timeoutMessage(probe, context), timings, details);
    case 'closed': {
      const message =
        probe.received.length > 0
          ? `connection closed before ${expected(pattern)} arrived, got "${got}"`
          : 'connection closed by the server without sending data';
      return downResult('assertion', latencyMs, message, timings, details);
    }
    case 'overflow': {
      const limit = `${MAX_RECEIVED_BYTES / 1024} KiB`;
      const message = `${expected(pattern)} not found in the first ${limit}, got "${got}"`;
      return downResult('assertion', latencyMs, message, timings, details);
    }
    case 'pattern': {
      const miss = probe.patternMiss ?? { status: 'failed', reason: 'pattern gave no answer' };
      const what = pattern ? describePattern(pattern) : 'the pattern';
      const { errorKind, message } = patternFailure(miss, what, probe.received.length);
      return downResult(errorKind, latencyMs, message, timings, details);
    }
    case 'error': {
      const { kind, message } = classifyNetworkError(probe.error);
      // Any failure to resolve the name is a DNS problem, whatever errno the resolver used.
      const errorKind = probe.phase === 'dns' ? 'dns' : kind;
      return downResult(errorKind, latencyMs, message, timings, details);
    }
  }
}

function expected(pattern: BannerPattern | undefined): string {
  return pattern ? `expected ${describePattern(pattern)}` : 'expected data';
}

function timeoutMessage(probe: TcpProbe, context: ProbeContext): string {
  if (context.cancelled)
    return `check cancelled after ${Math.round(context.latencyMs)} ms during ${probe.phase}`;
  const limit = `${context.timeoutMs} ms`;
  if (probe.phase === 'dns') return `DNS lookup did not finish within ${limit}`;
  if (probe.phase === 'connect') return `connection not established within ${limit}`;
  return `no data received within ${limit}`;
}
