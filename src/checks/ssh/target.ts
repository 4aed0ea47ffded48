import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort } from '../net-names.ts';

/** SSH's registered port, used when the target names none. */
export const SSH_DEFAULT_PORT = 22;

const FORMAT_HINT = 'must be host or host:port, e.g. bastion.internal or [::1]:2222';

/** Parses `host`, `host:port`, `[v6]:port` or a bare IP (port 22 when absent). */
export function parseSshTarget(text: string): { host: string; port: number } | { error: string } {
  // `ssh://host:port` is how Gatus and people write it; the scheme adds nothing here.
  const parts = splitHostPort(text.trim().replace(/^ssh:\/\//i, ''));
  if (!parts) return { error: FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  if (parts.port === undefined) return { host: parts.host.toLowerCase(), port: SSH_DEFAULT_PORT };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port };
}

/** Validates an ssh target and normalises it to `host:port` (port 22 written out). */
export const sshTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseSshTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatHostPort(parsed.host, parsed.port);
});
