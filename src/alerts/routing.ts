import type { AlertKind } from '../domain/alert.ts';
import type { AlertRoute, AlertRule, AlertTarget, RoutedEvent } from '../domain/alert-target.ts';
import {
  DEFAULT_MONITOR_EVENTS,
  DEFAULT_NODE_EVENTS,
  isTargetRoute,
} from '../domain/alert-target.ts';
import type { Monitor } from '../domain/monitor.ts';

// Pure routing: which targets hear of an event. Inputs are the monitor, the rules and the
// targets as the caller holds them; no I/O.

/** The targets and rules as the coordinator holds them, reloaded on every change. */
export interface RoutingSnapshot {
  rules: readonly AlertRule[];
  targets: ReadonlyMap<string, AlertTarget>;
}

export const EMPTY_ROUTING: RoutingSnapshot = { rules: [], targets: new Map() };

/** One place an alert goes, resolved to its channel. */
export interface ResolvedRoute {
  /** Unique per destination: the target name, or `inline:<list>:<index>` for an inline route. */
  key: string;
  /** The target's name; null for an inline route. */
  target: string | null;
  /** The channel type; '' when the route names a target that does not exist (the send fails, saying so). */
  channel: string;
  /** Inline settings; `{}` for a target (read when sent). */
  settings: Record<string, unknown>;
  /** Explicit events, or null for the defaults of where the route is attached. */
  events: readonly RoutedEvent[] | null;
  repeatEveryMs: number | null;
  escalateAfterMs: number | null;
  /** Where the route came from: `monitor`, `group:<g>`, `tag:<t>`, `default`, `nodes`. */
  via: string;
}

/**
 * The routed event an alert kind counts as (`flapping-ended` belongs to `flapping`; the end of
 * a degraded episode is its own event, `degraded-ended`, since both are opt-in).
 */
export function routedEventOf(kind: AlertKind): RoutedEvent {
  return kind === 'flapping-ended' ? 'flapping' : kind;
}

/** Whether a route hears an event: its explicit events, or the defaults where it is attached. */
export function routeHears(
  route: Pick<ResolvedRoute, 'events'>,
  event: RoutedEvent,
  defaults: readonly RoutedEvent[],
): boolean {
  return (route.events ?? defaults).includes(event);
}

/**
 * Whether a route that received an opening also gets its closing (recovered, retracted): yes
 * unless it names its events and leaves that one out.
 */
export function routeHearsClosing(
  route: Pick<ResolvedRoute, 'events'>,
  closing: RoutedEvent,
): boolean {
  return route.events === null || route.events.includes(closing);
}

/**
 * Every route of a monitor with the defaults each is judged by: the monitor's own routes
 * (`alerts`: outages, their end and flapping by default; `regionalAlerts`: regional verdicts),
 * then its group's rules, then its tags' rules (tags in name order), first wins per target.
 */
export function monitorRouteCandidates(
  monitor: Pick<Monitor, 'alerts' | 'regionalAlerts' | 'group' | 'tags'>,
  routing: RoutingSnapshot,
): { route: ResolvedRoute; defaults: readonly RoutedEvent[] }[] {
  const candidates: { route: ResolvedRoute; defaults: readonly RoutedEvent[] }[] = [];
  const seen = new Set<string>();
  const add = (route: ResolvedRoute, defaults: readonly RoutedEvent[]) => {
    if (seen.has(route.key)) return;
    seen.add(route.key);
    candidates.push({ route, defaults });
  };
  monitor.alerts.forEach((r, i) =>
    add(resolve(r, `inline:alerts:${i}`, 'monitor', routing), DEFAULT_MONITOR_EVENTS),
  );
  monitor.regionalAlerts.forEach((r, i) =>
    add(resolve(r, `inline:regional:${i}`, 'monitor', routing), ['regional']),
  );
  for (const rule of routing.rules) {
    if (rule.scope.kind === 'group' && rule.scope.group === monitor.group) {
      add(resolve(rule, '', `group:${rule.scope.group}`, routing), DEFAULT_MONITOR_EVENTS);
    }
  }
  for (const tag of [...monitor.tags].sort()) {
    for (const rule of routing.rules) {
      if (rule.scope.kind === 'tag' && rule.scope.tag === tag) {
        add(resolve(rule, '', `tag:${tag}`, routing), DEFAULT_MONITOR_EVENTS);
      }
    }
  }
  return candidates;
}

/**
 * The routes a monitor event goes to now: every candidate that hears it, or — when none does —
 * the default rules that hear it. Escalation steps are left out: they page later, when the
 * incident has stayed open and unacknowledged (see `timed-pages.ts`).
 */
export function monitorRoutes(
  monitor: Pick<Monitor, 'alerts' | 'regionalAlerts' | 'group' | 'tags'>,
  kind: AlertKind,
  routing: RoutingSnapshot,
  options: { includeEscalations?: boolean } = {},
): ResolvedRoute[] {
  const event = routedEventOf(kind);
  const keep = (route: ResolvedRoute) =>
    options.includeEscalations === true || route.escalateAfterMs === null;
  const own = monitorRouteCandidates(monitor, routing)
    .filter(({ route, defaults }) => routeHears(route, event, defaults))
    .map(({ route }) => route);
  if (own.length > 0) return own.filter(keep);
  return defaultRoutes(routing)
    .filter((route) => routeHears(route, event, DEFAULT_MONITOR_EVENTS))
    .filter(keep);
}

const OPENINGS = ['down', 'regional'] as const;

/**
 * Targets that must not get a closing alert of this kind: those whose routes for the opening
 * (`down` or `regional`, as `monitorRoutes` chose them, escalation steps included; `degraded`
 * for `degraded-ended`) all leave the closing out. A target is judged by the route that paged
 * it, not by another route to it that did not (a default rule to a target the monitor also
 * routes to itself, say).
 */
export function closingOptOuts(
  monitor: Pick<Monitor, 'alerts' | 'regionalAlerts' | 'group' | 'tags'>,
  closing: 'recovered' | 'retracted' | 'degraded-ended',
  routing: RoutingSnapshot,
): string[] {
  const hearsByTarget = new Map<string, boolean>();
  // A degraded episode's end is judged by the routes its start went to.
  const openings = closing === 'degraded-ended' ? (['degraded'] as const) : OPENINGS;
  for (const opening of openings) {
    for (const route of monitorRoutes(monitor, opening, routing, { includeEscalations: true })) {
      if (route.target === null) continue;
      const hears = routeHearsClosing(route, closing);
      hearsByTarget.set(route.target, (hearsByTarget.get(route.target) ?? false) || hears);
    }
  }
  return [...hearsByTarget].filter(([, hears]) => !hears).map(([target]) => target);
}

/** The routes a node event goes to. */
export function nodeRoutes(
  routes: readonly AlertRoute[],
  kind: RoutedEvent,
  routing: RoutingSnapshot,
): ResolvedRoute[] {
  return routes
    .map((r, i) => resolve(r, `inline:nodes:${i}`, 'nodes', routing))
    .filter((route) => routeHears(route, kind, DEFAULT_NODE_EVENTS));
}

function defaultRoutes(routing: RoutingSnapshot): ResolvedRoute[] {
  return routing.rules
    .filter((rule) => rule.scope.kind === 'default')
    .map((rule) => resolve(rule, '', 'default', routing));
}

function resolve(
  route: AlertRoute,
  inlineKey: string,
  via: string,
  routing: RoutingSnapshot,
): ResolvedRoute {
  if (!isTargetRoute(route)) {
    return {
      key: inlineKey,
      target: null,
      channel: route.channel,
      settings: route.settings,
      events: null,
      repeatEveryMs: null,
      escalateAfterMs: null,
      via,
    };
  }
  return {
    key: route.target,
    target: route.target,
    channel: routing.targets.get(route.target)?.type ?? '',
    settings: {},
    events: route.events,
    repeatEveryMs: route.repeatEveryMs,
    escalateAfterMs: route.escalateAfterMs,
    via,
  };
}
