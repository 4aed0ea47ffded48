import type { HostPort } from '../tcp/target.ts';
import type { DatabaseTargetForm } from '../database-check.ts';
import { databaseTargetSchema, parseDatabaseTarget } from '../database-check.ts';

export const MYSQL_DEFAULT_PORT = 3306;

const FORM: DatabaseTargetForm = {
  defaultPort: MYSQL_DEFAULT_PORT,
  urlScheme: /^(mysql|mariadb)(x)?:\/\//i,
};

/** Parses `host`, `host:port` or `[v6]:port` (port 3306 when absent); no connection URLs. */
export function parseMysqlTarget(text: string): HostPort | { error: string } {
  return parseDatabaseTarget(text, FORM);
}

/** Validates a mysql target and normalises it to `host:port`. */
export const mysqlTargetSchema = databaseTargetSchema(FORM);
