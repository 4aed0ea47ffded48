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

/** What `redactHttpOptions` masks, for forms and docs (`CheckDefinition.secretOptions`). */
export const HTTP_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  headers: `header values are shown as *** except for ${[...PLAIN_HEADERS].join(', ')}`,
};

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
