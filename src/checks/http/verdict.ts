import type { CheckDetails, CheckResult, ErrorKind } from '../../domain/check-result.ts';
import { formatDuration } from '../../lib/duration.ts';
import { isSlowerThan } from '../degraded-after.ts';
import { degradedResult, downResult, upResult } from '../outcome.ts';
import { daysRemaining } from '../tls/expiry.ts';
import type { HttpExchange } from './exchange.ts';
import type { HttpOptions } from './options.ts';
import { parseStatusRanges, statusMatches } from './status-ranges.ts';

/**
 * Why a body fails: an assertion's message (down/assertion), or a failure of another kind
 * (a pattern that ran out of time is kind `pattern`).
 */
export type BodyFailure = string | { errorKind: ErrorKind; message: string };

/** Checks the body of a response; returns why it fails, or undefined when it passes. */
export type BodyAssertion = (exchange: HttpExchange) => BodyFailure | undefined;

/** The options that judge a response (as opposed to those that shape the request). */
export type HttpJudgeOptions = Pick<HttpOptions, 'expectedStatus' | 'degradedThresholdMs'>;

/**
 * Judges a completed exchange: unexpected status → down/status, failed body assertion →
 * down/assertion, slower than the threshold → degraded, otherwise up.
 */
export function judgeHttpExchange(
  exchange: HttpExchange,
  options: HttpJudgeOptions,
  now: number,
  assertBody?: BodyAssertion,
): CheckResult {
  const { latencyMs, timings, statusCode } = exchange;
  const details = exchangeDetails(exchange, now);
  if (!acceptsStatus(statusCode, options)) {
    const expected = options.expectedStatus.join(',');
    return downResult(
      'status',
      latencyMs,
      `HTTP ${statusCode} (expected ${expected})`,
      timings,
      details,
    );
  }
  const failure = assertBody?.(exchange);
  if (typeof failure === 'string')
    return downResult('assertion', latencyMs, failure, timings, details);
  if (failure !== undefined)
    return downResult(failure.errorKind, latencyMs, failure.message, timings, details);
  const summary = `HTTP ${statusCode} in ${Math.round(latencyMs)} ms${redirectNote(exchange.redirects)}`;
  if (isSlowerThan(latencyMs, options.degradedThresholdMs))
    return degradedResult(
      latencyMs,
      `${summary}, slower than ${formatDuration(options.degradedThresholdMs ?? 0)}`,
      timings,
      details,
    );
  return upResult(latencyMs, summary, timings, details);
}

/** True when the status is one the options expect (so the body is worth judging). */
export function acceptsStatus(statusCode: number, options: HttpJudgeOptions): boolean {
  const ranges = cachedStatusRanges(options.expectedStatus);
  return typeof ranges !== 'string' && statusMatches(statusCode, ranges);
}

/**
 * Parsed status ranges per options list. A monitor's options object lives as long as its
 * definition, so each list is parsed once instead of on every check (a daemon hot path).
 */
const parsedRanges = new WeakMap<readonly string[], ReturnType<typeof parseStatusRanges>>();

function cachedStatusRanges(expected: readonly string[]): ReturnType<typeof parseStatusRanges> {
  let ranges = parsedRanges.get(expected);
  if (ranges === undefined) {
    ranges = parseStatusRanges(expected);
    parsedRanges.set(expected, ranges);
  }
  return ranges;
}

function redirectNote(redirects: number): string {
  if (redirects === 0) return '';
  return redirects === 1 ? ' after 1 redirect' : ` after ${redirects} redirects`;
}

/** The facts worth storing about a response: status, where it ended, size, TLS and certificate. */
export function exchangeDetails(exchange: HttpExchange, now: number): CheckDetails {
  const details: CheckDetails = {
    statusCode: exchange.statusCode,
    finalUrl: exchange.finalUrl,
    redirects: exchange.redirects,
    bodyBytes: exchange.bodyBytes,
  };
  const { tls } = exchange;
  if (tls) {
    details.tlsProtocol = tls.protocol;
    details.certValidTo = tls.validTo.toISOString();
    details.certDaysRemaining = daysRemaining(tls.validTo, now);
    details.certSubject = tls.subject;
    details.certIssuer = tls.issuer;
  }
  return details;
}
