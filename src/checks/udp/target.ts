import { z } from 'zod';
import { formatHostPort } from '../net-names.ts';
import { parseTcpTarget } from '../tcp/target.ts';
import type { HostPort } from '../tcp/target.ts';

const FORMAT_HINT = 'must be host:port, e.g. ntp.internal:123 or [::1]:53';

/**
 * Parses a udp target: the same `host:port` / `[v6]:port` as tcp (one parser, so both types
 * accept and reject the same text), with a hint that names UDP services.
 */
export function parseUdpTarget(text: string): HostPort | { error: string } {
  const parsed = parseTcpTarget(text.replace(/^udp:\/\//i, ''));
  if ('error' in parsed && parsed.error.startsWith('must be host:port'))
    return { error: FORMAT_HINT };
  return parsed;
}

/** Validates a udp target and stores it as `host:port` (lower-case host, bracketed IPv6). */
export const udpTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseUdpTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatHostPort(parsed.host, parsed.port);
});
