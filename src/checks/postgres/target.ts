import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort } from '../net-names.ts';
import type { HostPort } from '../tcp/target.ts';

export const POSTGRES_DEFAULT_PORT = 5432;

const FORMAT_HINT = 'must be host or host:port, e.g. db.internal or db.internal:5432';

/**
 * Parses `host`, `host:port` or `[v6]:port` (port 5432 when absent). A connection URL is refused
 * with a pointer to the options: a password in the target would be shown everywhere a target is.
 */
export function parsePostgresTarget(text: string): HostPort | { error: string } {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed))
    return {
      error:
        'give host:port; the user, password and database are options (--username, --password, --database)',
    };
  const parts = splitHostPort(trimmed);
  if (!parts) return { error: FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  if (parts.port === undefined)
    return { host: parts.host.toLowerCase(), port: POSTGRES_DEFAULT_PORT };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port };
}

/** Validates a postgres target and normalises it to `host:port`. */
export const postgresTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parsePostgresTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatHostPort(parsed.host, parsed.port);
});
