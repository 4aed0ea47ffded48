import type { IncomingHttpHeaders } from 'node:http';
import type { OutgoingAlert } from '../types.ts';

// Small checks fixtures combine to state a provider's documented protocol. Each returns the
// violations it found (empty when the request conforms), worded for a failing test.

/** The value at a dotted path (`payload.summary`, `attachments.0.color`). */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Every listed path is present (not undefined, null or ''). */
export function requireFields(body: unknown, paths: readonly string[]): string[] {
  return paths
    .filter((path) => {
      const value = valueAt(body, path);
      return value === undefined || value === null || value === '';
    })
    .map((path) => `required field "${path}" is missing`);
}

/** The value at `path` is one of `allowed`. */
export function requireOneOf(body: unknown, path: string, allowed: readonly unknown[]): string[] {
  const value = valueAt(body, path);
  return allowed.includes(value)
    ? []
    : [`"${path}" is ${JSON.stringify(value)}, expected one of ${JSON.stringify(allowed)}`];
}

/** A string at `path` is at most `limit` characters (code points). */
export function maxLength(body: unknown, path: string, limit: number): string[] {
  const value = valueAt(body, path);
  if (typeof value !== 'string') return [];
  const length = Array.from(value).length;
  return length <= limit ? [] : [`"${path}" is ${length} characters, the limit is ${limit}`];
}

/** The request's method and path are as documented. */
export function requireRoute(
  request: { method: string; path: string },
  method: string,
  path: string | RegExp,
): string[] {
  const problems: string[] = [];
  if (request.method !== method) problems.push(`method is ${request.method}, expected ${method}`);
  const pathOk = typeof path === 'string' ? request.path === path : path.test(request.path);
  if (!pathOk) problems.push(`path is ${request.path}, expected ${String(path)}`);
  return problems;
}

/** The content type starts with `expected` (parameters such as charset allowed). */
export function requireContentType(headers: IncomingHttpHeaders, expected: string): string[] {
  const actual = String(headers['content-type'] ?? '');
  return actual.toLowerCase().startsWith(expected)
    ? []
    : [`content-type is "${actual}", expected ${expected}`];
}

/** A header has exactly this value. */
export function requireHeader(
  headers: IncomingHttpHeaders,
  name: string,
  expected: string,
): string[] {
  const actual = headers[name.toLowerCase()];
  return actual === expected
    ? []
    : [`header ${name} is ${actual === undefined ? 'missing' : 'wrong'}`];
}

/** `Authorization: Bearer <token>`. */
export function requireBearer(headers: IncomingHttpHeaders, token: string): string[] {
  return requireHeader(headers, 'authorization', `Bearer ${token}`);
}

/** `Authorization: Basic base64(user:password)` (RFC 7617). */
export function requireBasicAuth(
  headers: IncomingHttpHeaders,
  user: string,
  password: string,
): string[] {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return requireHeader(headers, 'authorization', expected);
}

/** The body parsed as a JSON object. */
export function requireJsonObject(json: unknown): string[] {
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? []
    : ['body is not a JSON object'];
}

/** An `Authorization` header with this scheme and a non-empty credential (any value). */
export function requireAuthScheme(headers: IncomingHttpHeaders, scheme: string): string[] {
  const value = String(headers['authorization'] ?? '');
  return new RegExp(`^${scheme} \\S+$`).test(value)
    ? []
    : [`authorization is not "${scheme} <credential>"`];
}

/** The value at `path` is a string containing `expected` (e.g. the monitor's name). */
export function requireMention(body: unknown, path: string, expected: string): string[] {
  const value = valueAt(body, path);
  return typeof value === 'string' && value.includes(expected)
    ? []
    : [`"${path}" does not mention "${expected}"`];
}

/** The value at `path`, when present, is an RFC 3339 timestamp. */
export function optionalTimestamp(body: unknown, path: string): string[] {
  const value = valueAt(body, path);
  if (value === undefined) return [];
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
  return typeof value === 'string' && rfc3339.test(value)
    ? []
    : [`"${path}" is not an RFC 3339 timestamp`];
}

/** The name an alert must mention: the monitor's, or the node's for node alerts. */
export function subjectOf(sent: OutgoingAlert): string {
  return 'monitor' in sent.event ? sent.event.monitor.name : sent.event.node.name;
}

/** The string at a dotted path; '' when absent or not a string. */
export function stringAt(value: unknown, path: string): string {
  const found = valueAt(value, path);
  return typeof found === 'string' ? found : '';
}

/** A string at `path` is at most `limit` UTF-8 bytes (Webex, WeCom, Zulip count bytes). */
export function maxBytes(body: unknown, path: string, limit: number): string[] {
  const value = valueAt(body, path);
  if (typeof value !== 'string') return [];
  const length = Buffer.byteLength(value, 'utf8');
  return length <= limit ? [] : [`"${path}" is ${length} bytes, the limit is ${limit}`];
}

/** A query parameter is present and not empty (a token or key passed in the URL). */
export function requireQueryParam(query: URLSearchParams, name: string): string[] {
  const value = query.get(name);
  return value === null || value === '' ? [`query parameter "${name}" is missing`] : [];
}

/** `Authorization: Bearer <token>` with some token, for documented examples with placeholders. */
export function requireBearerScheme(headers: IncomingHttpHeaders): string[] {
  return requireAuthScheme(headers, 'Bearer');
}

/**
 * The text names what the alert is about: its title (kind and monitor or node name) appears,
 * so an alert cannot be delivered as an empty or generic message.
 */
export function mentionsAlert(text: unknown, sent: { message: { title: string } }): string[] {
  if (typeof text !== 'string') return ['no message text found'];
  return text.includes(sent.message.title)
    ? []
    : [`the message does not say "${sent.message.title}"`];
}
