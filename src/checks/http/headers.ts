/** RFC 9110 token characters: what a header name may contain. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** Headers the client manages itself; letting users set them would corrupt the request. */
const RESERVED = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * Turns the CLI's `"Name: value"` list (or a stored record) into a header record.
 * Returns the reason as text when a header is malformed.
 */
export function parseHeaders(
  input: readonly string[] | Readonly<Record<string, string>>,
): Record<string, string> | string {
  const entries = isList(input) ? splitLines(input) : Object.entries(input);
  if (typeof entries === 'string') return entries;
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    const problem = headerProblem(name, value);
    if (problem) return problem;
    headers[name] = value;
  }
  return headers;
}

function isList(input: unknown): input is readonly string[] {
  return Array.isArray(input);
}

function splitLines(lines: readonly string[]): [string, string][] | string {
  const entries: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `"${line}" is not a header of the form "Name: value"`;
    entries.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return entries;
}

function headerProblem(name: string, value: string): string | undefined {
  if (!TOKEN.test(name)) return `"${name}" is not a valid header name`;
  if (RESERVED.has(name.toLowerCase()))
    return `header "${name}" is managed by the client and cannot be set`;
  if (/[\r\n\0]/.test(value)) return `header "${name}" contains a line break or NUL`;
  return undefined;
}
