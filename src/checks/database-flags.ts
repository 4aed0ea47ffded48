import type { CheckFlag } from './types.ts';

// Shared by postgres and mysql: the CLI registers each flag string once, so both use one entry.

/** `--database`: the database to connect to. */
export const databaseFlag: CheckFlag = {
  flags: '--database <name>',
  key: 'database',
  description: 'postgres, mysql: database to connect to (postgres default: the user name)',
  kind: 'string',
};

/** `--query`: run read-only; `--expect` compares its first value. */
export const queryFlag: CheckFlag = {
  flags: '--query <sql>',
  key: 'query',
  description: 'postgres, mysql: query run read-only; --expect compares its first value',
  kind: 'string',
};

/** `--db-tls`: how the database connection is protected. */
export const dbTlsFlag: CheckFlag = {
  flags: '--db-tls <mode>',
  key: 'tls',
  description: 'postgres, mysql: verify (default), require (encrypt, no certificate check) or off',
  kind: 'string',
};
