import type { DatabaseChoice, DatabaseSetting } from '../../config/database-config.ts';

/**
 * What `init` (or `start` setting a data dir up) records of a PostgreSQL database: the URL when
 * it was typed as `--database-url`, null when it came from `CROSSCHECK_DATABASE_URL` (a secret
 * kept in the environment stays there; every start then needs it), and the CA file.
 */
export function databaseRecordOf(
  setting: DatabaseSetting,
  database: DatabaseChoice,
): { url: string | null; ca: string | null } | undefined {
  if (database.kind !== 'postgres') return undefined;
  const url = setting.url?.field === '--database-url' ? setting.url.value : null;
  return { url, ca: database.caFile };
}
