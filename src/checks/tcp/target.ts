import { hostPortTargetSchema, isHostOrIp, parsePort, splitHostPort } from '../net-names.ts';

/** A tcp target split into its parts. */
export interface HostPort {
  host: string;
  port: number;
}

/** The reason a target without a port (or not host:port at all) is refused. */
export const TCP_FORMAT_HINT = 'must be host:port, e.g. db.internal:5432 or [::1]:5432';

/** Parses `host:port` / `[v6]:port`, or returns the reason it is not one. */
export function parseTcpTarget(text: string): HostPort | { error: string } {
  const parts = splitHostPort(text.trim());
  if (!parts || parts.port === undefined) return { error: TCP_FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port };
}

/** Validates a tcp target and normalises it to `host:port` (lower-case host, bracketed IPv6). */
export const tcpTargetSchema = hostPortTargetSchema(parseTcpTarget);
