import type { IncomingHttpHeaders } from 'node:http';
import type { CheckDetails, CheckResult, PhaseTimings } from '../../domain/check-result.ts';
import { downResult } from '../outcome.ts';
import type { CheckContext } from '../types.ts';
import { trustedContext } from '../tls/ca-option.ts';
import { readCappedBody } from './body.ts';
import { requestFailure } from './failure.ts';
import type { AbortState } from './failure.ts';
import { sendHop } from './hop.ts';
import type { HopOutcome, HopRequest, PeerTls } from './hop.ts';
import type { HttpOptions } from './options.ts';
import { nextHopRequest, redirectProblem } from './redirects.ts';

/** The request side of the HTTP options (status expectations are judged elsewhere). */
export type HttpRequestOptions = Pick<
  HttpOptions,
  'method' | 'headers' | 'body' | 'followRedirects' | 'maxRedirects' | 'insecure' | 'ca'
>;

/** Everything the final response told us, for judging status, body and timing. */
export interface HttpExchange {
  statusCode: number;
  headers: IncomingHttpHeaders;
  finalUrl: string;
  redirects: number;
  /** The first `keepBodyBytes` bytes of the body. */
  body: Buffer;
  /** Size of the whole body as received. */
  bodyBytes: number;
  bodyTruncated: boolean;
  /** Wall time of the whole exchange, redirects and body included. */
  latencyMs: number;
  /** Phases of the final hop. */
  timings: PhaseTimings;
  /** Handshake and certificate of the final hop (https only). */
  tls: PeerTls | undefined;
}

/** A completed exchange, or the `down` result that explains why there is none. */
export type HttpExchangeOutcome =
  { ok: true; exchange: HttpExchange } | { ok: false; result: CheckResult };

/**
 * Performs an HTTP request, following redirects as configured, and reads the body (keeping
 * at most `keepBodyBytes`). The whole exchange ends by `ctx.timeoutMs` and honours
 * `ctx.signal`. Never throws for a down target: the outcome then holds a `down` result.
 */
export async function performHttpExchange(
  target: string,
  options: HttpRequestOptions,
  ctx: CheckContext,
  keepBodyBytes = 0,
): Promise<HttpExchangeOutcome> {
  const started = performance.now();
  // One controller aborted by our deadline or by the caller. Cheaper than AbortSignal.any,
  // which allocates weak references per call and showed up in daemon profiles.
  const combined = new AbortController();
  let deadlinePassed = false;
  const timer = setTimeout(() => {
    deadlinePassed = true;
    combined.abort(new Error('check deadline passed'));
  }, ctx.timeoutMs);
  const onCallerAbort = (): void => combined.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onCallerAbort();
  else ctx.signal.addEventListener('abort', onCallerAbort, { once: true });
  const run: ExchangeRun = {
    options,
    keepBodyBytes,
    signal: combined.signal,
    elapsed: () => performance.now() - started,
    abortState: () => ({
      deadlinePassed,
      callerAborted: ctx.signal.aborted,
      timeoutMs: ctx.timeoutMs,
    }),
  };
  try {
    return await followExchange(run, new URL(target));
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onCallerAbort);
  }
}

/** What every step of one exchange needs to know. */
interface ExchangeRun {
  options: HttpRequestOptions;
  keepBodyBytes: number;
  /** Aborts at the deadline or when the caller aborts. */
  signal: AbortSignal;
  elapsed(): number;
  abortState(): AbortState;
}

async function followExchange(run: ExchangeRun, firstUrl: URL): Promise<HttpExchangeOutcome> {
  const { options } = run;
  let url = firstUrl;
  let hop = firstHop(options);
  const visited = [url.href];
  // Bounded: every pass either returns or records one more redirect, and redirects are capped.
  for (;;) {
    const details = { finalUrl: url.href, redirects: visited.length - 1 };
    if (run.signal.aborted)
      return failed(
        requestFailure(run.signal.reason, 'connect', run.abortState(), run.elapsed(), {}, details),
      );
    const sent = await sendHop(url, hop, run.signal);
    if (!sent.ok)
      return failed(
        requestFailure(
          sent.error,
          sent.phase,
          run.abortState(),
          run.elapsed(),
          sent.timings,
          details,
        ),
      );
    const status = sent.response.statusCode ?? 0;
    const location = sent.response.headers.location;
    if (!options.followRedirects || !isRedirect(status) || location === undefined)
      return readFinalResponse(run, sent, details);
    sent.response.destroy();
    const next = resolveLocation(location, url);
    const problem = redirectProblem(next, location, visited, options.maxRedirects);
    if (problem !== undefined || next === undefined) {
      const message = problem ?? 'invalid redirect';
      return failed(
        downResult('status', run.elapsed(), message, sent.timings, {
          ...details,
          statusCode: status,
        }),
      );
    }
    hop = nextHopRequest(hop, status, url, next);
    url = next;
    visited.push(url.href);
  }
}

function firstHop(options: HttpRequestOptions): HopRequest {
  return {
    method: options.method,
    headers: options.headers,
    body: options.body,
    secureContext: trustedContext(options.ca),
    insecure: options.insecure,
  };
}

/** Reads the body of the response that ends the exchange and gathers its facts. */
async function readFinalResponse(
  run: ExchangeRun,
  sent: Extract<HopOutcome, { ok: true }>,
  details: CheckDetails & { finalUrl: string; redirects: number },
): Promise<HttpExchangeOutcome> {
  const { response } = sent;
  const statusCode = response.statusCode ?? 0;
  const read = await readCappedBody(response, run.keepBodyBytes, run.signal);
  if (!read.ok) {
    const where = { ...details, statusCode };
    return failed(
      requestFailure(read.error, 'body', run.abortState(), run.elapsed(), sent.timings, where),
    );
  }
  return {
    ok: true,
    exchange: {
      statusCode,
      headers: response.headers,
      finalUrl: details.finalUrl,
      redirects: details.redirects,
      body: read.body.kept,
      bodyBytes: read.body.totalBytes,
      bodyTruncated: read.body.truncated,
      latencyMs: run.elapsed(),
      timings: sent.timings,
      tls: sent.tls,
    },
  };
}

function failed(result: CheckResult): HttpExchangeOutcome {
  return { ok: false, result };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function resolveLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
