import type { IncidentVerdict } from '../domain/consensus.ts';
import type {
  CauseGroup,
  CauseGroupMember,
  GroupingSettings,
  SharedCause,
} from '../domain/cause-group.ts';
import { SHARED_CAUSE_KINDS, sharedCauseKey } from '../domain/cause-group.ts';

// One page per shared cause (no I/O, no clock of its own). A confirmed incident that would page
// joins a group when others sharing its host, resolver, region or group are failing with it:
// the first page waits (bounded) while they are judged, then one page per route lists them all.
// Later members join without a page (a member bringing a route the group never paged pages
// that route once), and the group's recovery goes out when its last member ends.
//
// The state is updated in place and returned: a mass outage puts 100,000 incidents into a few
// groups, and copying a group per member would make that quadratic.

/** A group member as the grouping needs it: its incident and the routes its page would take. */
export interface GroupedMember extends CauseGroupMember {
  /** Keys of the routes the member's own page would have gone to. */
  routes: readonly string[];
}

export interface GroupView extends Omit<CauseGroup, 'members'> {
  members: GroupedMember[];
  /** Members whose incident has not ended. */
  open: number;
}

/** The open groups (collecting or paged), and which group each member incident is in. */
export interface GroupingState {
  groups: Map<string, GroupView>;
  /** Incident id → its group id and its place among the group's members. */
  memberOf: Map<string, { groupId: string; index: number }>;
}

/** A fresh state holding these (resumed) groups. */
export function groupingState(groups: readonly GroupView[] = []): GroupingState {
  const state: GroupingState = { groups: new Map(), memberOf: new Map() };
  for (const group of groups) {
    state.groups.set(group.id, group);
    group.members.forEach((m, index) =>
      state.memberOf.set(m.incidentId, { groupId: group.id, index }),
    );
  }
  return state;
}

/** A confirmed incident whose opening page would go out now. */
export interface GroupCandidate {
  monitorId: string;
  name: string;
  incidentId: string;
  verdict: IncidentVerdict;
  regions: readonly string[];
  /** What its check shares with others (host, resolver, group); the region is added here. */
  causes: readonly SharedCause[];
  routes: readonly string[];
}

/**
 * How many monitors sharing `cause`, without an open incident yet, some node reports failing or
 * a round is judging: the peers a group's page is worth waiting for.
 */
export type FailingPeers = (cause: SharedCause) => number;

export type GroupingDecision =
  /** No group: the page goes out on its own. */
  | { action: 'alone' }
  /** The group is collecting: the page waits for its decision. */
  | { action: 'hold'; group: GroupView }
  /** The group paged already: this page is recorded `grouped`, except on `newRoutes`. */
  | { action: 'join'; group: GroupView; newRoutes: string[] };

export interface GroupingStep {
  state: GroupingState;
  decision: GroupingDecision;
}

/** The causes a candidate can be grouped by: a regional verdict's regions first. */
export function candidateCauses(candidate: GroupCandidate): SharedCause[] {
  const region: SharedCause[] =
    candidate.verdict === 'regional' && candidate.regions.length > 0
      ? [{ kind: 'region', value: [...candidate.regions].sort().join(',') }]
      : [];
  return [...region, ...candidate.causes];
}

/** Decides where a page that would go out now goes: alone, held for a group, or into one. */
export function groupOpening(
  state: GroupingState,
  candidate: GroupCandidate,
  ctx: { now: number; settings: GroupingSettings; failingPeers: FailingPeers; newId: () => string },
): GroupingStep {
  const alone: GroupingStep = { state, decision: { action: 'alone' } };
  if (ctx.settings.minMonitors === 0) return alone;
  const place = state.memberOf.get(candidate.incidentId);
  const known = place === undefined ? undefined : state.groups.get(place.groupId);
  // An incident pages again within its group only as the group would (the same verdict);
  // an escalation (regional → down) is news the group's page did not carry.
  if (known !== undefined) {
    if (known.verdict !== candidate.verdict) return alone;
    return { state, decision: decisionFor(known, []) };
  }
  const causes = candidateCauses(candidate);
  let target: GroupView | undefined;
  for (const group of state.groups.values()) {
    if (!accepts(group, candidate, causes, ctx.now, ctx.settings)) continue;
    const better =
      target === undefined ||
      group.members.length > target.members.length ||
      (group.members.length === target.members.length &&
        priority(group.cause) < priority(target.cause));
    if (better) target = group;
  }
  if (target !== undefined) return join(state, target, candidate, ctx.now);
  const cause = busiestCause(causes, ctx.failingPeers);
  if (cause === null) return alone;
  const group: GroupView = {
    id: ctx.newId(),
    cause,
    verdict: candidate.verdict,
    regions: candidate.verdict === 'regional' ? [...candidate.regions].sort() : [],
    state: 'collecting',
    openedAt: ctx.now,
    decideBy: ctx.now + ctx.settings.waitMs,
    pagedAt: null,
    lastJoinAt: ctx.now,
    closedAt: null,
    pagedRoutes: [],
    members: [],
    open: 0,
  };
  state.groups.set(group.id, group);
  addMember(state, group, candidate, ctx.now);
  return { state, decision: { action: 'hold', group } };
}

function accepts(
  group: GroupView,
  candidate: GroupCandidate,
  causes: readonly SharedCause[],
  now: number,
  settings: GroupingSettings,
): boolean {
  if (group.verdict !== candidate.verdict) return false;
  const regions = [...candidate.regions].sort().join(',');
  if (group.verdict === 'regional' && group.regions.join(',') !== regions) return false;
  const key = sharedCauseKey(group.cause);
  if (!causes.some((c) => sharedCauseKey(c) === key)) return false;
  if (group.state === 'collecting') return true;
  return group.state === 'paged' && now - group.lastJoinAt <= settings.windowMs;
}

function priority(cause: SharedCause): number {
  return SHARED_CAUSE_KINDS.indexOf(cause.kind);
}

/** The cause with the most failing peers (at least one); ties go to the earlier kind. */
function busiestCause(
  causes: readonly SharedCause[],
  failingPeers: FailingPeers,
): SharedCause | null {
  let best: SharedCause | null = null;
  let bestCount = 0;
  for (const cause of causes) {
    const count = failingPeers(cause);
    if (count === 0) continue;
    const better =
      best === null ||
      count > bestCount ||
      (count === bestCount && priority(cause) < priority(best));
    if (!better) continue;
    best = cause;
    bestCount = count;
  }
  return best;
}

function addMember(
  state: GroupingState,
  group: GroupView,
  candidate: GroupCandidate,
  now: number,
): void {
  state.memberOf.set(candidate.incidentId, { groupId: group.id, index: group.members.length });
  group.members.push({
    monitorId: candidate.monitorId,
    name: candidate.name,
    incidentId: candidate.incidentId,
    joinedAt: now,
    endedAt: null,
    ended: null,
    routes: [...candidate.routes],
  });
  group.open++;
  group.lastJoinAt = now;
}

function join(
  state: GroupingState,
  group: GroupView,
  candidate: GroupCandidate,
  now: number,
): GroupingStep {
  const paged = new Set(group.pagedRoutes);
  const newRoutes = group.state === 'paged' ? candidate.routes.filter((r) => !paged.has(r)) : [];
  group.pagedRoutes = [...group.pagedRoutes, ...newRoutes];
  addMember(state, group, candidate, now);
  return { state, decision: decisionFor(group, newRoutes) };
}

function decisionFor(group: GroupView, newRoutes: string[]): GroupingDecision {
  return group.state === 'paged' ? { action: 'join', group, newRoutes } : { action: 'hold', group };
}

/** Takes a group out of the open ones (it closed or dissolved). */
function remove(state: GroupingState, group: GroupView): void {
  state.groups.delete(group.id);
  for (const member of group.members) state.memberOf.delete(member.incidentId);
}

/** What ending a member did to its group: the group as it now stands, and whether it closed. */
export interface MemberEndStep {
  state: GroupingState;
  group: GroupView | null;
  /** The group's last member ended after its page: its recovery goes out now. */
  closed: boolean;
}

/**
 * A member's incident resolved or was retracted (or its monitor was removed: `recovered`).
 * A collecting group keeps the member (it was down: the group's page still names it).
 */
export function groupMemberEnded(
  state: GroupingState,
  incidentId: string,
  at: number,
  ended: 'recovered' | 'retracted',
): MemberEndStep {
  const place = state.memberOf.get(incidentId);
  const group = place === undefined ? undefined : state.groups.get(place.groupId);
  const member = place === undefined ? undefined : group?.members[place.index];
  if (group === undefined || member === undefined || member.ended !== null)
    return { state, group: null, closed: false };
  group.members[place?.index ?? 0] = { ...member, endedAt: at, ended };
  group.open--;
  const closes = group.state === 'paged' && group.open === 0;
  if (closes) {
    group.state = 'closed';
    group.closedAt = at;
    remove(state, group);
  }
  return { state, group, closed: closes };
}

/** What a tick decided for collecting groups. */
export interface GroupingTick {
  state: GroupingState;
  /** Groups that page now, with the routes their page goes to. */
  formed: { group: GroupView; routes: string[] }[];
  /** Groups too small: each member's held page goes out on its own. */
  dissolved: GroupView[];
  /**
   * Groups whose members have all ended: formed now with every member gone already, or paged
   * groups left open by a restart. Their recovery follows at once.
   */
  closed: GroupView[];
}

/**
 * Collecting groups decide when their wait is over or no peer is being judged any more: enough
 * members and the group pages once per route its members would have paged; too few and it
 * dissolves.
 */
export function groupingTick(
  state: GroupingState,
  ctx: { now: number; settings: GroupingSettings; failingPeers: FailingPeers },
): GroupingTick {
  const result: GroupingTick = { state, formed: [], dissolved: [], closed: [] };
  for (const group of [...state.groups.values()]) {
    // A paged group whose last member ended while its closing was not stored (a restart).
    if (group.state === 'paged' && group.open === 0) {
      closeAt(state, group, ctx.now);
      result.closed.push(group);
      continue;
    }
    if (group.state !== 'collecting') continue;
    if (ctx.now < group.decideBy && ctx.failingPeers(group.cause) > 0) continue;
    if (group.members.length < Math.max(ctx.settings.minMonitors, 1)) {
      group.state = 'dissolved';
      group.closedAt = ctx.now;
      remove(state, group);
      result.dissolved.push(group);
      continue;
    }
    const routes = [...new Set(group.members.flatMap((m) => m.routes))];
    group.state = 'paged';
    group.pagedAt = ctx.now;
    group.pagedRoutes = routes;
    result.formed.push({ group, routes });
    if (group.open === 0) {
      closeAt(state, group, ctx.now);
      result.closed.push(group);
    }
  }
  return result;
}

function closeAt(state: GroupingState, group: GroupView, at: number): void {
  group.state = 'closed';
  group.closedAt = at;
  remove(state, group);
}

/** A removed monitor's memberships end (recovered): its group must not wait for it forever. */
export function groupMonitorRemoved(
  state: GroupingState,
  monitorId: string,
  at: number,
): MemberEndStep[] {
  const steps: MemberEndStep[] = [];
  for (const group of [...state.groups.values()]) {
    for (const member of group.members) {
      if (member.monitorId !== monitorId || member.ended !== null) continue;
      steps.push(groupMemberEnded(state, member.incidentId, at, 'recovered'));
    }
  }
  return steps;
}

/** `retracted` when every member was retracted (none was an outage), else `recovered`. */
export function closingKind(group: GroupView): 'recovered' | 'retracted' {
  return group.members.every((m) => m.ended === 'retracted') ? 'retracted' : 'recovered';
}
