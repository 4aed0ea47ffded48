import type { HopRequest } from './hop.ts';

/** Headers that carry credentials; they must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Headers that describe a body; dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language']);

/**
 * Why a redirect must not be followed (invalid Location, other scheme, loop, too many),
 * or undefined when it may be. `visited` holds every URL requested so far, in order.
 */
export function redirectProblem(
  next: URL | undefined,
  location: string,
  visited: readonly string[],
  maxRedirects: number,
): string | undefined {
  if (next === undefined) return `redirect to an invalid Location "${location}"`;
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    return `redirect to unsupported scheme ${next.protocol}`;
  if (visited.includes(next.href))
    return `redirect loop: ${[...visited.slice(visited.indexOf(next.href)), next.href].join(' -> ')}`;
  const redirects = visited.length - 1;
  if (redirects >= maxRedirects) return `too many redirects (limit ${maxRedirects})`;
  return undefined;
}

/**
 * The request to send after a redirect, following what browsers do: 303 (and 301/302 after
 * a POST) becomes a body-less GET; 307/308 repeat the request; credentials stay on their origin.
 */
export function nextHopRequest(
  previous: HopRequest,
  status: number,
  from: URL,
  to: URL,
): HopRequest {
  const becomesGet =
    (status === 303 && previous.method !== 'HEAD') ||
    ((status === 301 || status === 302) && previous.method === 'POST');
  const crossOrigin = from.origin !== to.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    const lower = name.toLowerCase();
    if (crossOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
    if (becomesGet && BODY_HEADERS.has(lower)) continue;
    headers[name] = value;
  }
  return {
    ...previous,
    method: becomesGet ? 'GET' : previous.method,
    body: becomesGet ? undefined : previous.body,
    headers,
  };
}
