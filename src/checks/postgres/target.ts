import type { HostPort } from '../tcp/target.ts';
import type { DatabaseTargetForm } from '../database-check.ts';
import { databaseTargetSchema, parseDatabaseTarget } from '../database-check.ts';

export const POSTGRES_DEFAULT_PORT = 5432;

const FORM: DatabaseTargetForm = {
  defaultPort: POSTGRES_DEFAULT_PORT,
  urlScheme: /^postgres(ql)?:\/\//i,
};

/** Parses `host`, `host:port` or `[v6]:port` (port 5432 when absent); no connection URLs. */
export function parsePostgresTarget(text: string): HostPort | { error: string } {
  return parseDatabaseTarget(text, FORM);
}

/** Validates a postgres target and normalises it to `host:port`. */
export const postgresTargetSchema = databaseTargetSchema(FORM);
