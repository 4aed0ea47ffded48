import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import type { Monitor } from '../domain/monitor.ts';

/** Everything one config apply changes, written in ONE transaction. */
export interface ConfigChange {
  /** Inserts and updates, as `Store.saveMonitors` takes them. */
  monitors: readonly { op: 'insert' | 'update'; monitor: Monitor }[];
  deleteMonitors: readonly string[];
  /**
   * Records to set: each replaces any record of the same object and any of the same file and
   * key (a key whose object was deleted elsewhere moves to the new object).
   */
  managed: readonly ManagedRecord[];
}

/** Which objects config files manage: the part of the store contract `apply` uses. */
export interface ManagedStore {
  /** Every record, ordered by kind, source and key. */
  listManagedObjects(): Promise<ManagedRecord[]>;
  getManagedObject(kind: ManagedKind, objectId: string): Promise<ManagedRecord | undefined>;
  /**
   * Writes a whole apply in one transaction with one config version bump: all of it or none
   * (CONFLICT for a taken id, NOT_FOUND for an update of a missing monitor). Deleting a
   * monitor deletes its record, here and through `deleteMonitor`.
   */
  applyConfigChange(change: ConfigChange): Promise<void>;
}
