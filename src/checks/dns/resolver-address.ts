import { isIP } from 'node:net';
import { formatHostPort, parsePort, splitHostPort } from '../net-names.ts';

/** Where DNS queries go. */
export interface ResolverAddress {
  host: string;
  port: number;
}

export const DNS_PORT = 53;
/** Used when /etc/resolv.conf names no nameserver (the glibc default too). */
export const FALLBACK_RESOLVER: ResolverAddress = { host: '127.0.0.1', port: DNS_PORT };

const FORMAT_HINT = 'must be an IP address with an optional port, e.g. 127.0.0.1:53 or [::1]:53';

/** Parses `ip`, `ip:port`, `[v6]:port` or a bare IPv6 literal; names are refused (no lookup loop). */
export function parseResolverAddress(text: string): ResolverAddress | { error: string } {
  const parts = splitHostPort(text.trim());
  if (!parts || isIP(parts.host) === 0) return { error: FORMAT_HINT };
  if (parts.port === undefined) return { host: parts.host, port: DNS_PORT };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host, port };
}

/** `127.0.0.1:53`, `[::1]:5353`. */
export function formatResolver(resolver: ResolverAddress): string {
  return formatHostPort(resolver.host, resolver.port);
}

/** The first usable `nameserver` line of a resolv.conf text, or the loopback fallback. */
export function firstNameserver(resolvConf: string): ResolverAddress {
  for (const line of resolvConf.split('\n')) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    const address = match?.[1];
    if (address !== undefined && isIP(address) !== 0) return { host: address, port: DNS_PORT };
  }
  return FALLBACK_RESOLVER;
}
