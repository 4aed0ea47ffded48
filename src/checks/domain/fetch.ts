import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { trustedContext } from '../tls/ca-option.ts';

/** RDAP servers refer clients elsewhere with 30x (RFC 7480 §5.2); more than this is a loop. */
export const MAX_REDIRECTS = 5;
/** Largest reply read: a domain object is a few KB; a registry's is rarely over 100 KB. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RdapFetchRequest {
  url: string;
  /** Extra CA certificates to trust for HTTPS RDAP servers (private test servers). */
  ca: string | undefined;
  signal: AbortSignal;
}

/** The final reply (after referrals), or the transport error that prevented one. */
export type RdapFetch =
  | {
      ok: true;
      status: number;
      body: string;
      url: string;
      redirects: number;
      timings: PhaseTimings;
    }
  | {
      ok: false;
      reason: 'error' | 'too-many-redirects' | 'too-large';
      error?: unknown;
      url: string;
      timings: PhaseTimings;
    };

/** GETs an RDAP URL, following a bounded number of referrals; settles once its socket is gone. */
export async function fetchRdap(request: RdapFetchRequest): Promise<RdapFetch> {
  const timings: PhaseTimings = {};
  let url = request.url;
  for (let redirects = 0; ; redirects++) {
    const reply = await getOnce(url, request, timings);
    if (!reply.ok) return { ...reply, url, timings };
    const location = reply.location;
    if (reply.status < 300 || reply.status >= 400 || location === undefined)
      return { ok: true, status: reply.status, body: reply.body, url, redirects, timings };
    if (redirects >= MAX_REDIRECTS)
      return { ok: false, reason: 'too-many-redirects', url, timings };
    url = new URL(location, url).toString();
  }
}

type Once =
  | { ok: true; status: number; body: string; location: string | undefined }
  | { ok: false; reason: 'error' | 'too-large'; error?: unknown };

function getOnce(url: string, request: RdapFetchRequest, timings: PhaseTimings): Promise<Once> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:')
    return Promise.resolve({
      ok: false,
      reason: 'error',
      error: new Error(`unsupported URL scheme ${target.protocol}`),
    });
  const secureContext = secure ? trustedContext(request.ca) : undefined;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (once: Once): void => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve(once);
    };
    const req = (secure ? httpsRequest : httpRequest)(target, {
      method: 'GET',
      // A fresh connection per check: no pooled socket outlives it.
      agent: false,
      headers: { accept: 'application/rdap+json, application/json' },
      signal: request.signal,
      ...(secureContext ? { secureContext } : {}),
    });
    // Phases of the first request only: a referral's are part of the total latency.
    req.once('socket', (socket) => {
      let mark = started;
      const phase = (key: 'dnsMs' | 'connectMs' | 'tlsMs'): void => {
        const now = performance.now();
        timings[key] ??= now - mark;
        mark = now;
      };
      socket.once('lookup', () => phase('dnsMs'));
      socket.once('connect', () => phase('connectMs'));
      socket.once('secureConnect', () => phase('tlsMs'));
    });
    req.once('error', (error) => settle({ ok: false, reason: 'error', error }));
    req.once('response', (response) => {
      timings.firstByteMs ??= performance.now() - started;
      readBody(response, (body) => {
        if (body === undefined) settle({ ok: false, reason: 'too-large' });
        else
          settle({
            ok: true,
            status: response.statusCode ?? 0,
            body,
            location: response.headers.location,
          });
      });
      response.once('error', (error) => settle({ ok: false, reason: 'error', error }));
    });
    req.end();
  });
}

/** Collects the body up to the size limit; undefined when it is larger. */
function readBody(response: IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      response.destroy();
      done(undefined);
      return;
    }
    chunks.push(chunk);
  });
  response.once('end', () => done(Buffer.concat(chunks).toString('utf8')));
}
