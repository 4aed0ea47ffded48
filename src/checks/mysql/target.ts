import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort } from '../net-names.ts';
import type { HostPort } from '../tcp/target.ts';

export const MYSQL_DEFAULT_PORT = 3306;

const FORMAT_HINT = 'must be host or host:port, e.g. db.internal or db.internal:3306';

/**
 * Parses `host`, `host:port` or `[v6]:port` (port 3306 when absent). A connection URL is refused
 * with a pointer to the options: a password in the target would be shown everywhere a target is.
 */
export function parseMysqlTarget(text: string): HostPort | { error: string } {
  const trimmed = text.trim();
  if (/^(mysql|mariadb)(x)?:\/\//i.test(trimmed))
    return {
      error:
        'give host:port; the user, password and database are options (--username, --password, --database)',
    };
  const parts = splitHostPort(trimmed);
  if (!parts) return { error: FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  if (parts.port === undefined) return { host: parts.host.toLowerCase(), port: MYSQL_DEFAULT_PORT };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port };
}

/** Validates a mysql target and normalises it to `host:port`. */
export const mysqlTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseMysqlTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatHostPort(parsed.host, parsed.port);
});
