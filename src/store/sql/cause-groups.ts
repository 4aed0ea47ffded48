import type { Kysely, Selectable } from 'kysely';
import { OPENING_ALERT_KINDS } from '../../domain/alert.ts';
import type {
  CauseGroupRecord,
  CauseGroupState,
  StoredCauseGroup,
  StoredGroupMember,
} from '../../domain/cause-group.ts';
import { SHARED_CAUSE_KINDS } from '../../domain/cause-group.ts';
import type { GroupingWrites } from '../ingest-batch.ts';
import { insertDeliveries } from './deliveries.ts';
import { insertFollowUps } from './follow-ups.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import type { ColumnRef } from './json-column.ts';
import { oneOf, parseStringArray } from './json-column.ts';
import type { CauseGroupsTable, Database } from './schema.ts';
import { INCIDENT_VERDICTS } from './consensus-rows.ts';

// Incidents grouped by a shared cause: the group rows, their members (the incidents naming
// them), held pages released, and the groups' own pages, all in the caller's transaction.

const STATES: readonly CauseGroupState[] = ['collecting', 'paged', 'dissolved', 'closed'];
const OPEN_STATES: readonly CauseGroupState[] = ['collecting', 'paged'];
const col = (column: string): ColumnRef => ({ table: 'cause_groups', column });

/** Writes a batch's grouping changes; replays change nothing twice (ids and keys are stable). */
export async function writeGrouping(db: Kysely<Database>, writes: GroupingWrites): Promise<void> {
  for (const group of writes.groups) {
    const row = groupToRow(group);
    await db
      .insertInto('cause_groups')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
  // One statement per group and chunk: a mass outage joins tens of thousands at once.
  for (const [groupId, joins] of Map.groupBy(writes.joined, (j) => j.groupId)) {
    const incidentIds = joins.map((j) => j.incidentId);
    for (const ids of chunked(incidentIds, IN_LIST_CHUNK))
      await db
        .updateTable('incidents')
        .set({ cause_group_id: groupId })
        .where('id', 'in', ids)
        .execute();
  }
  for (const [first, ...rest] of Map.groupBy(
    writes.released,
    (r) => `${r.status}:${r.at}`,
  ).values()) {
    if (first === undefined) continue;
    const incidentIds = [first, ...rest].map((r) => r.incidentId);
    for (const ids of chunked(incidentIds, IN_LIST_CHUNK))
      await db
        .updateTable('alert_deliveries')
        .set(
          first.status === 'suppressed'
            ? { status: 'suppressed', reason: 'grouped' }
            : { status: 'pending', next_attempt_at: first.at },
        )
        .where('incident_id', 'in', ids)
        .where('status', '=', 'held')
        .where('kind', 'in', [...OPENING_ALERT_KINDS])
        .execute();
  }
  await insertDeliveries(db, writes.alerts);
  // After the group's pages: its closing follows them.
  await insertFollowUps(db, writes.followUps);
}

function groupToRow(group: CauseGroupRecord): Selectable<CauseGroupsTable> {
  return {
    id: group.id,
    cause_kind: group.cause.kind,
    cause_value: group.cause.value,
    verdict: group.verdict,
    regions: JSON.stringify(group.regions),
    state: group.state,
    opened_at: group.openedAt,
    decide_by: group.decideBy,
    paged_at: group.pagedAt,
    last_join_at: group.lastJoinAt,
    closed_at: group.closedAt,
    paged_routes: JSON.stringify(group.pagedRoutes),
  };
}

function rowToGroup(row: Selectable<CauseGroupsTable>): CauseGroupRecord {
  return {
    id: row.id,
    cause: {
      kind: oneOf(row.cause_kind, SHARED_CAUSE_KINDS, col('cause_kind')),
      value: row.cause_value,
    },
    verdict: oneOf(row.verdict, INCIDENT_VERDICTS, col('verdict')),
    regions: parseStringArray(row.regions, col('regions')),
    state: oneOf(row.state, STATES, col('state')),
    openedAt: row.opened_at,
    decideBy: row.decide_by,
    pagedAt: row.paged_at,
    lastJoinAt: row.last_join_at,
    closedAt: row.closed_at,
    pagedRoutes: parseStringArray(row.paged_routes, col('paged_routes')),
  };
}

interface MemberRow {
  id: string;
  monitor_id: string;
  cause_group_id: string | null;
  opened_at: number;
  status: string;
  resolved_at: number | null;
  retracted_at: number | null;
}

function rowToMember(row: MemberRow): StoredGroupMember {
  const ended =
    row.status === 'retracted' ? 'retracted' : row.status === 'resolved' ? 'recovered' : null;
  return {
    monitorId: row.monitor_id,
    incidentId: row.id,
    openedAt: row.opened_at,
    endedAt: ended === 'retracted' ? row.retracted_at : ended === null ? null : row.resolved_at,
    ended,
  };
}

const MEMBER_COLUMNS = [
  'id',
  'monitor_id',
  'cause_group_id',
  'opened_at',
  'status',
  'resolved_at',
  'retracted_at',
] as const;

/** Groups still collecting or paged, with their members, as a restarted coordinator resumes them. */
export async function openCauseGroups(db: Kysely<Database>): Promise<StoredCauseGroup[]> {
  const groups = await db
    .selectFrom('cause_groups')
    .selectAll()
    .where('state', 'in', [...OPEN_STATES])
    .orderBy('opened_at')
    .execute();
  if (groups.length === 0) return [];
  const members = await db
    .selectFrom('incidents')
    .select([...MEMBER_COLUMNS])
    .where(
      'cause_group_id',
      'in',
      groups.map((g) => g.id),
    )
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
  return groups.map((row) => ({
    group: rowToGroup(row),
    members: members.filter((m) => m.cause_group_id === row.id).map(rowToMember),
  }));
}

/** One group with its members (oldest first); undefined when there is none. */
export async function getCauseGroup(
  db: Kysely<Database>,
  id: string,
): Promise<StoredCauseGroup | undefined> {
  const row = await db
    .selectFrom('cause_groups')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const members = await db
    .selectFrom('incidents')
    .select([...MEMBER_COLUMNS])
    .where('cause_group_id', '=', id)
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
  return { group: rowToGroup(row), members: members.map(rowToMember) };
}
