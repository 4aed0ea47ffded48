import { parseChannelSettings } from '../alerts/registry.ts';
import type { AlertRule, AlertTarget } from '../domain/alert-target.ts';
import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { ManagedRecord } from '../domain/managed-object.ts';
import type { StatusPage } from '../domain/status-page.ts';
import type { Monitor } from '../domain/monitor.ts';
import { templateOf } from '../services/alert-targets/target-input.ts';
import { windowFromInput } from '../services/maintenance-input.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import type {
  KindPlan,
  KindSpec,
  PlannedExisting,
  PlannedObject,
  Steps,
  StoredObject,
} from './plan-kind.ts';
import { idsByKey, planKindSteps, runSteps } from './plan-kind.ts';
import { dependencyGroup } from '../domain/dependencies.ts';
import type { ConfigAlertRule, ConfigAlertTarget } from './schema-alerts.ts';
import { ruleIdentity, ruleKey, ruleScope } from './schema-alerts.ts';
import type { ConfigMaintenance } from './schema-maintenance.ts';
import { maintenanceKey } from './schema-maintenance.ts';
import type { ConfigStatusPage } from './schema-status-pages.ts';
import type { ConfigFile, ConfigMonitor } from './schema.ts';
import { monitorKey } from './schema.ts';

export type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
export type { KindPlan, PlannedObject } from './plan-kind.ts';
export { changedFields } from './plan-kind.ts';

/** What the store holds now: the objects and which of them files manage. */
export interface CurrentConfig {
  monitors: readonly Monitor[];
  alertTargets: readonly AlertTarget[];
  alertRules: readonly AlertRule[];
  maintenance: readonly MaintenanceWindow[];
  statusPages: readonly StatusPage[];
  managed: readonly ManagedRecord[];
}

export interface PlanOptions {
  /** The file's identity: objects it applies are managed by it. */
  source: string;
  /** Delete objects this file manages and no longer names (never others). */
  prune: boolean;
  now: number;
  /** The monitor each entry describes, when the file was validated entry by entry. */
  builtMonitors?: ReadonlyMap<ConfigMonitor, Monitor>;
}

/** What an apply would do, kind by kind. */
export interface ConfigPlan {
  alertTargets: KindPlan<AlertTarget>;
  alertRules: KindPlan<AlertRule>;
  monitors: KindPlan<Monitor>;
  maintenance: KindPlan<MaintenanceWindow>;
  statusPages: KindPlan<StatusPage>;
}

/**
 * The id a planned window uses for a monitor the same plan creates (`pending:<key>`); the apply
 * puts the new id in its place when it writes.
 */
export const PENDING_MONITOR = 'pending:';

/** One line of a plan as people read it: every kind together, in apply order. */
export interface PlanSummary {
  create: PlannedObject[];
  update: (PlannedExisting & { fields: string[]; adopt: boolean })[];
  delete: PlannedExisting[];
  unchanged: PlannedExisting[];
}

/** How monitors are matched: by key, else adopted by name (see `planKindSteps`). */
const monitorMatch = {
  kind: 'monitor' as const,
  keyOf: monitorKey,
  nameOf: (entry: ConfigMonitor) => entry.name,
  objectName: (monitor: Monitor) => monitor.name,
};

/**
 * Monitors by entry. An entry validated once (`validate.ts`) carries the monitor it describes,
 * which is stamped with the id and times here; any other entry is built now. `dependsOn` keys
 * are turned into the ids their monitors have or will have (`pending:<key>` for one this plan
 * creates), so a file applied twice compares equal. Group
 * entries and unknown keys stay as given (references.ts reports the unknown ones).
 */
function monitorSpec(
  built: ReadonlyMap<ConfigMonitor, Monitor> | undefined,
  idOfKey: ReadonlyMap<string, string>,
): KindSpec<ConfigMonitor, Monitor> {
  const resolve = (monitor: Monitor): Monitor =>
    monitor.dependsOn.length === 0
      ? monitor
      : {
          ...monitor,
          dependsOn: monitor.dependsOn.map((entry) =>
            dependencyGroup(entry) === null ? (idOfKey.get(entry) ?? entry) : entry,
          ),
        };
  return {
    ...monitorMatch,
    build(entry, { id, createdAt, now, existing }) {
      const template = built?.get(entry);
      const { key: _key, ...input } = entry;
      const monitor =
        template !== undefined
          ? { ...template, id, createdAt, updatedAt: now }
          : { ...buildMonitor(input, id, createdAt), updatedAt: now };
      return resolve(keptPushToken(monitor, entry.options, existing));
    },
  };
}

const targetSpec: KindSpec<ConfigAlertTarget, AlertTarget> = {
  kind: 'alert-target',
  keyOf: (entry) => entry.name,
  nameOf: (entry) => entry.name,
  objectName: (target) => target.name,
  build(entry, { id, createdAt, now }) {
    return {
      id,
      name: entry.name,
      type: entry.type,
      // Validated by the file schema already; parsing again gives the stored form (defaults).
      settings: parseChannelSettings(entry.type, entry.settings),
      template: templateOf(entry.template),
      createdAt,
      updatedAt: now,
    };
  },
};

/** Rules have no name: they adopt an unmanaged rule of the same scope and target. */
const ruleSpec: KindSpec<ConfigAlertRule, AlertRule> = {
  kind: 'alert-rule',
  keyOf: ruleKey,
  nameOf: (entry) => ruleIdentity(ruleScope(entry), entry.target),
  objectName: (rule) => ruleIdentity(rule.scope, rule.target),
  build(entry, { id, createdAt }) {
    return {
      id,
      scope: ruleScope(entry),
      target: entry.target,
      events: entry.events,
      repeatEveryMs: entry.repeatEveryMs,
      escalateAfterMs: entry.escalateAfterMs,
      createdAt,
    };
  },
};

/** Windows name monitors by key; the spec resolves keys to ids (unknown keys stay as given). */
function maintenanceSpec(
  monitorIds: ReadonlyMap<string, string>,
): KindSpec<ConfigMaintenance, MaintenanceWindow> {
  return {
    kind: 'maintenance',
    keyOf: maintenanceKey,
    nameOf: (entry) => entry.name,
    objectName: (window) => window.name,
    build(entry, { id, createdAt, now }) {
      const { key: _key, ...input } = entry;
      const monitors = input.monitors.map((key) => monitorIds.get(key) ?? key);
      const { scope, schedule } = windowFromInput({ ...input, monitors });
      const reason = input.reason === undefined || input.reason === '' ? null : input.reason;
      return { id, name: input.name, scope, schedule, reason, createdAt, updatedAt: now };
    },
  };
}

/** Pages name monitors by key, like windows; the slug is the key. */
function statusPageSpec(
  monitorIds: ReadonlyMap<string, string>,
): KindSpec<ConfigStatusPage, StatusPage> {
  const resolve = (keys: readonly string[]) => keys.map((key) => monitorIds.get(key) ?? key);
  return {
    kind: 'status-page',
    keyOf: (entry) => entry.slug,
    nameOf: (entry) => entry.slug,
    objectName: (page) => page.slug,
    build(entry, { id, createdAt, now }) {
      return {
        id,
        slug: entry.slug,
        title: entry.title,
        // As the status page service stores them: no empty description, no repeats.
        description:
          entry.description === undefined || entry.description === '' ? null : entry.description,
        customDomains: [...new Set(entry.customDomains)],
        groups: entry.groups.map((g) => ({ name: g.name, monitorIds: resolve(g.monitors) })),
        showRegions: entry.showRegions,
        showDetails: entry.showDetails,
        badgeMonitorIds: [...new Set(resolve(entry.badgeMonitors))],
        createdAt,
        updatedAt: now,
      };
    },
  };
}

/** Each monitor key of the plan to its id (`pending:<key>` for one it creates). */
function monitorIdsOf(plan: KindPlan<Monitor>): Map<string, string> {
  return new Map([
    ...plan.create.map((c): [string, string] => [c.key, `${PENDING_MONITOR}${c.key}`]),
    ...[...plan.update, ...plan.unchanged].map((u): [string, string] => [u.key, u.id]),
  ]);
}

/**
 * Compares a file with the store (pure), each kind on its own (see `planKind`): entries match
 * the objects this file manages by key, else adopt an unmanaged one by name, else are created;
 * with `prune`, objects this file manages and no longer names are deleted.
 */
export function planConfig(
  config: ConfigFile,
  current: CurrentConfig,
  options: PlanOptions,
): ConfigPlan {
  return runSteps(planConfigSteps(config, current, options));
}

/**
 * `planConfig` with a turn of the event loop (`pace`) between slices of entries: the same plan,
 * for files of many thousand entries.
 */
export async function planConfigInSlices(
  config: ConfigFile,
  current: CurrentConfig,
  options: PlanOptions,
  pace: () => Promise<void>,
): Promise<ConfigPlan> {
  const steps = planConfigSteps(config, current, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    await pace();
  }
}

function* planConfigSteps(
  config: ConfigFile,
  current: CurrentConfig,
  options: PlanOptions,
): Steps<ConfigPlan> {
  const kind = <E, T extends StoredObject>(
    spec: KindSpec<E, T>,
    entries: readonly E[],
    objects: readonly T[],
  ) => planKindSteps(spec, entries, objects, current.managed, options);
  const entries = config.monitors ?? [];
  const idOfKey = idsByKey(
    monitorMatch,
    entries,
    current.monitors,
    current.managed,
    options.source,
    PENDING_MONITOR,
  );
  const monitors = yield* kind(
    monitorSpec(options.builtMonitors, idOfKey),
    entries,
    current.monitors,
  );
  const monitorIds = monitorIdsOf(monitors);
  const alertTargets = yield* kind(targetSpec, config.alertTargets ?? [], current.alertTargets);
  const alertRules = yield* kind(ruleSpec, config.alertRules ?? [], current.alertRules);
  const maintenance = yield* kind(
    maintenanceSpec(monitorIds),
    config.maintenance ?? [],
    current.maintenance,
  );
  const statusPages = yield* kind(
    statusPageSpec(monitorIds),
    config.statusPages ?? [],
    current.statusPages,
  );
  return { alertTargets, alertRules, monitors, maintenance, statusPages };
}

/** Every kind's lists joined, in apply order (`MANAGED_KINDS`), each by key. */
export function summarizePlan(plan: ConfigPlan): PlanSummary {
  const kinds = [
    plan.alertTargets,
    plan.alertRules,
    plan.monitors,
    plan.maintenance,
    plan.statusPages,
  ] as const;
  const pick = ({ kind, key, name }: PlannedObject): PlannedObject => ({ kind, key, name });
  return {
    create: kinds.flatMap((k) => k.create.map(pick)),
    update: kinds.flatMap((k) =>
      k.update.map((u) => ({ ...pick(u), id: u.id, fields: u.fields, adopt: u.adopt })),
    ),
    delete: kinds.flatMap((k) => k.delete),
    unchanged: kinds.flatMap((k) => k.unchanged),
  };
}

/** True when applying the plan changes nothing. */
export function planIsEmpty(plan: ConfigPlan): boolean {
  const { create, update, delete: deletes } = summarizePlan(plan);
  return create.length === 0 && update.length === 0 && deletes.length === 0;
}

/**
 * A push monitor whose file entry gives no token keeps the one it has: the schema generates a
 * new token for a missing one, and every apply would otherwise change the ping URL.
 */
function keptPushToken(
  monitor: Monitor,
  fileOptions: Record<string, unknown> | undefined,
  existing: Monitor | undefined,
): Monitor {
  if (monitor.type !== 'push' || existing?.type !== 'push' || fileOptions?.['token'] !== undefined)
    return monitor;
  const token = existing.options['token'];
  return typeof token === 'string'
    ? { ...monitor, options: { ...monitor.options, token } }
    : monitor;
}
