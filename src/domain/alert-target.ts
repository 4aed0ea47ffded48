/** A message template of a target: Liquid sources for the title and the body. */
export interface MessageTemplate {
  title?: string;
  body?: string;
}

/** A named, stored channel instance (`ops-slack`) that monitors, groups, tags and nodes route to. */
export interface AlertTarget {
  id: string;
  /** The stable key people and config files use; unique. */
  name: string;
  /** The channel type (`slack`, `webhook`…). */
  type: string;
  /** The channel's validated settings, secrets included (never shown: see `redactChannelSettings`). */
  settings: Record<string, unknown>;
  template: MessageTemplate | null;
  createdAt: number;
  updatedAt: number;
}

/** Every event a route can subscribe to. */
export const ROUTED_EVENTS = [
  'down',
  'regional',
  'recovered',
  'retracted',
  'flapping',
  'degraded',
  'degraded-ended',
  'node-missing',
  'node-online',
  'node-impaired',
  'node-healthy',
] as const;

export type RoutedEvent = (typeof ROUTED_EVENTS)[number];

/**
 * What a monitor route hears when it names no events: confirmed outages, their end, flapping.
 * Degraded episodes are opt-in: a route hears them only when it names them.
 */
export const DEFAULT_MONITOR_EVENTS: readonly RoutedEvent[] = [
  'down',
  'recovered',
  'retracted',
  'flapping',
];

/** What a node route hears when it names no events: every node transition. */
export const DEFAULT_NODE_EVENTS: readonly RoutedEvent[] = [
  'node-missing',
  'node-online',
  'node-impaired',
  'node-healthy',
];

/** The events of monitors (every routed event but the node ones): what routing rules name. */
export const MONITOR_EVENTS: readonly RoutedEvent[] = ROUTED_EVENTS.filter(
  (event) => !DEFAULT_NODE_EVENTS.includes(event),
);

/**
 * Bounds of a route's repeat and escalation delays, in ms. The shortest is 10 s: short enough
 * to prove re-notify end to end, and still ten ticks of the timed-pages runner (1 s), so a page
 * is at most a tenth of its period late.
 */
export const PAGE_DELAY_MIN_MS = 10_000;
export const PAGE_DELAY_MAX_MS = 7 * 86_400_000;

/**
 * One route to a target. `events` null means the defaults for where it is attached. A route
 * with `escalateAfterMs` is an escalation step: it is paged only when an incident is still open
 * and unacknowledged that long after it began. `repeatEveryMs` re-pages while the incident stays
 * open and unacknowledged.
 */
export interface TargetRoute {
  target: string;
  events: RoutedEvent[] | null;
  repeatEveryMs: number | null;
  escalateAfterMs: number | null;
}

/**
 * A route that carries its channel settings itself. Monitors and node alerts stored before
 * targets existed had these (migration 0012 turned them into targets); the API still takes one
 * as a shorthand (`--webhook URL`) and turns it into a target before it is stored.
 */
export interface InlineRoute {
  channel: string;
  settings: Record<string, unknown>;
}

export type AlertRoute = TargetRoute | InlineRoute;

/** One line for people: `ops-slack (down, recovered; repeat every 30m)` or `webhook`. */
export function describeRoute(route: AlertRoute, formatMs: (ms: number) => string): string {
  if (!isTargetRoute(route)) return route.channel;
  const parts: string[] = [];
  if (route.events !== null) parts.push(route.events.join(', '));
  if (route.repeatEveryMs !== null) parts.push(`repeat every ${formatMs(route.repeatEveryMs)}`);
  if (route.escalateAfterMs !== null)
    parts.push(`escalate after ${formatMs(route.escalateAfterMs)}`);
  return parts.length === 0 ? route.target : `${route.target} (${parts.join('; ')})`;
}

/** True for a route that names a stored target. */
export function isTargetRoute(route: AlertRoute): route is TargetRoute {
  return 'target' in route;
}

/**
 * Where a rule attaches routes: every monitor of a group or tag, or every monitor without a
 * route of its own for the event (`default`). Node alerts have their own route list.
 */
export type AlertRuleScope =
  { kind: 'group'; group: string } | { kind: 'tag'; tag: string } | { kind: 'default' };

/** A stored routing rule: a route attached to a scope. */
export interface AlertRule extends TargetRoute {
  id: string;
  scope: AlertRuleScope;
  createdAt: number;
}
