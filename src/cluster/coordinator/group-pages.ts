import type { ResolvedRoute } from '../../alerts/routing.ts';
import type { TimedPage } from '../../alerts/timed-pages.ts';
import type { AlertDelivery, AlertGroup, MonitorAlertEvent } from '../../domain/alert.ts';
import type { CauseGroupRecord, SharedCause, StoredCauseGroup } from '../../domain/cause-group.ts';
import { GROUP_PAGE_LISTED, causeGroupTitle } from '../../domain/cause-group.ts';
import type { CheckType } from '../../domain/check-type.ts';
import type { GroupView } from '../../consensus/cause-grouping.ts';
import { closingKind } from '../../consensus/cause-grouping.ts';
import { formatDuration } from '../../lib/duration.ts';
import type { AlertFollowUp } from '../../store/types.ts';

// A cause group's own pages (pure): one delivery per route that lists its monitors, and the
// closing that names who recovered. The group stands in for the monitor and the incident, so
// every channel renders it unchanged and providers key it by the group's id.

/** Where a route delivers, whichever monitor's list it came from. */
export function routeIdentity(
  route: Pick<ResolvedRoute, 'target' | 'channel' | 'settings'>,
): string {
  return route.target ?? `${route.channel}\u0000${JSON.stringify(route.settings)}`;
}

/** `host db.internal`, `region us-east`… */
export function describeCause(cause: SharedCause): string {
  return `${cause.kind} ${cause.value}`;
}

function listed(group: GroupView): AlertGroup['monitors'] {
  return group.members.slice(0, GROUP_PAGE_LISTED).map((m) => ({ id: m.monitorId, name: m.name }));
}

function names(group: GroupView, detail: (m: GroupView['members'][number]) => string): string {
  const shown = group.members.slice(0, GROUP_PAGE_LISTED).map(detail).join(', ');
  const more = group.members.length - GROUP_PAGE_LISTED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/** "37 monitors down on db.internal: API, Web, … and 27 more". */
export function openingMessage(group: GroupView): string {
  return `${causeGroupTitle(group)}: ${names(group, (m) => m.name)}`;
}

/** "All 3 monitors on db.internal recovered: API (down 4m 2s), …" or with retracted ones. */
export function closingMessage(group: GroupView): string {
  const retracted = group.members.filter((m) => m.ended === 'retracted').length;
  const recovered = group.members.length - retracted;
  const where = causeGroupTitle(group).replace(/ (down|failing) /, ' ');
  const head =
    retracted === 0
      ? `All ${where} recovered`
      : recovered === 0
        ? `Retracted: ${where} were not down`
        : `${recovered} recovered, ${retracted} retracted of ${where}`;
  return `${head}: ${names(group, (m) =>
    m.endedAt === null || m.ended === 'retracted'
      ? m.name
      : `${m.name} (down ${formatDuration(Math.max(0, m.endedAt - m.joinedAt))})`,
  )}`;
}

export interface GroupEventInput {
  group: GroupView;
  /** The check type of its first member (channels show a type). */
  type: CheckType;
  now: number;
}

function groupRef(input: GroupEventInput, kind: MonitorAlertEvent['kind']): MonitorAlertEvent {
  const { group, now } = input;
  const closed = kind === 'recovered' || kind === 'retracted';
  const endedAt = closed ? (group.closedAt ?? now) : null;
  return {
    kind,
    idempotencyKey: `group:${group.id}:${kind}`,
    monitor: {
      id: group.id,
      name: causeGroupTitle(group),
      type: input.type,
      target: group.cause.value,
      group: group.cause.kind === 'group' ? group.cause.value : null,
      tags: [],
    },
    incident: {
      id: group.id,
      startedAt: group.openedAt,
      endedAt,
      durationMs: endedAt === null ? null : endedAt - group.openedAt,
      cause: `shared ${describeCause(group.cause)}`,
    },
    verdict: group.verdict,
    regions: group.regions,
    evidence: [],
    message: closed ? closingMessage(group) : openingMessage(group),
    occurredAt: now,
    group: {
      id: group.id,
      cause: describeCause(group.cause),
      count: group.members.length,
      monitors: listed(group),
    },
  };
}

/** The group's page on each route (idempotent per group, kind and route). */
export function groupPageDeliveries(
  input: GroupEventInput,
  routes: readonly ResolvedRoute[],
  newId: () => string,
): AlertDelivery[] {
  const event = groupRef(input, input.group.verdict);
  return routes.map((route) =>
    delivery(input, route, event, {
      id: newId(),
      key: `${event.idempotencyKey}:${routeIdentity(route)}`,
      reason: 'grouped-page',
    }),
  );
}

function delivery(
  input: GroupEventInput,
  route: Pick<ResolvedRoute, 'target' | 'channel' | 'settings'>,
  event: MonitorAlertEvent,
  stored: { id: string; key: string; reason: string },
): AlertDelivery {
  return {
    id: stored.id,
    deliveryKey: stored.key,
    monitorId: null,
    incidentId: input.group.id,
    nodeId: null,
    followsId: null,
    target: route.target,
    channel: route.channel,
    settings: route.settings,
    event,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: input.now,
    reason: stored.reason,
    lastError: null,
    providerRef: null,
    createdAt: input.now,
    sentAt: null,
  };
}

/** The group's closing: it follows the group's pages on every route they went to. */
export function groupClosing(input: GroupEventInput, idPrefix: string): AlertFollowUp {
  return {
    monitorId: null,
    incidentId: input.group.id,
    event: groupRef(input, closingKind(input.group)),
    idPrefix,
    createdAt: input.now,
  };
}

/**
 * A reminder or escalation of a paged group still unacknowledged, on one route: the group's
 * timed pages stand for its members' (keyed by group, page and route, so stored once).
 */
export function groupTimedPage(input: GroupEventInput, page: TimedPage, id: string): AlertDelivery {
  const { group, now } = input;
  const base = groupRef(input, group.verdict);
  const open = formatDuration(now - (group.pagedAt ?? group.openedAt));
  const title = causeGroupTitle(group);
  const message =
    page.kind === 'escalation'
      ? `Escalated: ${title} for ${open}, not acknowledged`
      : `Still ${title} after ${open}, not acknowledged — reminder ${page.sequence}`;
  const route = routeIdentity(page.route);
  const event: MonitorAlertEvent = {
    ...base,
    idempotencyKey: `group:${group.id}~${page.key}~${route}:${group.verdict}`,
    message,
  };
  return delivery(input, page.route, event, {
    id,
    key: `group:${group.id}:${group.verdict}:${page.key}:${route}`,
    reason: page.kind === 'escalation' ? 'escalation-unacknowledged' : 'repeat-unacknowledged',
  });
}

/** A stored group as the grouping holds it: names from the live monitors, routes as given. */
export function groupViewOf(
  stored: StoredCauseGroup,
  nameOf: (monitorId: string) => string,
  routesOf: (monitorId: string) => readonly string[],
): GroupView {
  return {
    ...stored.group,
    members: stored.members.map((m) => ({
      ...m,
      name: nameOf(m.monitorId),
      joinedAt: m.openedAt,
      routes: routesOf(m.monitorId),
    })),
    open: stored.members.filter((m) => m.ended === null).length,
  };
}

/** The group as stored (its members are the incidents that name it). */
export function groupRecord(group: GroupView): CauseGroupRecord {
  const { members: _members, open: _open, ...record } = group;
  return record;
}
