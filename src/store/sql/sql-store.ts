import type { Kysely } from 'kysely';
import type { AlertAttempt, AlertDelivery } from '../../domain/alert.ts';
import type { AlertRule, AlertTarget } from '../../domain/alert-target.ts';
import type { ApiToken, Session, User, UserPatch } from '../../domain/auth.ts';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import type { ConsensusRound } from '../../domain/consensus.ts';
import type { Incident, IncidentAcknowledgement } from '../../domain/incident.ts';
import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import type { AlertRoute, Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import type { ClusterNode, NodeEvent, StoredJoinToken } from '../../domain/node.ts';
import { AppError } from '../../lib/errors.ts';
import type { StoreLogger } from '../logger.ts';
import type {
  AlertDeliveryFilter,
  AlertDeliveryUpdate,
  DueDelivery,
  IncidentFilter,
  IngestBatch,
  MonitorFilter,
  MonitorWrite,
  NodeHealthChange,
  NodeResultCounts,
  NodeStateChange,
  NodeStatusUpdate,
  PruneCounts,
  ResultFilter,
  RetentionPolicy,
  RollupBucket,
  RoundFilter,
  Store,
  StoreStats,
  ResultCounts,
  UptimeSummary,
} from '../types.ts';
import type { DayUpserter } from './day-buckets.ts';
import * as auth from './auth.ts';
import * as alertTargets from './alert-targets.ts';
import * as maintenance from './maintenance.ts';
import { countStoreRows } from './stats.ts';
import * as deliveries from './deliveries.ts';
import { commitBatch } from './ingest.ts';
import * as incidents from './incidents.ts';
import {
  incrementMetaNumber,
  META_KEYS,
  readMetaNumber,
  readMetaText,
  writeMetaText,
} from './meta.ts';
import { parseAlertRoutes } from './rows.ts';
import * as monitors from './monitors.ts';
import { applyNodeHealthChange } from './node-health.ts';
import * as nodes from './nodes.ts';
import { prune } from './prune.ts';
import type { ResultInserter } from './results.ts';
import * as results from './results.ts';
import type { RollupTableName } from './rollup-buckets.ts';
import { listBuckets } from './rollup-buckets.ts';
import { listRounds } from './rounds.ts';
import type { RollupCounts } from './rollups.ts';
import { rollup } from './rollups.ts';
import type { Database, SqlDialectName } from './schema.ts';
import { listStates } from './states.ts';
import type { StateUpserter } from './states.ts';
import { resultCounts } from './result-counts.ts';
import { uptime } from './uptime.ts';

/** What a SQL backend supplies; everything else is shared Kysely code. */
export interface SqlBackend {
  db: Kysely<Database>;
  /** Picks the few queries with dialect-specific SQL (JSON operators). */
  dialect: SqlDialectName;
  /** Bytes the database occupies on disk (including any write-ahead log). */
  sizeBytes(): Promise<number>;
  /** Result writer for commitBatch; a backend may swap in a faster native path. */
  insertResults: ResultInserter;
  /** Runtime-state writer for commitBatch; a backend may swap in a faster native path. */
  upsertStates: StateUpserter;
  /** Day-bucket writer for rollup; a backend may swap in a faster native path. */
  upsertDays: DayUpserter;
  /** When true, every write fails fast with a clear error. */
  readonly: boolean;
  logger: StoreLogger;
  /** Runs after the Kysely instance is destroyed (e.g. closing file handles). */
  onClose?: () => Promise<void>;
}

const ROLLUP_TABLES = {
  minute: 'rollup_minute',
  hour: 'rollup_hour',
  day: 'rollup_day',
} as const satisfies Record<string, RollupTableName>;

/** The Store contract over Kysely; dialect-specific parts come from the backend. */
export class SqlStore implements Store {
  readonly #backend: SqlBackend;
  readonly #db: Kysely<Database>;
  #closed = false;

  constructor(backend: SqlBackend) {
    this.#backend = backend;
    this.#db = backend.db;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
    await this.#backend.onClose?.();
  }

  insertMonitor(monitor: Monitor): Promise<void> {
    return this.#configWrite((db) => monitors.insertMonitor(db, monitor));
  }

  updateMonitor(monitor: Monitor): Promise<void> {
    return this.#configWrite((db) => monitors.updateMonitor(db, monitor));
  }

  saveMonitors(writes: readonly MonitorWrite[]): Promise<void> {
    return this.#configWrite((db) => monitors.saveMonitors(db, writes));
  }

  deleteMonitor(id: string): Promise<boolean> {
    return this.#configWrite((db) => monitors.deleteMonitor(db, id));
  }

  configVersion(): Promise<number> {
    return readMetaNumber(this.#db, META_KEYS.configVersion, 0);
  }

  insertNode(node: ClusterNode): Promise<void> {
    return this.#write(() => nodes.insertNode(this.#db, node));
  }

  enrolNode(tokenId: string, node: ClusterNode): Promise<void> {
    return this.#write(() => nodes.enrolNode(this.#db, tokenId, node));
  }

  getNode(id: string): Promise<ClusterNode | undefined> {
    return nodes.getNode(this.#db, id);
  }

  listNodes(options: { includeRemoved?: boolean } = {}): Promise<ClusterNode[]> {
    return nodes.listNodes(this.#db, options.includeRemoved ?? false);
  }

  updateNodeStatus(id: string, update: NodeStatusUpdate): Promise<void> {
    return this.#write(() => nodes.updateNodeStatus(this.#db, id, update));
  }

  applyNodeStateChanges(
    changes: readonly NodeStateChange[],
    alerts: readonly AlertDelivery[] = [],
  ): Promise<void> {
    return this.#write(() => nodes.applyNodeStateChanges(this.#db, changes, alerts));
  }

  applyNodeHealthChange(
    change: NodeHealthChange,
    alerts: readonly AlertDelivery[] = [],
  ): Promise<void> {
    return this.#write(() => applyNodeHealthChange(this.#db, change, alerts));
  }

  insertAlertTarget(target: AlertTarget): Promise<void> {
    return this.#write(() => alertTargets.insertTarget(this.#db, target));
  }

  updateAlertTarget(target: AlertTarget): Promise<void> {
    return this.#write(() => alertTargets.updateTarget(this.#db, target));
  }

  getAlertTarget(name: string): Promise<AlertTarget | undefined> {
    return alertTargets.getTarget(this.#db, name);
  }

  listAlertTargets(): Promise<AlertTarget[]> {
    return alertTargets.listTargets(this.#db);
  }

  deleteAlertTarget(name: string): Promise<boolean> {
    return this.#write(() => alertTargets.deleteTarget(this.#db, name));
  }

  insertAlertRule(rule: AlertRule): Promise<void> {
    return this.#write(() => alertTargets.insertRule(this.#db, rule));
  }

  listAlertRules(): Promise<AlertRule[]> {
    return alertTargets.listRules(this.#db);
  }

  deleteAlertRule(id: string): Promise<boolean> {
    return this.#write(() => alertTargets.deleteRule(this.#db, id));
  }

  async nodeAlertRoutes(): Promise<AlertRoute[]> {
    const text = await readMetaText(this.#db, META_KEYS.nodeAlertRoutes);
    return text === undefined
      ? []
      : parseAlertRoutes(text, { table: 'meta', column: META_KEYS.nodeAlertRoutes });
  }

  setNodeAlertRoutes(routes: readonly AlertRoute[]): Promise<void> {
    return this.#write(() =>
      writeMetaText(this.#db, META_KEYS.nodeAlertRoutes, JSON.stringify(routes)),
    );
  }

  removeNode(id: string, at: number, eventId: string): Promise<ClusterNode> {
    return this.#write(() => nodes.removeNode(this.#db, id, at, eventId));
  }

  listNodeEvents(nodeId: string, limit: number): Promise<NodeEvent[]> {
    return nodes.listNodeEvents(this.#db, nodeId, limit);
  }

  insertJoinToken(token: StoredJoinToken): Promise<void> {
    return this.#write(() => nodes.insertJoinToken(this.#db, token));
  }

  getJoinToken(id: string): Promise<StoredJoinToken | undefined> {
    return nodes.getJoinToken(this.#db, id);
  }

  insertUser(user: User): Promise<void> {
    return this.#write(() => auth.insertUser(this.#db, user));
  }

  insertFirstAdmin(user: User): Promise<void> {
    return this.#write(() => auth.insertFirstAdmin(this.#db, user));
  }

  getUser(id: string): Promise<User | undefined> {
    return auth.getUser(this.#db, { id });
  }

  getUserByName(name: string): Promise<User | undefined> {
    return auth.getUser(this.#db, { name });
  }

  listUsers(): Promise<User[]> {
    return auth.listUsers(this.#db);
  }

  updateUser(id: string, patch: UserPatch): Promise<User> {
    return this.#write(() => auth.updateUser(this.#db, id, patch));
  }

  deleteUser(id: string): Promise<boolean> {
    return this.#write(() => auth.deleteUser(this.#db, id));
  }

  insertApiToken(token: ApiToken): Promise<void> {
    return this.#write(() => auth.insertApiToken(this.#db, token));
  }

  getApiToken(id: string): Promise<ApiToken | undefined> {
    return auth.getApiToken(this.#db, { id });
  }

  findApiToken(tokenHash: string): Promise<ApiToken | undefined> {
    return auth.getApiToken(this.#db, { tokenHash });
  }

  listApiTokens(filter: { userId?: string } = {}): Promise<ApiToken[]> {
    return auth.listApiTokens(this.#db, filter.userId);
  }

  revokeApiTokens(which: { id: string } | { userId: string }, at: number): Promise<number> {
    return this.#write(() => auth.revokeApiTokens(this.#db, which, at));
  }

  touchApiToken(id: string, at: number): Promise<void> {
    return this.#write(() => auth.touchApiToken(this.#db, id, at));
  }

  insertSession(session: Session): Promise<void> {
    return this.#write(() => auth.insertSession(this.#db, session));
  }

  getSession(idHash: string): Promise<Session | undefined> {
    return auth.getSession(this.#db, idHash);
  }

  touchSession(idHash: string, at: number): Promise<void> {
    return this.#write(() => auth.touchSession(this.#db, idHash, at));
  }

  deleteSessions(
    which: { idHash: string } | { userId: string } | { expiresBefore: number },
  ): Promise<number> {
    return this.#write(() => auth.deleteSessions(this.#db, which));
  }

  /** A monitor write plus the config version bump agents sync on, in one transaction. */
  #configWrite<T>(operation: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#write(() =>
      this.#db.transaction().execute(async (trx) => {
        const value = await operation(trx);
        await incrementMetaNumber(trx, META_KEYS.configVersion);
        return value;
      }),
    );
  }

  listMaintenanceWindows(): Promise<MaintenanceWindow[]> {
    return maintenance.listWindows(this.#db);
  }

  getMaintenanceWindow(id: string): Promise<MaintenanceWindow | undefined> {
    return maintenance.getWindow(this.#db, { id });
  }

  getMaintenanceWindowByName(name: string): Promise<MaintenanceWindow | undefined> {
    return maintenance.getWindow(this.#db, { name });
  }

  insertMaintenanceWindow(window: MaintenanceWindow): Promise<void> {
    return this.#write(() => maintenance.insertWindow(this.#db, window));
  }

  updateMaintenanceWindow(window: MaintenanceWindow): Promise<void> {
    return this.#write(() => maintenance.updateWindow(this.#db, window));
  }

  deleteMaintenanceWindow(id: string): Promise<boolean> {
    return this.#write(() => maintenance.deleteWindow(this.#db, id));
  }

  getMonitor(id: string): Promise<Monitor | undefined> {
    return monitors.getMonitor(this.#db, id);
  }

  listMonitors(filter?: MonitorFilter): Promise<Monitor[]> {
    return monitors.listMonitors(this.#db, this.#backend.dialect, filter);
  }

  async commitBatch(batch: IngestBatch): Promise<void> {
    const { skipped } = await this.#write(() =>
      commitBatch(this.#db, batch, this.#backend.insertResults, this.#backend.upsertStates),
    );
    if (skipped > 0) {
      this.#backend.logger.info({ skipped }, 'store.commitBatch: skipped rows of deleted monitors');
    }
  }

  listStates(): Promise<MonitorRuntimeState[]> {
    return listStates(this.#db);
  }

  listIncidents(filter?: IncidentFilter): Promise<Incident[]> {
    return incidents.listIncidents(this.#db, filter);
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return incidents.getIncident(this.#db, id);
  }

  acknowledgeIncident(id: string, ack: IncidentAcknowledgement): Promise<Incident> {
    return this.#write(() => incidents.acknowledgeIncident(this.#db, id, ack));
  }

  listRounds(filter?: RoundFilter): Promise<ConsensusRound[]> {
    return listRounds(this.#db, filter);
  }

  listResults(filter?: ResultFilter): Promise<RecordedResult[]> {
    return results.listResults(this.#db, filter);
  }

  countResults(monitorId: string, since: number): Promise<Record<CheckStatus, number>> {
    return results.countResults(this.#db, monitorId, since);
  }

  countResultsByNode(monitorId: string, since: number): Promise<NodeResultCounts[]> {
    return results.countResultsByNode(this.#db, monitorId, since);
  }

  dueAlertDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    return deliveries.dueDeliveries(this.#db, now, limit);
  }

  updateAlertDelivery(
    id: string,
    update: AlertDeliveryUpdate,
    attempt?: AlertAttempt,
  ): Promise<void> {
    return this.#write(() => deliveries.updateDelivery(this.#db, id, update, attempt));
  }

  listAlertDeliveries(filter?: AlertDeliveryFilter): Promise<AlertDelivery[]> {
    return deliveries.listDeliveries(this.#db, filter);
  }

  listAlertAttempts(deliveryIds: readonly string[]): Promise<Map<string, AlertAttempt[]>> {
    return deliveries.listAttempts(this.#db, deliveryIds);
  }

  async rollup(): Promise<RollupCounts> {
    const counts = await this.#write(() => rollup(this.#db, this.#backend.upsertDays));
    this.#backend.logger.debug({ ...counts }, 'store.rollup: buckets updated');
    return counts;
  }

  resultCounts(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, ResultCounts[]>> {
    return resultCounts(this.#db, monitorIds, windowsMs, now);
  }

  uptime(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, UptimeSummary[]>> {
    return uptime(this.#db, monitorIds, windowsMs, now);
  }

  listRollups(
    granularity: 'minute' | 'hour' | 'day',
    monitorId: string,
    since: number,
  ): Promise<RollupBucket[]> {
    return listBuckets(this.#db, ROLLUP_TABLES[granularity], monitorId, since);
  }

  async prune(now: number, retention: RetentionPolicy): Promise<PruneCounts> {
    const counts = await this.#write(() => prune(this.#db, now, retention));
    this.#backend.logger.debug({ ...counts }, 'store.prune: rows deleted');
    return counts;
  }

  async stats(): Promise<StoreStats> {
    return { sizeBytes: await this.#backend.sizeBytes(), ...(await countStoreRows(this.#db)) };
  }

  #write<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#backend.readonly) {
      return Promise.reject(
        new AppError('INTERNAL', 'store.write: this store was opened read-only'),
      );
    }
    return operation();
  }
}
