import type { Kysely } from 'kysely';
import type { IncidentSpan, UptimeRecord } from '../../domain/uptime.ts';
import { recordUptime } from '../../domain/uptime.ts';
import { maintenanceLookup } from '../../maintenance/windows.ts';
import type { UptimeSummary } from '../types.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import { parseStringArray } from './json-column.ts';
import { listWindows } from './maintenance.ts';
import type { Database } from './schema.ts';

/**
 * Uptime per window [now − window, now) for each monitor, from confirmed downtime (the pure
 * rule is `domain/uptime.ts`, `recordUptime`). Reads each monitor's creation time, the
 * incidents overlapping the longest window (few: written only when a quorum confirmed) and
 * the pauses overlapping it; never results, so one node's failures without an incident leave
 * uptime at 100 %. Retracted incidents are left out by `status <> 'retracted'`. Time in a
 * maintenance window covering the monitor counts like a pause: neither observed nor down.
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
  const { records, windows } = await db.transaction().execute(async (trx) => ({
    records: await readUptimeRecords(trx, only, earliest, now),
    windows: await listWindows(trx),
  }));
  const maintenanceOf = maintenanceLookup(windows, earliest, now);
  const summaries = new Map<string, UptimeSummary[]>();
  for (const id of ids) {
    const record = records.get(id);
    const maintenance =
      record === undefined
        ? []
        : maintenanceOf({ kind: 'monitor', id, group: record.group, tags: record.tags });
    summaries.set(id, recordUptime(record, maintenance, windowsMs, now));
  }
  return summaries;
}

/** Past this many ids, reading every monitor beats preparing IN lists of thousands of ids. */
const READ_ALL_MONITORS_ABOVE = 500;

/**
 * What uptime is computed from, per monitor of `only` (every monitor when null): incidents
 * and pauses overlapping [from, until) — with no `until`, every one from `from` on, so a kept
 * record stays right as time passes. Read in the caller's transaction.
 */
export async function readUptimeRecords(
  db: Kysely<Database>,
  only: readonly string[] | null,
  from: number,
  until = Infinity,
): Promise<Map<string, UptimeRecord>> {
  const created = await createdAt(db, only);
  const incidents = await incidentSpans(db, from, until, only);
  const pauses = await pauseIntervals(db, from, until, only);
  const records = new Map<string, UptimeRecord>();
  for (const [id, monitor] of created) {
    records.set(id, {
      createdAt: monitor.createdAt,
      group: monitor.group,
      tags: monitor.tags,
      incidents: incidents.get(id) ?? [],
      pauses: pauses.get(id) ?? [],
    });
  }
  return records;
}

/** A monitor's creation, and what a maintenance window's scope matches it by. */
interface CreatedMonitor {
  createdAt: number;
  group: string | null;
  tags: string[];
}

async function createdAt(db: Kysely<Database>, only: readonly string[] | null) {
  const created = new Map<string, CreatedMonitor>();
  const chunks = only === null ? [null] : chunked(only, IN_LIST_CHUNK);
  for (const chunk of chunks) {
    let query = db.selectFrom('monitors').select(['id', 'created_at', 'group_name', 'tags']);
    if (chunk !== null) query = query.where('id', 'in', chunk);
    for (const row of await query.execute()) {
      const { group_name: group } = row;
      // Most monitors have no tags: skip the JSON parse for them.
      const tags =
        row.tags === '[]' ? [] : parseStringArray(row.tags, { table: 'monitors', column: 'tags' });
      created.set(row.id, { createdAt: Number(row.created_at), group, tags });
    }
  }
  return created;
}

/** Incidents that overlap [from, until), by monitor (of `only` unless null); an open one runs until now. */
async function incidentSpans(
  db: Kysely<Database>,
  from: number,
  until: number,
  only: readonly string[] | null,
) {
  let query = db.selectFrom('incidents');
  if (only !== null) query = query.where('monitor_id', 'in', only.length === 0 ? [''] : only);
  if (until !== Infinity) query = query.where('started_at', '<', until);
  const rows = await query
    .select(['id', 'monitor_id', 'started_at', 'down_since', 'ended_at', 'named_regions'])
    .where('status', '<>', 'retracted')
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
    .execute();
  const spans = new Map<string, (IncidentSpan & { id: string })[]>();
  for (const row of rows) {
    const list = spans.get(row.monitor_id) ?? [];
    list.push({
      id: row.id,
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

/** Pauses that overlap [from, until), by monitor (of `only` unless null); an ongoing one has `to: null`. */
async function pauseIntervals(
  db: Kysely<Database>,
  from: number,
  until: number,
  only: readonly string[] | null,
) {
  let query = db.selectFrom('monitor_pauses');
  if (only !== null) query = query.where('monitor_id', 'in', only.length === 0 ? [''] : only);
  if (until !== Infinity) query = query.where('paused_at', '<', until);
  const rows = await query
    .select(['monitor_id', 'paused_at', 'resumed_at'])
    .where((eb) => eb.or([eb('resumed_at', 'is', null), eb('resumed_at', '>', from)]))
    .execute();
  const pauses = new Map<string, { from: number; to: number | null }[]>();
  for (const row of rows) {
    const list = pauses.get(row.monitor_id) ?? [];
    list.push({
      from: Number(row.paused_at),
      to: row.resumed_at === null ? null : Number(row.resumed_at),
    });
    pauses.set(row.monitor_id, list);
  }
  return pauses;
}
