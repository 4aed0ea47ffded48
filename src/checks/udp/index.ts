import type { CheckDetails, CheckResult } from '../../domain/check-result.ts';
import { formatDuration } from '../../lib/duration.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import type { BannerPattern } from '../tcp/banner.ts';
import { bannerMatcher, describePattern, parseBannerPattern, printable } from '../tcp/banner.ts';
import { withDeadline } from '../deadline.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { UdpOptions } from './options.ts';
import { udpFlags, udpOptionsSchema } from './options.ts';
import { payloadBytes } from './payload.ts';
import type { UdpProbe } from './probe.ts';
import { probeUdp } from './probe.ts';
import { parseUdpTarget, udpTargetSchema } from './target.ts';

/** The `udp` check: send one datagram to host:port and expect a reply (matching, if asked). */
export const udpCheck: CheckDefinition<UdpOptions> = {
  type: 'udp',
  description: 'UDP datagram to host:port; up when a reply (matching --expect, if given) arrives',
  targetSchema: udpTargetSchema,
  optionsSchema: udpOptionsSchema,
  defaultTimeoutMs: 5_000,
  flags: udpFlags,
  exclusiveOptions: [['send', 'sendHex']],
  run: runUdpCheck,
};

/** Bytes of a reply kept in a result's details (as text and as hex). */
const REPLY_EXCERPT_BYTES = 64;

async function runUdpCheck(
  target: string,
  options: UdpOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseUdpTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const pattern = options.expect === undefined ? undefined : parseBannerPattern(options.expect);
  if (pattern && 'error' in pattern)
    return downResult('network', 0, `invalid expect: ${pattern.error}`);
  const payload = payloadBytes(options);
  const probe = await withDeadline(ctx, (signal) =>
    probeUdp({
      host: address.host,
      port: address.port,
      payload,
      match: pattern && bannerMatcher(pattern, ctx.patterns, signal),
      signal,
    }),
  );
  const elapsedMs = performance.now() - started;
  const details: CheckDetails = {
    host: address.host,
    port: address.port,
    address: probe.address ?? null,
    sentBytes: payload.length,
    replies: probe.replies,
    ...replyDetails(probe.reply),
  };
  return describeProbe(probe, {
    pattern,
    elapsedMs,
    timeoutMs: ctx.timeoutMs,
    // The runner also aborts ctx.signal at the deadline; only an abort well before it is a cancel.
    cancelled: ctx.signal.aborted && elapsedMs < ctx.timeoutMs * 0.9,
    degradedThresholdMs: options.degradedThresholdMs,
    details,
  });
}

function replyDetails(reply: Buffer | undefined): CheckDetails {
  if (reply === undefined) return {};
  const excerpt = reply.subarray(0, REPLY_EXCERPT_BYTES);
  return {
    replyBytes: reply.length,
    reply: printable(excerpt.toString('utf8')),
    replyHex: excerpt.toString('hex') + (reply.length > REPLY_EXCERPT_BYTES ? '…' : ''),
  };
}

interface ProbeContext {
  pattern: BannerPattern | undefined;
  elapsedMs: number;
  timeoutMs: number;
  /** The caller aborted (shutdown) rather than the deadline passing. */
  cancelled: boolean;
  degradedThresholdMs: number | undefined;
  details: CheckDetails;
}

/** Turns what the probe saw into the one result shape; latency is send → reply when one came. */
function describeProbe(probe: UdpProbe, context: ProbeContext): CheckResult {
  const { pattern, elapsedMs, details } = context;
  const { timings } = probe;
  switch (probe.end) {
    case 'replied': {
      const latencyMs = probe.roundTripMs ?? elapsedMs;
      const what = pattern ? 'matching reply' : 'reply';
      const message = `${what} in ${Math.round(latencyMs)} ms`;
      const threshold = context.degradedThresholdMs;
      return answeredResult(latencyMs, message, threshold, timings, details);
    }
    case 'aborted': {
      if (context.cancelled) {
        const message = `check cancelled after ${Math.round(elapsedMs)} ms during ${probe.phase}`;
        return downResult('timeout', elapsedMs, message, timings, details);
      }
      const limit = formatDuration(context.timeoutMs);
      if (probe.phase === 'dns')
        return downResult(
          'timeout',
          elapsedMs,
          `DNS lookup did not finish within ${limit}`,
          timings,
          details,
        );
      if (pattern && probe.reply !== undefined) {
        const got = printable(probe.reply.toString('utf8'));
        const message = `no reply matching ${describePattern(pattern)} within ${limit}, got "${got}"`;
        return downResult('assertion', elapsedMs, message, timings, details);
      }
      return downResult('timeout', elapsedMs, `no reply within ${limit}`, timings, details);
    }
    case 'pattern': {
      const miss = probe.patternMiss ?? { status: 'failed', reason: 'pattern gave no answer' };
      const what = pattern ? describePattern(pattern) : 'the pattern';
      const { errorKind, message } = patternFailure(miss, what, probe.reply?.length ?? 0);
      return downResult(errorKind, elapsedMs, message, timings, details);
    }
    case 'error': {
      const { kind, message } = classifyNetworkError(probe.error);
      // Any failure to resolve the name is a DNS problem, whatever errno the resolver used.
      if (probe.phase === 'dns') return downResult('dns', elapsedMs, message, timings, details);
      if (kind === 'refused') {
        const text = 'connection refused: the host answered ICMP port unreachable';
        return downResult('refused', elapsedMs, text, timings, details);
      }
      return downResult(kind, elapsedMs, message, timings, details);
    }
  }
}
