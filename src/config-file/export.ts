import { Document } from 'yaml';
import type { AlertRule, AlertTarget } from '../domain/alert-target.ts';
import { isTargetRoute } from '../domain/alert-target.ts';
import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { ManagedRecord } from '../domain/managed-object.ts';
import type { StatusPage } from '../domain/status-page.ts';
import type { Monitor } from '../domain/monitor.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import { dependencyGroup } from '../domain/dependencies.ts';
import { canonical, compare, isPlainObject as isObject } from './canonical.ts';
import { inlineRoutesAsTargets, ruleEntries, targetEntries } from './export-alerts.ts';
import { escapeReferences, maskSecrets, readableDuration } from './export-values.ts';
import { maintenanceEntries } from './export-maintenance.ts';
import { statusPageEntries } from './export-status-pages.ts';
import { CONFIG_FILE_VERSION } from './schema.ts';

export interface ExportInput {
  monitors: readonly Monitor[];
  alertTargets: readonly AlertTarget[];
  alertRules: readonly AlertRule[];
  maintenance: readonly MaintenanceWindow[];
  statusPages: readonly StatusPage[];
  managed: readonly ManagedRecord[];
  /** Options as shown to people: a leaf that differs from the stored one is a secret. */
  redactOptions: (monitor: Monitor) => Record<string, unknown>;
  /** A target's settings as shown to people (secrets masked), likewise. */
  redactSettings: (target: AlertTarget) => Record<string, unknown>;
  includeSecrets: boolean;
}

export interface ExportedConfig {
  /** The file: YAML, deterministic (no times), ending with the list of secret variables. */
  text: string;
  /** Environment variables the file's placeholders need (empty with `includeSecrets`). */
  secrets: string[];
  /** What a file cannot carry (e.g. inline alert channels) and was left out. */
  warnings: string[];
}

/** Fields written after key, name, type and target, in this order, when not their default. */
const SETTINGS = [
  'intervalMs',
  'timeoutMs',
  'group',
  'tags',
  'options',
  'failureThreshold',
  'recoveryThreshold',
  'degradedIsDown',
  'paused',
  'alerts',
  'regionalAlerts',
  'consensus',
  'alertCooldownMs',
  'nodes',
  'dependsOn',
] as const;

const DURATIONS = new Set<string>(['intervalMs', 'timeoutMs', 'alertCooldownMs', 'flapWindowMs']);

/**
 * Writes every alert target, routing rule and monitor as file entries (pure). Monitor keys are
 * the managed ones, else names (made unique by id order); settings equal to what `apply` would
 * default to are left out, so the file stays short and applying it reproduces the objects
 * exactly. Inline alert channels on monitors become targets. Secrets become
 * `${CROSSCHECK_SECRET_…}` placeholders unless `includeSecrets`.
 */
export function exportConfig(input: ExportInput): ExportedConfig {
  const routed = inlineRoutesAsTargets(input.monitors, input.alertTargets);
  const keyed = assignKeys(routed.monitors, input.managed);
  const secrets: string[] = [];
  const warnings: string[] = [];
  const alertTargets = targetEntries(
    routed.targets,
    input.redactSettings,
    input.includeSecrets,
    secrets,
  );
  const alertRules = ruleEntries(input.alertRules, input.managed);
  const monitorKeys = new Map(keyed.map(({ key, monitor }) => [monitor.id, key]));
  const maintenance = maintenanceEntries(input.maintenance, input.managed, monitorKeys, warnings);
  const statusPages = statusPageEntries(input.statusPages, monitorKeys, warnings);
  const monitors = keyed.map(({ key, monitor }) =>
    Object.fromEntries(
      Object.entries(monitorEntry(key, monitor, monitorKeys, warnings)).map(([field, value]) => [
        field,
        field === 'options' && isObject(value) && !input.includeSecrets
          ? maskSecrets(value, input.redactOptions(monitor), `MONITOR_${key}_OPTIONS`, secrets)
          : escapeReferences(value),
      ]),
    ),
  );
  const doc = new Document({
    version: CONFIG_FILE_VERSION,
    ...(alertTargets.length > 0 ? { alertTargets } : {}),
    ...(alertRules.length > 0 ? { alertRules } : {}),
    monitors,
    ...(maintenance.length > 0 ? { maintenance } : {}),
    ...(statusPages.length > 0 ? { statusPages } : {}),
  });
  doc.commentBefore =
    ' Crosscheck configuration (crosscheck export); apply with: crosscheck apply -f <file>';
  if (secrets.length > 0)
    doc.comment = [
      ' Secrets: set these environment variables before crosscheck apply:',
      ...secrets.map((name) => `   ${name}`),
    ].join('\n');
  return { text: doc.toString({ lineWidth: 0 }), secrets, warnings };
}

/** Keys: the one a file manages the monitor under, else its name; a repeat gets `-2`, `-3`… */
function assignKeys(
  monitors: readonly Monitor[],
  managed: readonly ManagedRecord[],
): { key: string; monitor: Monitor }[] {
  const managedKey = new Map(
    managed.filter((r) => r.kind === 'monitor').map((r) => [r.objectId, r.key]),
  );
  const byId = [...monitors].sort((a, b) => compare(a.id, b.id));
  const taken = new Set(byId.flatMap((m) => managedKey.get(m.id) ?? []));
  const keyed = byId.map((monitor) => {
    const own = managedKey.get(monitor.id);
    if (own !== undefined) return { key: own, monitor };
    let key = monitor.name;
    for (let n = 2; taken.has(key); n++) key = `${monitor.name}-${n}`;
    taken.add(key);
    return { key, monitor };
  });
  return keyed.sort((a, b) => compare(a.key, b.key));
}

function monitorEntry(
  key: string,
  monitor: Monitor,
  monitorKeys: ReadonlyMap<string, string>,
  warnings: string[],
): Record<string, unknown> {
  const defaults = buildMonitor(
    {
      name: monitor.name,
      type: monitor.type,
      target: monitor.target,
      intervalMs: monitor.intervalMs,
    },
    monitor.id,
    0,
  );
  const entry: Record<string, unknown> = {};
  if (key !== monitor.name) entry.key = key;
  Object.assign(entry, { name: monitor.name, type: monitor.type, target: monitor.target });
  for (const field of SETTINGS) {
    let value: unknown = monitor[field];
    if (field === 'alerts' || field === 'regionalAlerts')
      value = targetRoutes(key, field, monitor[field], warnings);
    if (field === 'dependsOn')
      value = dependencyKeys(key, monitor.dependsOn, monitorKeys, warnings);
    if (canonical(value) === canonical(defaults[field])) continue;
    entry[field] = field === 'options' ? value : readable(field, value);
  }
  return entry;
}

/** A file names the monitors a monitor depends on by key; groups stay `group:<name>`. */
function dependencyKeys(
  key: string,
  entries: readonly string[],
  monitorKeys: ReadonlyMap<string, string>,
  warnings: string[],
): string[] {
  return entries.flatMap((entry) => {
    if (dependencyGroup(entry) !== null) return [entry];
    const parent = monitorKeys.get(entry);
    if (parent !== undefined) return [parent];
    warnings.push(`monitor ${key}: dependency ${entry} is not a monitor any more; left out`);
    return [];
  });
}

/** Routes to named targets, nulls left out (inline channels were made targets already). */
function targetRoutes(
  key: string,
  field: string,
  routes: Monitor['alerts'],
  warnings: string[],
): Record<string, unknown>[] {
  return routes.flatMap((route) => {
    if (!isTargetRoute(route)) {
      warnings.push(`monitor ${key}: ${field} route to channel ${route.channel} left out`);
      return [];
    }
    return [Object.fromEntries(Object.entries(route).filter(([, v]) => v !== null))];
  });
}

/** Durations as people write them (`30s`) when that reads back exactly; objects recursed. */
function readable(field: string, value: unknown): unknown {
  if (typeof value === 'number' && DURATIONS.has(field)) return readableDuration(value);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(k, v)]));
  return value;
}
