import { z } from 'zod';
import { isIP } from 'node:net';

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/** True for a DNS name: dot-separated labels of letters, digits, `-` and `_`, at most 253 chars. */
export function isHostname(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/** True for a hostname or an IPv4/IPv6 literal (without brackets). */
export function isHostOrIp(text: string): boolean {
  return isIP(text) !== 0 || isHostname(text);
}

/** Removes the brackets around an IPv6 literal (`[::1]` → `::1`); other text is returned as is. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Splits `host:port`, `[v6]:port`, `[v6]` or a bare host/IP into its parts. A bare IPv6
 * literal has no port (its colons belong to the address). Undefined when malformed.
 */
export function splitHostPort(
  text: string,
): { host: string; port: string | undefined } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(text);
  if (bracketed) {
    const [, host, port] = bracketed as unknown as [string, string, string | undefined];
    return isIP(host) === 6 ? { host, port } : undefined;
  }
  if (text.includes('[') || text.includes(']')) return undefined;
  if (isIP(text) === 6) return { host: text, port: undefined };
  const colon = text.lastIndexOf(':');
  if (colon === -1) return { host: text, port: undefined };
  if (text.indexOf(':') !== colon) return undefined;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** Parses a decimal TCP/UDP port 1–65535; undefined otherwise. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/** Joins host and port, bracketing IPv6 literals: `[::1]:53`. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A target schema from a `host:port` parser: the parser's reason as the issue, `host:port`
 * (lower-case host, bracketed IPv6) as the stored target.
 */
export function hostPortTargetSchema(
  parse: (text: string) => { host: string; port: number } | { error: string },
) {
  return z.string().transform((text, ctx) => {
    const parsed = parse(text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return formatHostPort(parsed.host, parsed.port);
  });
}
