import type { AlertRule, AlertTarget } from '../domain/alert-target.ts';
import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import type { StatusPage } from '../domain/status-page.ts';
import type { Monitor } from '../domain/monitor.ts';

/** Everything one config apply changes, written in ONE transaction. */
export interface ConfigChange {
  /** Inserts and updates, as `Store.saveMonitors` takes them. */
  monitors: readonly { op: 'insert' | 'update'; monitor: Monitor }[];
  deleteMonitors: readonly string[];
  /** Targets are updated by name (a file keys them by name): type, settings, template. */
  alertTargets: readonly { op: 'insert' | 'update'; target: AlertTarget }[];
  deleteAlertTargets: readonly string[];
  /** Rules are updated by id: scope, target, events and delays. */
  alertRules: readonly { op: 'insert' | 'update'; rule: AlertRule }[];
  deleteAlertRules: readonly string[];
  /** Windows by id; their scopes name monitor ids (the file's keys resolved). */
  maintenance: readonly { op: 'insert' | 'update'; window: MaintenanceWindow }[];
  deleteMaintenance: readonly string[];
  /** Pages by id; their groups and badges name monitor ids. */
  statusPages: readonly { op: 'insert' | 'update'; page: StatusPage }[];
  deleteStatusPages: readonly string[];
  /**
   * Records to set: each replaces any record of the same object and any of the same file and
   * key (a key whose object was deleted elsewhere moves to the new object).
   */
  managed: readonly ManagedRecord[];
}

/** Objects named by id, or by their file key (alert targets are keyed by their unique name). */
export type ManagedMatch = { objectIds: readonly string[] } | { keys: readonly string[] };

/** Which objects config files manage: the part of the store contract `apply` uses. */
/** A page of managed records: after this record in (kind, source, key) order. */
export interface ManagedPage {
  after?: Pick<ManagedRecord, 'kind' | 'source' | 'key'> | undefined;
  limit: number;
}

export interface ManagedStore {
  /**
   * Every record, ordered by kind, source and key; with `page`, at most `limit` of them after
   * the record `after` names (an apply of 100,000 objects reads them a page at a time).
   */
  listManagedObjects(page?: ManagedPage): Promise<ManagedRecord[]>;
  getManagedObject(kind: ManagedKind, objectId: string): Promise<ManagedRecord | undefined>;
  /** The records of one kind among many objects, in one set-based read (list views). */
  getManagedObjects(kind: ManagedKind, match: ManagedMatch): Promise<ManagedRecord[]>;
  /**
   * Writes a whole apply in one transaction with one config version bump: all of it or none
   * (CONFLICT for a taken id or target name or rule scope, NOT_FOUND for an update of a missing
   * object). Deletes run first (pages, maintenance, monitors, rules, targets: `MANAGED_KINDS`
   * reversed), then writes (targets, rules, monitors, maintenance, pages), so references hold at
   * every step. Deleting an object deletes its record, here and through the kind's own delete.
   */
  applyConfigChange(change: ConfigChange): Promise<void>;
}
