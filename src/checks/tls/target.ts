import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort, unbracket } from '../net-names.ts';

/** Port used when a tls target names none. */
export const DEFAULT_TLS_PORT = 443;

/**
 * Parses `host`, `host:port`, `[v6]:port` or a URL such as `https://host:8443/path` into
 * host and port (443 by default). Returns the reason as text when malformed.
 */
export function parseTlsTarget(text: string): { host: string; port: number } | string {
  const trimmed = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return fromUrl(trimmed);
  const parts = splitHostPort(trimmed);
  if (!parts || !isHostOrIp(parts.host)) return 'must be host or host:port, e.g. example.com:443';
  if (parts.port === undefined) return { host: parts.host, port: DEFAULT_TLS_PORT };
  const port = parsePort(parts.port);
  return port === undefined
    ? `"${parts.port}" is not a port (1-65535)`
    : { host: parts.host, port };
}

function fromUrl(text: string): { host: string; port: number } | string {
  try {
    const url = new URL(text);
    const host = unbracket(url.hostname);
    if (!isHostOrIp(host)) return 'must name a host';
    return { host, port: url.port === '' ? DEFAULT_TLS_PORT : Number(url.port) };
  } catch {
    return 'must be host or host:port, e.g. example.com:443';
  }
}

/** Target of the `tls` type, stored as `host:port` (`[v6]:port` for IPv6). */
export const tlsTargetSchema: z.ZodType<string> = z.string().transform((text, ctx) => {
  const parsed = parseTlsTarget(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return formatHostPort(parsed.host, parsed.port);
});
