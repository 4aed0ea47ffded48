import type { HttpOptions } from './options.ts';

/** Header names whose values are never secret; every other header value is masked for display. */
const PLAIN_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-type',
  'host',
  'origin',
  'pragma',
  'referer',
  'user-agent',
]);

/** The options for display: header values that may carry credentials become `***`. */
export function redactHttpOptions<O extends Pick<HttpOptions, 'headers'>>(options: O): O {
  const headers = Object.fromEntries(
    Object.entries(options.headers).map(([name, value]) => [
      name,
      PLAIN_HEADERS.has(name.toLowerCase()) ? value : '***',
    ]),
  );
  return { ...options, headers };
}
