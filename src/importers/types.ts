import type { CreateTargetInput } from '../services/alert-targets/target-input.ts';
import type { CreateMonitorInput } from '../services/monitors/monitor-input.ts';

/** What kind of source object could not be brought over. */
export type UnmappedKind = 'monitor' | 'notification' | 'condition' | 'alert' | 'setting';

/** One source object (or part of one) that has no Crosscheck equivalent, and why. */
export interface UnmappedItem {
  kind: UnmappedKind;
  /** The source object's name (a monitor, a notification, an endpoint's condition…). */
  name: string;
  /** The source's own type for it, e.g. `push`, `smtp`, `[DOMAIN_EXPIRATION]`. */
  sourceType: string;
  reason: string;
}

/** Something that was brought over but not exactly: the user should look at it. */
export interface ImportWarning {
  /** The source object it concerns. */
  name: string;
  message: string;
}

/** A monitor to create, with the source object it came from. */
export interface PlannedMonitor {
  sourceType: string;
  input: CreateMonitorInput;
}

/** An alert target to create, with the source object it came from. */
export interface PlannedTarget {
  /** The source's name for it (Crosscheck target names are slugs of it). */
  sourceName: string;
  sourceType: string;
  input: CreateTargetInput;
}

/**
 * The whole import, decided before anything is written: every item already passed the
 * operations' own schemas (an item that did not is in `unmapped` with the reason).
 * Monitors route to targets by name (`alerts: [{ target }]`), so no routing rules are needed.
 */
export interface ImportPlan {
  /** What was read, e.g. `Uptime Kuma 2.x SQLite database`. */
  source: string;
  alertTargets: PlannedTarget[];
  monitors: PlannedMonitor[];
  unmapped: UnmappedItem[];
  warnings: ImportWarning[];
}

/**
 * One row of an importer's mapping table: a source type and what it becomes. The mappers
 * read these same tables, so the generated docs cannot drift from the code.
 */
export interface MappingRow {
  source: string;
  /** The Crosscheck check type or channel, or null when it has no equivalent. */
  crosscheck: string | null;
  /** How it is mapped, or why it is not. */
  note: string;
}

/** An importer's mapping tables, by what they map (monitor types, notifications, conditions…). */
export interface MappingTable {
  title: string;
  rows: readonly MappingRow[];
}

/**
 * One importer: how its file is read (at the edge) and mapped (pure). The CLI's
 * `crosscheck import <name> <file>` commands and docs/importing.md derive from the registry.
 */
export interface ImporterDefinition<S> {
  /** The command word: `crosscheck import <name>`. */
  name: string;
  title: string;
  /** The file argument as help shows it, e.g. `<kuma.db|backup.json>`. */
  fileArgument: string;
  description: string;
  /** Reads the file; throws VALIDATION naming the file and field when it is not usable. */
  read: (file: string) => S;
  map: (source: S) => ImportPlan;
  mappings: readonly MappingTable[];
}
