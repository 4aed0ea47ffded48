import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { AppError, validationError } from '../lib/errors.ts';
import { readOptionalFile, writePrivateFile } from './data-dir.ts';

/**
 * Which database a coordinator keeps its data in: the data dir's SQLite file (the zero-setup
 * default) or a PostgreSQL database named by a URL. Parsed once where it enters (flag,
 * environment, or the data dir's `database.json` written by `init --database-url`); errors
 * name the field and never repeat the URL, whose password must not reach a terminal or a log.
 */
export type DatabaseChoice = SqliteDatabase | PostgresDatabase;

export interface SqliteDatabase {
  kind: 'sqlite';
  file: string;
}

export interface PostgresDatabase {
  kind: 'postgres';
  /** The URL without its TLS parameters (those are in `ssl`): what `pg` is given. */
  url: string;
  sslmode: SslMode;
  /** TLS options for `pg`, or false for a plain connection. */
  ssl: false | ConnectionOptions;
  /** The CA file the server's certificate is checked against; null: the system's CAs. */
  caFile: string | null;
  /** That file's PEM, as read when the setting was parsed. */
  caPem: string | null;
  /** `host:port/database`, for messages and health: never the password. */
  where: string;
}

export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** The database flags as the CLI hands them over. */
export interface DatabaseInput {
  databaseUrl?: string | undefined;
  databaseCa?: string | undefined;
}

export const DATABASE_ENV = {
  databaseUrl: 'CROSSCHECK_DATABASE_URL',
  databaseCa: 'CROSSCHECK_DATABASE_CA',
} as const satisfies Record<keyof DatabaseInput, string>;

/** The data dir's record of its database (0600: the URL holds the password). */
export const DATABASE_FILE = 'database.json';

/** TLS parameters of a libpq URL that this module turns into `ssl` (pg would read them itself). */
const TLS_PARAMS = ['sslmode', 'sslrootcert', 'ssl', 'uselibpqcompat'];
/** Client certificates: not offered yet, refused rather than half-applied. */
const UNSUPPORTED_PARAMS = ['sslcert', 'sslkey', 'sslpassword', 'sslnegotiation'];

const URL_SHAPE = 'expected postgres://user:password@host:port/database';

/** Where a setting came from, for messages: the flag, the variable, or the recorded file. */
interface Fields {
  url: string;
  ca: string;
}

/**
 * `url` null: the data dir is on PostgreSQL but keeps no URL (init was given it through
 * `CROSSCHECK_DATABASE_URL`), so every start must be given it the same way.
 */
const recordSchema = z.object({
  url: z.string().min(1).nullable(),
  ca: z.string().min(1).nullable().optional(),
});

/**
 * Parses a PostgreSQL URL and its CA file into the target `openPostgresStore` takes. `sslmode`
 * (disable, require, verify-full) works as libpq's does; without one the connection is plain,
 * unless a CA is given, which means verify-full. `require` with a CA checks the chain but not
 * the host name (libpq's verify-ca).
 */
export function parsePostgresSetting(
  value: { url: string; ca?: string | null | undefined },
  fields: Fields,
  readFile: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'),
): PostgresDatabase {
  const parsed = parseUrl(value.url, fields.url);
  const params = parsed.searchParams;
  const issues: { path: string; message: string }[] = [];
  for (const name of UNSUPPORTED_PARAMS) {
    if (params.has(name))
      issues.push({
        path: fields.url,
        message: `${name} is not supported (no client certificates yet)`,
      });
  }
  const mode = params.get('sslmode');
  if (mode !== null && !SSL_MODES.some((m) => m === mode))
    issues.push({ path: fields.url, message: `sslmode must be one of ${SSL_MODES.join(', ')}` });
  const caPath = value.ca ?? params.get('sslrootcert');
  const caField = value.ca ? fields.ca : `${fields.url} sslrootcert`;
  let caPem: string | undefined;
  if (caPath !== null && caPath !== undefined && caPath !== '') {
    try {
      caPem = readFile(caPath);
      if (!caPem.includes('-----BEGIN CERTIFICATE-----'))
        issues.push({ path: caField, message: `${caPath} holds no PEM certificate` });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push({ path: caField, message: `cannot read the CA file ${caPath} (${code})` });
    }
  }
  const sslmode: SslMode =
    (mode as SslMode | null) ?? (caPem === undefined ? 'disable' : 'verify-full');
  if (sslmode === 'disable' && caPem !== undefined)
    issues.push({ path: caField, message: 'a CA file needs sslmode=require or verify-full' });
  if (issues.length > 0) throw validationError(issues);
  for (const name of TLS_PARAMS) params.delete(name);
  return {
    kind: 'postgres',
    url: parsed.toString(),
    sslmode,
    ssl: postgresTls(sslmode, caPem),
    caPem: caPem ?? null,
    caFile:
      caPem === undefined || caPath === null || caPath === undefined ? null : path.resolve(caPath),
    where: describe(parsed),
  };
}

function parseUrl(text: string, field: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    throw validationError([{ path: field, message: `not a URL (${URL_SHAPE})` }]);
  }
  const problems: string[] = [];
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    problems.push(`unsupported scheme ${parsed.protocol} (${URL_SHAPE})`);
  if (parsed.hostname === '') problems.push(`no host (${URL_SHAPE})`);
  if (parsed.pathname.replace(/^\//, '') === '') problems.push(`no database name (${URL_SHAPE})`);
  if (problems.length > 0)
    throw validationError(problems.map((message) => ({ path: field, message })));
  return parsed;
}

/**
 * pg's TLS options for an sslmode and CA (also rebuilt from these two in the housekeeping
 * thread, since options holding a function cannot be posted to a thread).
 */
export function postgresTls(mode: SslMode, ca: string | undefined): false | ConnectionOptions {
  if (mode === 'disable') return false;
  const trust = ca === undefined ? {} : { ca };
  if (mode === 'verify-full') return { rejectUnauthorized: true, ...trust };
  // require: encrypted; with a CA the chain is checked (libpq's verify-ca), without one nothing.
  return ca === undefined
    ? { rejectUnauthorized: false }
    : { rejectUnauthorized: true, ...trust, checkServerIdentity: () => undefined };
}

function describe(url: URL): string {
  const port = url.port === '' ? '5432' : url.port;
  return `${url.hostname}:${port}${url.pathname}`;
}

/** One setting as given, and the field it came from (for messages). */
interface Given {
  value: string;
  field: string;
}

/** The database settings a command was given (flag, else environment), not yet checked. */
export interface DatabaseSetting {
  url?: Given;
  ca?: Given;
}

/** Picks each database setting from its flag, else its environment variable. */
export function databaseSettingFrom(input: DatabaseInput, env: NodeJS.ProcessEnv): DatabaseSetting {
  const pick = (key: keyof DatabaseInput, flag: string): Given | undefined => {
    const fromFlag = nonEmpty(input[key]);
    if (fromFlag !== undefined) return { value: fromFlag, field: flag };
    const fromEnv = nonEmpty(env[DATABASE_ENV[key]]);
    return fromEnv === undefined ? undefined : { value: fromEnv, field: DATABASE_ENV[key] };
  };
  const url = pick('databaseUrl', '--database-url');
  const ca = pick('databaseCa', '--database-ca');
  return { ...(url === undefined ? {} : { url }), ...(ca === undefined ? {} : { ca }) };
}

/**
 * The database a data dir's coordinator uses: the URL given (flag, else
 * `CROSSCHECK_DATABASE_URL`), else what `init --database-url` recorded in `database.json`,
 * else the SQLite file. The CA given wins over the recorded one.
 */
export function resolveDatabase(
  dataDir: string,
  setting: DatabaseSetting,
  readFile?: (file: string) => string,
): DatabaseChoice {
  const { url, ca } = setting;
  if (url !== undefined)
    return parsePostgresSetting(
      { url: url.value, ca: ca?.value },
      { url: url.field, ca: ca?.field ?? '--database-ca' },
      readFile,
    );
  const recorded = readDatabaseRecord(dataDir);
  if (recorded?.url === null)
    throw validationError(
      [{ path: DATABASE_ENV.databaseUrl, message: 'not set' }],
      `this data dir keeps its data in PostgreSQL and takes the URL from ${DATABASE_ENV.databaseUrl}, which is not set`,
    );
  if (recorded !== undefined)
    return parsePostgresSetting(
      { url: recorded.url, ca: ca?.value ?? recorded.ca },
      { url: `${DATABASE_FILE} url`, ca: ca?.field ?? `${DATABASE_FILE} ca` },
      readFile,
    );
  if (ca !== undefined)
    throw validationError([{ path: ca.field, message: 'given without a database URL' }]);
  return { kind: 'sqlite', file: path.join(dataDir, 'crosscheck.db') };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The recorded database of a data dir, or undefined when it keeps the SQLite default. */
export function readDatabaseRecord(dataDir: string): z.infer<typeof recordSchema> | undefined {
  const file = path.join(dataDir, DATABASE_FILE);
  const text = readOptionalFile(file);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION', `${file} is not JSON; fix it or remove it to use SQLite`);
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success)
    throw validationError(
      parsed.error.issues.map((issue) => ({
        path: `${DATABASE_FILE} ${issue.path.join('.')}`,
        message: issue.message,
      })),
    );
  return parsed.data;
}

/**
 * Records the coordinator's database in its data dir (0600, like every file there), so later
 * starts need no flag or variable. The URL is kept as given, TLS parameters included; null
 * when it came from the environment (it stays there, and is required at every start).
 */
export function recordDatabase(dataDir: string, url: string | null, caFile: string | null): void {
  writePrivateFile(
    path.join(dataDir, DATABASE_FILE),
    `${JSON.stringify({ url, ca: caFile }, null, 2)}\n`,
  );
}
