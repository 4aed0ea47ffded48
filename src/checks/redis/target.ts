import { z } from 'zod';
import { formatHostPort, isHostOrIp, parsePort, splitHostPort, unbracket } from '../net-names.ts';

/** Redis's registered port, used when the target names none. */
export const REDIS_DEFAULT_PORT = 6379;
/** Redis has 16 databases unless configured otherwise; larger numbers are allowed up to this. */
const MAX_DB = 1_000_000;

/** A redis target split into its parts. */
export interface RedisAddress {
  host: string;
  port: number;
  /** `rediss://`: TLS with certificate verification (unless the monitor says insecure). */
  tls: boolean;
  /** `redis://host/3`: SELECT 3 before the command. */
  db: number | undefined;
}

const FORMAT_HINT =
  'must be host[:port] or a redis:// or rediss:// URL, e.g. cache.internal:6379 or rediss://cache.internal/2';

/** Parses `host[:port]`, `redis://host[:port][/db]` or `rediss://…`, or returns the reason. */
export function parseRedisTarget(text: string): RedisAddress | { error: string } {
  const trimmed = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return hostPort(trimmed, false, undefined);
  if (scheme !== 'redis' && scheme !== 'rediss')
    return { error: `scheme "${scheme}://" is not redis:// or rediss://` };
  if (!URL.canParse(trimmed)) return { error: FORMAT_HINT };
  const url = new URL(trimmed);
  // Credentials in a target would be shown everywhere the target is: they belong in the
  // masked password (and username) options.
  if (url.username !== '' || url.password !== '')
    return {
      error:
        'credentials in the URL are not accepted: use the password and username options (they are masked)',
    };
  if (url.search !== '' || url.hash !== '')
    return { error: 'query and fragment are not supported' };
  const db = parseDb(url.pathname);
  if (typeof db === 'object') return db;
  const host = unbracket(url.hostname);
  const port = url.port === '' ? String(REDIS_DEFAULT_PORT) : url.port;
  return hostPort(formatHostPort(host, Number(port)), scheme === 'rediss', db);
}

function hostPort(
  text: string,
  tls: boolean,
  db: number | undefined,
): RedisAddress | { error: string } {
  const parts = splitHostPort(text);
  if (!parts || parts.host === '') return { error: FORMAT_HINT };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  const port = parts.port === undefined ? REDIS_DEFAULT_PORT : parsePort(parts.port);
  if (port === undefined)
    return { error: `port "${parts.port ?? ''}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port, tls, db };
}

function parseDb(pathname: string): number | undefined | { error: string } {
  const text = pathname.replace(/^\//, '');
  if (text === '') return undefined;
  const db = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(db) || db > MAX_DB)
    return { error: `database "${text}" must be a number (redis://host:6379/2)` };
  return db;
}

/** The stored form: `host:port` for plain targets, the URL (port written out) otherwise. */
export function formatRedisTarget(address: RedisAddress, asUrl: boolean): string {
  const base = formatHostPort(address.host, address.port);
  if (!asUrl) return base;
  const db = address.db === undefined ? '' : `/${address.db}`;
  return `${address.tls ? 'rediss' : 'redis'}://${base}${db}`;
}

/** Validates a redis target and normalises it (lower-case host, default port written out). */
export const redisTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseRedisTarget(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return formatRedisTarget(parsed, /^[a-z]+:\/\//i.test(text.trim()));
});
