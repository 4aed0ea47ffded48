import type { Kysely } from 'kysely';
import type { IncidentSpan, Interval } from '../../domain/uptime.ts';
import { monitorUptime } from '../../domain/uptime.ts';
import type { MaintenanceSubject } from '../../domain/maintenance.ts';
import { maintenanceIntervals } from '../../maintenance/windows.ts';
import type { UptimeSummary } from '../types.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import { parseStringArray } from './json-column.ts';
import { listWindows } from './maintenance.ts';
import type { Database } from './schema.ts';

/**
 * Uptime per window [now − window, now) for each monitor, from confirmed downtime (the pure
 * rule is `domain/uptime.ts`). Reads each monitor's creation time, the incidents overlapping
 * the longest window (few: written only when a quorum confirmed) and the pauses overlapping
 * it; never results, so one node's failures without an incident leave uptime at 100 %.
 * Retracted incidents are left out by `status <> 'retracted'`. Time in a maintenance window
 * covering the monitor counts like a pause: neither observed nor down.
 */
export async function uptime(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  windowsMs: readonly number[],
  now: number,
): Promise<Map<string, UptimeSummary[]>> {
  const ids = [...new Set(monitorIds)];
  const earliest = now - Math.max(0, ...windowsMs);
  // A few monitors (a dashboard page) read only their own incidents and pauses, so the cost
  // follows them, not every monitor's history.
  const only = ids.length > READ_ALL_MONITORS_ABOVE ? null : ids;
  const { created, incidents, pauses, windows } = await db.transaction().execute(async (trx) => ({
    created: await createdAt(trx, ids),
    incidents: await incidentSpans(trx, earliest, now, only),
    pauses: await pauseIntervals(trx, earliest, now, only),
    windows: await listWindows(trx),
  }));
  const summaries = new Map<string, UptimeSummary[]>();
  for (const id of ids) {
    // An unknown monitor was never observed: its uptime is null.
    const monitor = created.get(id);
    const observedFrom = monitor?.createdAt ?? Infinity;
    const maintenance =
      windows.length === 0 || monitor === undefined
        ? []
        : maintenanceIntervals(windows, subjectOf(id, monitor), earliest, now);
    const paused = [...(pauses.get(id) ?? []), ...maintenance];
    summaries.set(
      id,
      windowsMs.map((w) =>
        monitorUptime({ from: now - w, to: now }, observedFrom, paused, incidents.get(id) ?? []),
      ),
    );
  }
  return summaries;
}

/** Past this many ids, reading every monitor beats preparing IN lists of thousands of ids. */
const READ_ALL_MONITORS_ABOVE = 500;

/** A monitor's creation, and what a maintenance window's scope matches it by (tags as JSON). */
interface CreatedMonitor {
  createdAt: number;
  group: string | null;
  tags: string;
}

/** Tags are parsed only when some window exists: most installs have none. */
function subjectOf(id: string, monitor: CreatedMonitor): MaintenanceSubject {
  const tags = parseStringArray(monitor.tags, { table: 'monitors', column: 'tags' });
  return { kind: 'monitor', id, group: monitor.group, tags };
}

async function createdAt(db: Kysely<Database>, ids: readonly string[]) {
  const created = new Map<string, CreatedMonitor>();
  const chunks = ids.length > READ_ALL_MONITORS_ABOVE ? [null] : chunked(ids, IN_LIST_CHUNK);
  for (const chunk of chunks) {
    let query = db.selectFrom('monitors').select(['id', 'created_at', 'group_name', 'tags']);
    if (chunk !== null) query = query.where('id', 'in', chunk);
    for (const row of await query.execute()) {
      const { group_name: group, tags } = row;
      created.set(row.id, { createdAt: Number(row.created_at), group, tags });
    }
  }
  return created;
}

/** Incidents that overlap [from, now), by monitor (of `only` unless null); an open one runs until now. */
async function incidentSpans(
  db: Kysely<Database>,
  from: number,
  now: number,
  only: readonly string[] | null,
) {
  let query = db.selectFrom('incidents');
  if (only !== null) query = query.where('monitor_id', 'in', only.length === 0 ? [''] : only);
  const rows = await query
    .select(['id', 'monitor_id', 'started_at', 'down_since', 'ended_at', 'named_regions'])
    .where('status', '<>', 'retracted')
    .where('started_at', '<', now)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
    .execute();
  const spans = new Map<string, IncidentSpan[]>();
  for (const row of rows) {
    const list = spans.get(row.monitor_id) ?? [];
    list.push({
      startedAt: Number(row.started_at),
      downSince: row.down_since === null ? null : Number(row.down_since),
      endedAt: row.ended_at === null ? null : Number(row.ended_at),
      regions:
        row.named_regions === '[]'
          ? []
          : parseStringArray(row.named_regions, { table: 'incidents', column: 'named_regions' }),
    });
    spans.set(row.monitor_id, list);
  }
  return spans;
}

/** Pauses that overlap [from, now), by monitor (of `only` unless null); an ongoing one runs until now. */
async function pauseIntervals(
  db: Kysely<Database>,
  from: number,
  now: number,
  only: readonly string[] | null,
) {
  let query = db.selectFrom('monitor_pauses');
  if (only !== null) query = query.where('monitor_id', 'in', only.length === 0 ? [''] : only);
  const rows = await query
    .select(['monitor_id', 'paused_at', 'resumed_at'])
    .where('paused_at', '<', now)
    .where((eb) => eb.or([eb('resumed_at', 'is', null), eb('resumed_at', '>', from)]))
    .execute();
  const pauses = new Map<string, Interval[]>();
  for (const row of rows) {
    const list = pauses.get(row.monitor_id) ?? [];
    list.push({
      from: Number(row.paused_at),
      to: row.resumed_at === null ? now : Number(row.resumed_at),
    });
    pauses.set(row.monitor_id, list);
  }
  return pauses;
}
