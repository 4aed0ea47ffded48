import { MONITOR_LIMITS } from '../../domain/monitor.ts';
import type { CreateMonitorInput } from '../../services/monitors/monitor-input.ts';
import { createPlanBuilder } from '../plan-builder.ts';
import type { PlanBuilder } from '../plan-builder.ts';
import type { ImportPlan, MappingRow } from '../types.ts';
import { text } from '../values.ts';
import { KUMA_MONITOR_TYPES } from './monitor-types.ts';
import { kumaNotificationMapping } from './notifications.ts';
import type { KumaMonitor, KumaSource } from './source.ts';

const MAX_THRESHOLD = 100;
const MAX_GROUP_LENGTH = 100;
const MAX_TAG_LENGTH = 64;

/**
 * Uptime Kuma data → an import plan (pure). Notifications become alert targets first, so each
 * monitor can route to the targets of its own notifications by name.
 */
export function mapKuma(source: KumaSource): ImportPlan {
  const builder = createPlanBuilder(source.format);
  const targets = mapNotifications(source, builder);
  const byId = new Map(source.monitors.map((m) => [m.id, m]));
  for (const monitor of source.monitors) {
    if (monitor.type === 'group') continue;
    mapMonitor(monitor, { byId, targets }, builder);
  }
  return builder.build();
}

/** Notification id → the name of the target made from it. */
function mapNotifications(source: KumaSource, builder: PlanBuilder): Map<number, string> {
  const targets = new Map<number, string>();
  for (const notification of source.notifications) {
    const type = text(notification.config, 'type') ?? 'unknown';
    const mapping = kumaNotificationMapping(type);
    if (mapping === undefined) {
      builder.unmapped(
        'notification',
        notification.name,
        type,
        `Crosscheck has no channel for Uptime Kuma’s ${type} notifications`,
      );
      continue;
    }
    const name = builder.addTarget(
      { name: notification.name, type },
      { type: mapping.channel, settings: mapping.settings(notification.config) },
    );
    if (name === undefined) continue;
    targets.set(notification.id, name);
    const dropped = mapping.dropped?.(notification.config);
    if (dropped !== undefined) builder.warn(notification.name, dropped);
  }
  return targets;
}

interface Lookups {
  byId: ReadonlyMap<number, KumaMonitor>;
  targets: ReadonlyMap<number, string>;
}

function mapMonitor(monitor: KumaMonitor, lookups: Lookups, builder: PlanBuilder): void {
  const mapping = Object.hasOwn(KUMA_MONITOR_TYPES, monitor.type)
    ? KUMA_MONITOR_TYPES[monitor.type]
    : undefined;
  if (mapping?.map === undefined) {
    const reason = mapping?.note ?? `unknown Uptime Kuma monitor type ${monitor.type}`;
    builder.unmapped('monitor', monitor.name, monitor.type, reason);
    return;
  }
  if (monitor.upsideDown) {
    builder.unmapped(
      'monitor',
      monitor.name,
      monitor.type,
      'upside-down mode (up when the check fails) has no Crosscheck equivalent',
    );
    return;
  }
  const check = mapping.map(monitor);
  if ('refused' in check) {
    builder.unmapped('monitor', monitor.name, monitor.type, check.refused);
    return;
  }
  for (const warning of check.warnings ?? []) builder.warn(monitor.name, warning);
  const timing = timingOf(monitor, (message) => builder.warn(monitor.name, message));
  const group = groupPath(monitor, lookups.byId);
  const routes = [
    ...new Set(monitor.notificationIds.flatMap((id) => lookups.targets.get(id) ?? [])),
  ];
  const input: CreateMonitorInput = {
    name: monitor.name,
    type: check.type,
    target: check.target,
    options: check.options,
    ...timing,
    failureThreshold: Math.min(monitor.maxretries + 1, MAX_THRESHOLD),
    // Kuma reports up again on the first good check.
    recoveryThreshold: 1,
    paused: !monitor.active,
    tags: monitor.tags.map((t) =>
      (t.value === '' ? t.name : `${t.name}:${t.value}`).slice(0, MAX_TAG_LENGTH),
    ),
    alerts: routes.map((target) => ({ target })),
    ...(group === undefined ? {} : { group }),
  };
  builder.addMonitor(monitor.type, input);
}

/** Interval and timeout in milliseconds, kept inside Crosscheck's limits (with a warning). */
function timingOf(
  monitor: KumaMonitor,
  warn: (message: string) => void,
): { intervalMs: number; timeoutMs?: number } {
  const wanted = Math.round(monitor.intervalSeconds * 1000);
  const intervalMs = clamp(wanted, MONITOR_LIMITS.minIntervalMs, MONITOR_LIMITS.maxIntervalMs);
  if (intervalMs !== wanted)
    warn(
      `interval ${monitor.intervalSeconds}s is outside Crosscheck’s limits; ${intervalMs} ms is used`,
    );
  // 0 means Kuma's default (80 % of the interval); Crosscheck's own default fits the type.
  if (monitor.timeoutSeconds <= 0) return { intervalMs };
  const timeout = Math.round(monitor.timeoutSeconds * 1000);
  const timeoutMs = clamp(
    timeout,
    MONITOR_LIMITS.minTimeoutMs,
    Math.min(MONITOR_LIMITS.maxTimeoutMs, intervalMs),
  );
  if (timeoutMs !== timeout)
    warn(
      `timeout ${monitor.timeoutSeconds}s is outside Crosscheck’s limits; ${timeoutMs} ms is used`,
    );
  return { intervalMs, timeoutMs };
}

/** `Production / API` for a monitor in group API inside group Production. */
function groupPath(
  monitor: KumaMonitor,
  byId: ReadonlyMap<number, KumaMonitor>,
): string | undefined {
  const names: string[] = [];
  const seen = new Set<number>();
  let parent = monitor.parent === null ? undefined : byId.get(monitor.parent);
  while (parent !== undefined && !seen.has(parent.id)) {
    seen.add(parent.id);
    names.unshift(parent.name);
    parent = parent.parent === null ? undefined : byId.get(parent.parent);
  }
  return names.length === 0 ? undefined : names.join(' / ').slice(0, MAX_GROUP_LENGTH);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** How a Kuma monitor's common settings come over (docs/importing.md). */
export const KUMA_MONITOR_FIELDS: readonly MappingRow[] = [
  {
    source: 'interval',
    crosscheck: 'intervalMs',
    note: 'seconds → milliseconds, kept inside Crosscheck’s limits (with a warning)',
  },
  {
    source: 'timeout',
    crosscheck: 'timeoutMs',
    note: '0 (Kuma’s default) leaves Crosscheck’s default; at most the interval and 120 s',
  },
  {
    source: 'maxretries',
    crosscheck: 'failureThreshold',
    note: 'retries + 1 failed checks in a row (at most 100); recovery after 1 good check, as in Kuma',
  },
  { source: 'active', crosscheck: 'paused', note: 'a paused Kuma monitor is imported paused' },
  {
    source: 'parent (group monitor)',
    crosscheck: 'group',
    note: 'the group’s name; nested groups as “Outer / Inner”',
  },
  { source: 'tags', crosscheck: 'tags', note: '“name” or “name:value”' },
  {
    source: 'notifications',
    crosscheck: 'alerts',
    note: 'a route to the target made from each linked notification',
  },
  { source: 'upside_down', crosscheck: null, note: 'a monitor in upside-down mode is reported' },
  {
    source: 'resend_interval, expiry_notification, description',
    crosscheck: null,
    note: 'not carried over',
  },
];
