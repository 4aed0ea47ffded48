import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { DEFAULT_MIGRATION_TABLE, Migrator } from 'kysely/migration';
import { AppError } from '../../lib/errors.ts';
import { silentLogger } from '../logger.ts';
import type { SqlDialectName } from '../sql/schema.ts';
import * as initial from './0001_initial.ts';
import * as cluster from './0002_cluster.ts';
import * as nodeAlerts from './0003_node_alerts.ts';
import * as consensus from './0004_consensus.ts';
import * as alertLog from './0005_alert_log.ts';
import * as uptime from './0006_uptime.ts';
import * as alertTruth from './0007_alert_truth.ts';
import * as auth from './0008_auth.ts';
import * as incidentAck from './0009_incident_ack.ts';
import * as listOrder from './0010_list_order.ts';
import * as alertTargets from './0011_alert_targets.ts';
import * as maintenance from './0012_maintenance.ts';
import * as routesToTargets from './0013_routes_to_targets.ts';
import * as degradedEpisodes from './0014_degraded_episodes.ts';
import * as statusPages from './0015_status_pages.ts';
import * as managedObjects from './0016_managed_objects.ts';
import * as compactResults from './0017_compact_results.ts';
import * as dependencies from './0018_dependencies.ts';
import * as pushStates from './0019_push_states.ts';
import * as browserEvidence from './0020_browser_evidence.ts';
import * as causeGroups from './0021_cause_groups.ts';
import * as leaderLease from './0022_leader_lease.ts';
import * as joinTokenKind from './0023_join_token_kind.ts';
import * as coordinatorAddress from './0024_coordinator_address.ts';
import type { MigrationContext } from './migration-context.ts';
import { DEFAULT_REWRITE_PACE } from './migration-context.ts';

/**
 * One schema step; `dialect` lets a step pick the few dialect-specific column types, `context`
 * gives a step that rewrites many rows a logger for its progress.
 */
interface MigrationModule {
  up(db: Kysely<unknown>, dialect: SqlDialectName, context: MigrationContext): Promise<void>;
}

/** Every migration, in the order they apply. Append only; never rename or reorder. */
const MIGRATIONS: readonly (readonly [name: string, module: MigrationModule])[] = [
  ['0001_initial', initial],
  ['0002_cluster', cluster],
  ['0003_node_alerts', nodeAlerts],
  ['0004_consensus', consensus],
  ['0005_alert_log', alertLog],
  ['0006_uptime', uptime],
  ['0007_alert_truth', alertTruth],
  ['0008_auth', auth],
  ['0009_incident_ack', incidentAck],
  ['0010_list_order', listOrder],
  ['0011_alert_targets', alertTargets],
  ['0012_maintenance', maintenance],
  ['0013_routes_to_targets', routesToTargets],
  ['0014_degraded_episodes', degradedEpisodes],
  ['0015_status_pages', statusPages],
  ['0016_managed_objects', managedObjects],
  ['0017_compact_results', compactResults],
  ['0018_dependencies', dependencies],
  ['0019_push_states', pushStates],
  ['0020_browser_evidence', browserEvidence],
  ['0021_cause_groups', causeGroups],
  ['0022_leader_lease', leaderLease],
  ['0023_join_token_kind', joinTokenKind],
  ['0024_coordinator_address', coordinatorAddress],
];

/** Names of every migration this build knows, oldest first. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);

/** Kysely's MigrationProvider over the inline list above; silent unless given a logger. */
export function migrationProvider(
  dialect: SqlDialectName,
  context: Partial<MigrationContext> = {},
): MigrationProvider {
  const full: MigrationContext = {
    logger: context.logger ?? silentLogger,
    rewrite: context.rewrite ?? DEFAULT_REWRITE_PACE,
  };
  return {
    getMigrations: () => {
      const byName: Record<string, Migration> = {};
      for (const [name, module] of MIGRATIONS) {
        byName[name] = { up: (db) => module.up(db, dialect, full) };
      }
      return Promise.resolve(byName);
    },
  };
}

/** Applies every pending migration; returns the names applied. Throws AppError on failure. */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  dialect: SqlDialectName,
  context: Partial<MigrationContext> = {},
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect, context) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const where = failed === undefined ? '' : ` (migration ${failed})`;
    throw new AppError('UNAVAILABLE', `database migration failed${where}: ${describe(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * For read-only opens, which must not migrate: fails clearly unless the database holds
 * exactly the migrations this build knows.
 */
export async function assertSchemaCurrent<DB>(db: Kysely<DB>, location: string): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) {
    throw new AppError(
      'UNAVAILABLE',
      `${location} has no Crosscheck schema; start the daemon once to create it`,
    );
  }
  const rows = await sql<{
    name: string;
  }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
  const applied = new Set(rows.rows.map((r) => r.name));
  const unknown = [...applied].filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new AppError(
      'UNAVAILABLE',
      `${location} was migrated by a newer Crosscheck (${unknown.join(', ')}); upgrade this one`,
    );
  }
  const missing = MIGRATION_NAMES.filter((name) => !applied.has(name));
  if (missing.length > 0) {
    throw new AppError(
      'UNAVAILABLE',
      `${location} has an older schema (missing ${missing.join(', ')}); start the daemon once to migrate it`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
