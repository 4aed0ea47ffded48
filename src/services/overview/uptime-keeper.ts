import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import type { UptimeRecord } from '../../domain/uptime.ts';
import { recordUptime } from '../../domain/uptime.ts';
import { covers, maintenanceLookup } from '../../maintenance/windows.ts';
import type { CommittedBatchFacts, Store } from '../../store/types.ts';

const DAY_MS = 86_400_000;
const DAY = [DAY_MS];

/**
 * Every monitor's 24 h uptime for the overview's uptime sort, without reading every monitor's
 * incidents per call: each monitor's uptime record (creation, incidents and pauses that end
 * after a day before it was read, or not yet) is kept in memory, and the daemon's events mark
 * the monitors whose record changed — an incident opened, escalated, resolved or retracted
 * (found by incident id), a pause, resume, change or deletion — like `DayBarCache`; a call
 * re-reads only those, then computes each figure against `now` with `recordUptime`, the very
 * function `Store.uptime` uses, so the figures equal a fresh `Store.uptime(ids, [24 h], now)`.
 * Maintenance windows are kept the same way (re-read after any window change).
 */
export interface UptimeKeeper {
  /**
   * Each kept monitor's 24 h uptime at `now` (null: nothing observed). The map is the
   * keeper's own, updated by the next call: read it before awaiting anything else.
   */
  dayUptime(now: number): Promise<ReadonlyMap<string, number | null>>;
  batchCommitted(batch: CommittedBatchFacts): void;
  /** Created, changed, paused, resumed or deleted. */
  monitorChanged(monitorId: string): void;
  maintenanceChanged(): void;
  /** Anything may have changed unannounced (a follower lost its bus): read everything again. */
  reload(): void;
}

type RecordSource = Pick<Store, 'uptimeRecords' | 'listMaintenanceWindows'>;

export function createUptimeKeeper(store: RecordSource): UptimeKeeper {
  const records = new Map<string, UptimeRecord>();
  /** Which monitor each kept incident belongs to, so a change named only by id finds it. */
  const incidentMonitor = new Map<string, string>();
  /** Monitors to re-read, with the invalidation count when they were marked. */
  const dirty = new Map<string, number>();
  let invalidations = 0;
  // Everything is read on first use, and again if an incident no record holds changes.
  let everything = true;
  let windowsStale = true;
  let windows: readonly MaintenanceWindow[] = [];
  let refreshing: Promise<void> | undefined;
  /**
   * Each kept monitor's figure. Most monitors' never changes with time — no incident, pause
   * or window in their record, created before it was read: 100 % until an event says
   * otherwise — so only the others (`moving`) are computed per call.
   */
  const figures = new Map<string, number | null>();
  const moving = new Set<string>();

  function mark(monitorId: string): void {
    invalidations += 1;
    dirty.set(monitorId, invalidations);
  }

  /** Replaces a monitor's record (none: it is gone), keeping the incident ids it holds findable. */
  function replace(id: string, record: UptimeRecord | undefined): void {
    for (const incident of records.get(id)?.incidents ?? []) incidentMonitor.delete(incident.id);
    if (record === undefined) {
      records.delete(id);
      figures.delete(id);
      moving.delete(id);
      return;
    }
    records.set(id, record);
    for (const incident of record.incidents) incidentMonitor.set(incident.id, id);
  }

  /** Whether the figure moves with time; a still one is computed here, once. */
  function classify(id: string, record: UptimeRecord, now: number): void {
    const subject = { kind: 'monitor', id, group: record.group, tags: record.tags } as const;
    const still =
      record.incidents.length === 0 &&
      record.pauses.length === 0 &&
      record.createdAt < now &&
      !windows.some((w) => covers(w.scope, subject));
    if (!still) {
      moving.add(id);
      return;
    }
    moving.delete(id);
    figures.set(id, recordUptime(record, [], DAY, now)[0]?.uptime ?? null);
  }

  async function refresh(now: number): Promise<void> {
    const startedAt = invalidations;
    const all = everything;
    const ids = [...dirty.keys()];
    const readWindows = windowsStale;
    everything = false;
    windowsStale = false;
    try {
      const since = now - DAY_MS;
      const [read, nextWindows] = await Promise.all([
        store.uptimeRecords(all ? null : ids, since),
        readWindows ? store.listMaintenanceWindows() : Promise.resolve(windows),
      ]);
      windows = nextWindows;
      const gone = all ? [...records.keys()].filter((id) => !read.has(id)) : [];
      const replaced = [...gone, ...(all ? read.keys() : ids)];
      for (const id of replaced) replace(id, read.get(id));
      for (const id of readWindows ? records.keys() : replaced) {
        const record = records.get(id);
        if (record !== undefined) classify(id, record, now);
      }
    } catch (error) {
      everything ||= all;
      windowsStale ||= readWindows;
      throw error;
    }
    // Marked again while the read ran: the read may predate the change, keep it dirty.
    for (const id of ids) if ((dirty.get(id) ?? 0) <= startedAt) dirty.delete(id);
  }

  return {
    async dayUptime(now) {
      if (refreshing !== undefined) await refreshing;
      if (everything || windowsStale || dirty.size > 0) {
        refreshing ??= refresh(now).finally(() => {
          refreshing = undefined;
        });
        await refreshing;
      }
      // Most installs have no window: no subject to build per monitor then.
      const maintenanceOf =
        windows.length === 0 ? null : maintenanceLookup(windows, now - DAY_MS, now);
      for (const id of moving) {
        const record = records.get(id);
        if (record === undefined) continue;
        const maintenance =
          maintenanceOf?.({ kind: 'monitor', id, group: record.group, tags: record.tags }) ?? [];
        figures.set(id, recordUptime(record, maintenance, DAY, now)[0]?.uptime ?? null);
      }
      return figures;
    },
    batchCommitted(batch) {
      for (const incident of batch.incidentsOpened) {
        incidentMonitor.set(incident.id, incident.monitorId);
        mark(incident.monitorId);
      }
      const changed = [
        ...(batch.incidentsUpdated ?? []),
        ...batch.incidentsResolved,
        ...(batch.incidentsRetracted ?? []),
      ];
      for (const { id } of changed) {
        const monitorId = incidentMonitor.get(id);
        if (monitorId === undefined) everything = true;
        else mark(monitorId);
      }
    },
    monitorChanged: mark,
    maintenanceChanged() {
      windowsStale = true;
    },
    reload() {
      everything = true;
      windowsStale = true;
    },
  };
}
