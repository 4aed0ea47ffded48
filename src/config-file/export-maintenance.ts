import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { ManagedRecord } from '../domain/managed-object.ts';
import { compare } from './canonical.ts';
import { escapeReferences, readableDuration } from './export-values.ts';

/**
 * Window entries by key (the managed one, else the name, written only when it differs):
 * monitors by their key in the file, times as ISO 8601 UTC, durations as people write them,
 * empty lists and defaults (UTC, no bounds, no reason) left out. A monitor id no monitor has
 * any more cannot be named by key and is left out (warned).
 */
export function maintenanceEntries(
  windows: readonly MaintenanceWindow[],
  managed: readonly ManagedRecord[],
  monitorKeys: ReadonlyMap<string, string>,
  warnings: string[],
): Record<string, unknown>[] {
  const managedKey = new Map(
    managed.filter((r) => r.kind === 'maintenance').map((r) => [r.objectId, r.key]),
  );
  return windows
    .map((window) => ({ key: managedKey.get(window.id) ?? window.name, window }))
    .sort((a, b) => compare(a.key, b.key))
    .map(({ key, window }) => {
      const entry: Record<string, unknown> = {};
      if (key !== window.name) entry.key = key;
      entry.name = window.name;
      const monitors = window.scope.monitors.flatMap((id) => {
        const monitorKey = monitorKeys.get(id);
        if (monitorKey === undefined)
          warnings.push(`maintenance ${key}: monitor ${id} no longer exists and was left out`);
        return monitorKey ?? [];
      });
      const lists = { monitors, ...scopeLists(window) };
      for (const [field, list] of Object.entries(lists)) if (list.length > 0) entry[field] = list;
      Object.assign(entry, scheduleFields(window.schedule));
      if (window.reason !== null) entry.reason = window.reason;
      return escapeReferences(entry) as Record<string, unknown>;
    });
}

function scopeLists(window: MaintenanceWindow): Record<string, string[]> {
  const { groups, tags, nodes } = window.scope;
  return { groups, tags, nodes };
}

function scheduleFields(schedule: MaintenanceWindow['schedule']): Record<string, unknown> {
  if (schedule.kind === 'once')
    return { startsAt: isoTime(schedule.startsAt), endsAt: isoTime(schedule.endsAt) };
  const fields: Record<string, unknown> = {
    cron: schedule.cron,
    durationMs: readableDuration(schedule.durationMs),
  };
  if (schedule.timezone !== 'UTC') fields.timezone = schedule.timezone;
  if (schedule.from !== null) fields.from = isoTime(schedule.from);
  if (schedule.until !== null) fields.until = isoTime(schedule.until);
  return fields;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
