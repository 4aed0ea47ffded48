import type { IncidentVerdict } from './consensus.ts';

// Incidents grouped by a cause they visibly share: when many monitors fail together behind one
// host, resolver, region or configured group, the people on call get one page that lists them.

/**
 * What failing monitors can visibly share: the host (or IP) they target, the DNS resolver they
 * ask, the region a regional verdict names, or the group a user put them in.
 */
export type SharedCauseKind = 'region' | 'host' | 'resolver' | 'group';

/** Which kind wins when a monitor shares several causes with as many failing peers. */
export const SHARED_CAUSE_KINDS: readonly SharedCauseKind[] = [
  'region',
  'host',
  'resolver',
  'group',
];

export interface SharedCause {
  kind: SharedCauseKind;
  /** The host name or IP, the resolver address, the sorted regions joined by `,`, or the group. */
  value: string;
}

/** One string per cause, for maps and for the stored row. */
export function sharedCauseKey(cause: SharedCause): string {
  return `${cause.kind}:${cause.value}`;
}

/** A monitor's incident inside a group. */
export interface CauseGroupMember {
  monitorId: string;
  /** The monitor's name when it joined (kept so the history still reads after a rename). */
  name: string;
  incidentId: string;
  joinedAt: number;
  /** When its incident resolved or was retracted; null while it is still down. */
  endedAt: number | null;
  /** `retracted` when its incident turned out not to be an outage. */
  ended: 'recovered' | 'retracted' | null;
}

/**
 * `collecting`: its first member's page waits (bounded) for others failing with it.
 * `paged`: its one page per route went out; later members join without a page.
 * `dissolved`: too few joined: each member paged on its own. `closed`: every member ended.
 */
export type CauseGroupState = 'collecting' | 'paged' | 'dissolved' | 'closed';

export interface CauseGroup {
  id: string;
  cause: SharedCause;
  verdict: IncidentVerdict;
  /** The regions of a regional group (sorted); empty for `down`. */
  regions: string[];
  state: CauseGroupState;
  openedAt: number;
  /** The latest a collecting group decides. */
  decideBy: number;
  /** When its page was decided (null until then). */
  pagedAt: number | null;
  /** When its latest member joined: a paged group takes new members for a window after it. */
  lastJoinAt: number;
  closedAt: number | null;
  /** Route keys its page went to, so a member bringing a new route pages only that route. */
  pagedRoutes: string[];
  members: CauseGroupMember[];
}

/** How grouping decides; the coordinator's `--group-*` flags. */
export interface GroupingSettings {
  /** The longest the first page of a group waits for others failing with it. */
  waitMs: number;
  /** A paged group takes new members silently while its latest join is at most this old. */
  windowMs: number;
  /** Fewer members than this and the group dissolves: each pages on its own. 0 turns grouping off. */
  minMonitors: number;
}

export const DEFAULT_GROUPING: GroupingSettings = {
  waitMs: 30_000,
  windowMs: 5 * 60_000,
  minMonitors: 2,
};

/** How many monitors a group's page names before it says "and N more". */
export const GROUP_PAGE_LISTED = 10;

/** The group's headline: "37 monitors down on db.internal", "12 monitors down in us-east". */
export function causeGroupTitle(
  group: Pick<CauseGroup, 'cause' | 'verdict'> & { members: readonly unknown[] },
): string {
  const count = group.members.length;
  const what = `${count} monitor${count === 1 ? '' : 's'} ${group.verdict === 'down' ? 'down' : 'failing'}`;
  switch (group.cause.kind) {
    case 'region':
      return `${what} in ${group.cause.value.split(',').join(', ')}`;
    case 'host':
      return `${what} on ${group.cause.value}`;
    case 'resolver':
      return `${what} behind resolver ${group.cause.value}`;
    case 'group':
      return `${what} in group ${group.cause.value}`;
  }
}

/** A group as stored: its members are the incidents that name it. */
export type CauseGroupRecord = Omit<CauseGroup, 'members'>;

/** A stored member as a restart reloads it (names come from the live monitors). */
export interface StoredGroupMember {
  monitorId: string;
  incidentId: string;
  /** When its incident opened (its join time is not kept apart). */
  openedAt: number;
  endedAt: number | null;
  ended: 'recovered' | 'retracted' | null;
}

/** A group with its members, as a restart reloads it and the API shows it. */
export interface StoredCauseGroup {
  group: CauseGroupRecord;
  members: StoredGroupMember[];
}

/** A group as people read it: its headline and members, newest state of each. */
export interface CauseGroupView extends CauseGroupRecord {
  title: string;
  /** How many incidents it holds. */
  count: number;
  /** Its members in the order they joined, at most `limit` of them. */
  members: {
    incidentId: string;
    monitorId: string;
    monitorName: string;
    openedAt: number;
    endedAt: number | null;
    ended: 'recovered' | 'retracted' | null;
  }[];
}
