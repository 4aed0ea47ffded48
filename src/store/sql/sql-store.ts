import type { Kysely } from 'kysely';
import type { AlertAttempt, AlertDelivery } from '../../domain/alert.ts';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import type { ConsensusRound } from '../../domain/consensus.ts';
import type { UptimeRecord } from '../../domain/uptime.ts';
import type { Incident, IncidentAcknowledgement } from '../../domain/incident.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { DependencyNode } from '../../domain/dependencies.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import type { ClusterNode, NodeEvent, StoredJoinToken } from '../../domain/node.ts';
import type {
  AlertDeliveryFilter,
  AlertDeliveryUpdate,
  DueDelivery,
  IncidentFilter,
  IngestBatch,
  MonitorFilter,
  MonitorWrite,
  NodeHealthChange,
  NodeLatestResult,
  NodeResultCounts,
  NodeStateChange,
  NodeStatusUpdate,
  StoredLeaderLease,
  EvidenceEntry,
  PruneCounts,
  ResultFilter,
  RetentionPolicy,
  RollupBucket,
  RoundFilter,
  Store,
  StorageFigures,
  StoreStats,
  ResultCounts,
  UptimeSummary,
} from '../types.ts';
import { RAW_RESULT_TABLES, RECENT_RESULTS_MS, countRawResults, countStoreRows } from './stats.ts';
import * as deliveries from './deliveries.ts';
import * as causeGroups from './cause-groups.ts';
import type { StoredCauseGroup } from '../../domain/cause-group.ts';
import { commitBatch } from './ingest.ts';
import * as incidents from './incidents.ts';
import { incrementMetaNumber, META_KEYS, readMetaNumber } from './meta.ts';
import * as monitors from './monitors.ts';
import * as managed from './managed.ts';
import type { ManagedKind, ManagedRecord } from '../../domain/managed-object.ts';
import type { ConfigChange, ManagedMatch, ManagedPage } from '../managed-store.ts';
import { applyNodeHealthChange } from './node-health.ts';
import * as nodes from './nodes.ts';
import { readLeaderLease } from './leader-lease.ts';
import { prune } from './prune.ts';
import * as results from './results.ts';
import type { RollupTableName } from './rollup-buckets.ts';
import { listBuckets } from './rollup-buckets.ts';
import { listRounds } from './rounds.ts';
import { notFound } from '../../lib/errors.ts';
import { evidenceScreenshot, incidentEvidence } from './evidence.ts';
import { latestNodeResults, listBucketsOf } from './overview-reads.ts';
import type { RollupCounts } from './rollups.ts';
import { rollup } from './rollups.ts';
import type { Database } from './schema.ts';
import { listStates, statesOf } from './states.ts';
import { resultCounts } from './result-counts.ts';
import { readUptimeRecords, uptime } from './uptime.ts';
import { SqlSettingsStore } from './sql-settings-store.ts';

export type { SqlBackend } from './sql-store-base.ts';

const ROLLUP_TABLES = {
  minute: 'rollup_minute',
  hour: 'rollup_hour',
  day: 'rollup_day',
} as const satisfies Record<string, RollupTableName>;

/** The Store contract over Kysely; dialect-specific parts come from the backend. */
export class SqlStore extends SqlSettingsStore implements Store {
  insertMonitor(monitor: Monitor): Promise<void> {
    return this.#configWrite((db) => monitors.insertMonitor(db, monitor));
  }

  updateMonitor(monitor: Monitor): Promise<void> {
    return this.#configWrite((db) => monitors.updateMonitor(db, monitor));
  }

  saveMonitors(writes: readonly MonitorWrite[]): Promise<void> {
    return this.#configWrite((db) =>
      monitors.saveMonitors(db, writes, this.backend.insertMonitorRows),
    );
  }

  listManagedObjects(page?: ManagedPage): Promise<ManagedRecord[]> {
    return managed.listManagedObjects(this.reader, page);
  }

  getManagedObject(kind: ManagedKind, objectId: string): Promise<ManagedRecord | undefined> {
    return managed.getManagedObject(this.reader, kind, objectId);
  }

  getManagedObjects(kind: ManagedKind, match: ManagedMatch): Promise<ManagedRecord[]> {
    return managed.getManagedObjects(this.reader, kind, match);
  }

  applyConfigChange(change: ConfigChange): Promise<void> {
    return this.#configWrite((db) =>
      managed.applyConfigChange(db, change, this.backend.insertMonitorRows),
    );
  }

  deleteMonitor(id: string): Promise<boolean> {
    return this.#configWrite((db) => monitors.deleteMonitor(db, id));
  }

  configVersion(): Promise<number> {
    return readMetaNumber(this.reader, META_KEYS.configVersion, 0);
  }

  insertNode(node: ClusterNode): Promise<void> {
    return this.write(() => nodes.insertNode(this.db, node));
  }

  enrolNode(tokenId: string, node: ClusterNode): Promise<void> {
    return this.write(() => nodes.enrolNode(this.db, tokenId, node));
  }

  getNode(id: string): Promise<ClusterNode | undefined> {
    return nodes.getNode(this.reader, id);
  }

  listNodes(options: { includeRemoved?: boolean } = {}): Promise<ClusterNode[]> {
    return nodes.listNodes(this.reader, options.includeRemoved ?? false);
  }

  updateNodeStatus(id: string, update: NodeStatusUpdate): Promise<void> {
    return this.write(() => nodes.updateNodeStatus(this.db, id, update));
  }

  applyNodeStateChanges(
    changes: readonly NodeStateChange[],
    alerts: readonly AlertDelivery[] = [],
  ): Promise<void> {
    // Nothing to write is not a leader write: a follower's empty evaluation is refused nothing.
    if (changes.length === 0 && alerts.length === 0) return Promise.resolve();
    return this.leaderWrite((trx) => nodes.applyNodeStateChanges(trx, changes, alerts));
  }

  applyNodeHealthChange(
    change: NodeHealthChange,
    alerts: readonly AlertDelivery[] = [],
  ): Promise<void> {
    return this.leaderWrite((trx) => applyNodeHealthChange(trx, change, alerts));
  }

  removeNode(id: string, at: number, eventId: string): Promise<ClusterNode> {
    return this.write(() => nodes.removeNode(this.db, id, at, eventId));
  }

  setNodePeerAddress(id: string, address: string | null): Promise<void> {
    return this.write(() => nodes.setNodePeerAddress(this.db, id, address));
  }

  listNodeEvents(nodeId: string, limit: number): Promise<NodeEvent[]> {
    return nodes.listNodeEvents(this.reader, nodeId, limit);
  }

  insertJoinToken(token: StoredJoinToken): Promise<void> {
    return this.write(() => nodes.insertJoinToken(this.db, token));
  }

  getJoinToken(id: string): Promise<StoredJoinToken | undefined> {
    return nodes.getJoinToken(this.reader, id);
  }

  leaderLease(): Promise<StoredLeaderLease | null> {
    return readLeaderLease(this.reader);
  }

  /** A monitor write plus the config version bump agents sync on, in one transaction. */
  #configWrite<T>(operation: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.write(() =>
      this.db.transaction().execute(async (trx) => {
        const value = await operation(trx);
        await incrementMetaNumber(trx, META_KEYS.configVersion);
        return value;
      }),
    );
  }

  getMonitor(id: string): Promise<Monitor | undefined> {
    return monitors.getMonitor(this.reader, id);
  }

  listMonitors(filter?: MonitorFilter): Promise<Monitor[]> {
    return monitors.listMonitors(this.reader, this.backend.dialect, filter);
  }

  listDependencyNodes(): Promise<DependencyNode[]> {
    return monitors.listDependencyNodes(this.reader);
  }

  existingMonitorIds(ids: readonly string[]): Promise<Set<string>> {
    return monitors.existingMonitorIds(this.reader, ids);
  }

  async commitBatch(batch: IngestBatch): Promise<void> {
    const { skipped } = await this.leaderWrite((trx) =>
      commitBatch(
        trx,
        this.backend.dialect,
        batch,
        this.backend.insertResults,
        this.backend.upsertStates,
      ),
    );
    if (skipped > 0) {
      this.backend.logger.info({ skipped }, 'store.commitBatch: skipped rows of deleted monitors');
    }
  }

  listStates(): Promise<MonitorRuntimeState[]> {
    return listStates(this.reader);
  }

  statesOf(monitorIds: readonly string[]): Promise<MonitorRuntimeState[]> {
    return statesOf(this.reader, monitorIds);
  }

  openCauseGroups(): Promise<StoredCauseGroup[]> {
    return causeGroups.openCauseGroups(this.db);
  }

  getCauseGroup(id: string): Promise<StoredCauseGroup | undefined> {
    return causeGroups.getCauseGroup(this.reader, id);
  }

  listIncidents(filter?: IncidentFilter): Promise<Incident[]> {
    return incidents.listIncidents(this.reader, filter);
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return incidents.getIncident(this.reader, id);
  }

  acknowledgeIncident(id: string, ack: IncidentAcknowledgement): Promise<Incident> {
    return this.write(() => incidents.acknowledgeIncident(this.db, id, ack));
  }

  listRounds(filter?: RoundFilter): Promise<ConsensusRound[]> {
    return listRounds(this.reader, filter);
  }

  listResults(filter?: ResultFilter): Promise<RecordedResult[]> {
    return results.listResults(this.reader, this.backend.dialect, filter);
  }

  countResults(monitorId: string, since: number): Promise<Record<CheckStatus, number>> {
    return results.countResults(this.reader, monitorId, since);
  }

  countResultsByNode(monitorId: string, since: number): Promise<NodeResultCounts[]> {
    return results.countResultsByNode(this.reader, monitorId, since);
  }

  dueAlertDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    return deliveries.dueDeliveries(this.reader, now, limit);
  }

  updateAlertDelivery(
    id: string,
    update: AlertDeliveryUpdate,
    attempt?: AlertAttempt,
  ): Promise<void> {
    return this.leaderWrite((trx) => deliveries.updateDelivery(trx, id, update, attempt));
  }

  listAlertDeliveries(filter?: AlertDeliveryFilter): Promise<AlertDelivery[]> {
    return deliveries.listDeliveries(this.reader, filter);
  }

  listAlertAttempts(deliveryIds: readonly string[]): Promise<Map<string, AlertAttempt[]>> {
    return deliveries.listAttempts(this.reader, deliveryIds);
  }

  async rollup(): Promise<RollupCounts> {
    const counts = await this.write(() => rollup(this.db, this.backend.upsertDays));
    this.backend.logger.debug({ ...counts }, 'store.rollup: buckets updated');
    return counts;
  }

  resultCounts(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, ResultCounts[]>> {
    return resultCounts(this.reader, monitorIds, windowsMs, now);
  }

  uptime(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, UptimeSummary[]>> {
    return uptime(this.reader, monitorIds, windowsMs, now);
  }

  uptimeRecords(
    monitorIds: readonly string[] | null,
    since: number,
  ): Promise<Map<string, UptimeRecord>> {
    // One snapshot: a monitor's incidents and pauses as of the same commit.
    return this.reader.transaction().execute((trx) => readUptimeRecords(trx, monitorIds, since));
  }

  listRollups(
    granularity: 'minute' | 'hour' | 'day',
    monitorId: string,
    since: number,
  ): Promise<RollupBucket[]> {
    return listBuckets(this.reader, ROLLUP_TABLES[granularity], monitorId, since);
  }

  listRollupsOf(
    granularity: 'minute' | 'hour' | 'day',
    monitorIds: readonly string[],
    since: number,
  ): Promise<RollupBucket[]> {
    return listBucketsOf(this.reader, ROLLUP_TABLES[granularity], monitorIds, since);
  }

  latestNodeResults(monitorIds: readonly string[], since: number): Promise<NodeLatestResult[]> {
    return latestNodeResults(this.reader, monitorIds, since);
  }

  async prune(now: number, retention: RetentionPolicy): Promise<PruneCounts> {
    const counts = await this.write(() => prune(this.db, now, retention));
    this.backend.logger.debug({ ...counts }, 'store.prune: rows deleted');
    return counts;
  }

  async incidentEvidence(incidentId: string, now: number): Promise<EvidenceEntry[]> {
    const incident = await incidents.getIncident(this.reader, incidentId);
    if (incident === undefined) throw notFound('incident', incidentId);
    return incidentEvidence(this.reader, incident, now);
  }

  async evidenceScreenshot(
    incidentId: string,
    resultId: string,
    now: number,
  ): Promise<Uint8Array | undefined> {
    const incident = await incidents.getIncident(this.reader, incidentId);
    return incident === undefined
      ? undefined
      : evidenceScreenshot(this.reader, incident, resultId, now);
  }

  databaseBytes(): Promise<number> {
    return this.backend.sizeBytes();
  }

  async stats(): Promise<StoreStats> {
    return { sizeBytes: await this.backend.sizeBytes(), ...(await countStoreRows(this.reader)) };
  }

  async storageFigures(now: number): Promise<StorageFigures> {
    const space = await this.backend.spaceBytes(RAW_RESULT_TABLES);
    const raw = await countRawResults(this.reader, now, RECENT_RESULTS_MS);
    return {
      fileBytes: space.fileBytes,
      usedBytes: space.usedBytes,
      rawBytes: space.tableBytes,
      ...raw,
    };
  }
}
