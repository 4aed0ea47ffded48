import { redactChannelSettings } from '../alerts/registry.ts';
import { redactCheckOptions } from '../checks/registry.ts';
import type { ExportedConfig } from './export.ts';
import { exportConfig } from './export.ts';
import type { ConfigPlan, CurrentConfig, KindPlan } from './plan.ts';
import { PENDING_MONITOR, planConfigInSlices, planIsEmpty } from './plan.ts';
import { referenceIssues } from './references.ts';
import type { ConfigFile } from './schema.ts';
import { monitorKey } from './schema.ts';
import { dependencyProblems, namedOutside } from '../domain/dependencies.ts';
import type { ValidatedConfig } from './validate.ts';
import { validateConfigDocument } from './validate.ts';
import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import type { Clock } from '../lib/clock.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { FieldIssue } from '../lib/errors.ts';
import { validationError } from '../lib/errors.ts';
import type { ManagedMatch } from '../store/managed-store.ts';
import { yieldToEventLoop } from '../lib/event-loop.ts';
import type { Store } from '../store/types.ts';
import type { MonitorChangeSink } from '../domain/monitor-change.ts';

export interface ConfigServiceDeps {
  store: Pick<
    Store,
    | 'listMonitors'
    | 'listManagedObjects'
    | 'getManagedObject'
    | 'getManagedObjects'
    | 'applyConfigChange'
    | 'existingMonitorIds'
    | 'listDependencyNodes'
    | 'listAlertTargets'
    | 'listAlertRules'
    | 'nodeAlertRoutes'
    | 'listMaintenanceWindows'
    | 'listStatusPages'
  >;
  clock: Clock;
  changes: MonitorChangeSink;
  /** A new id for an object of a kind (`mon_…`, `tgt_…`, `rule_…`). */
  newId: (prefix: string) => string;
  /** Called after an apply changed alert targets or rules (the coordinator reloads routing). */
  onAlertingChanged?: () => void;
  /** Called after an apply changed maintenance windows (the coordinator reloads its calendar). */
  onMaintenanceChanged?: () => Promise<void> | void;
  /** Called after an apply changed status pages (their public models are rebuilt). */
  onStatusPagesChanged?: () => void;
}

export interface ApplyOptions {
  source: string;
  prune: boolean;
  dryRun: boolean;
  /** Checks the validated file before anything is planned (the caller's permissions); throws. */
  authorize?: (config: ConfigFile) => void;
}

/** A plan and whether it was written; created objects carry their new ids once written. */
export interface ApplyOutcome {
  plan: ConfigPlan;
  /** New ids by kind and key (`monitor/api`). */
  createdIds: Map<string, string>;
  written: boolean;
}

/** Config as code: apply a file in one transaction, export the store as a file. */
export interface ConfigService {
  /**
   * Validates the parsed file (`${ENV}` substituted), plans it against the store and, unless
   * `dryRun`, writes the whole plan in ONE transaction (any failure writes nothing). The checks
   * and the plan run in slices with turns of the event loop between them, so a file of 100,000
   * monitors does not stall the node. VALIDATION (paths under `document.`) listing every
   * problem: a field, a duplicate key, a route or rule naming a target that will not exist, an
   * object another file manages, a deleted target still routed to.
   */
  apply(document: unknown, options: ApplyOptions): Promise<ApplyOutcome>;
  export(options: { includeSecrets: boolean }): Promise<ExportedConfig>;
  /** The file that manages an object, if one does (edits elsewhere warn about it). */
  managedBy(kind: ManagedKind, objectId: string): Promise<ManagedRecord | undefined>;
  /** The records of one kind among many objects (by id, or targets by name) in one read. */
  managedAmong(kind: ManagedKind, match: ManagedMatch): Promise<ManagedRecord[]>;
}

const ID_PREFIX: Record<ManagedKind, string> = {
  monitor: 'mon',
  'alert-target': 'tgt',
  'alert-rule': 'rule',
  maintenance: 'mw',
  'status-page': 'sp',
};

/** The key `createdIds` uses: kinds may share keys. */
export function createdIdKey(kind: ManagedKind, key: string): string {
  return `${kind}/${key}`;
}

/** Monitors read per query when the apply reads the store (~25 ms of work each). */
const READ_PAGE = 1_000;

/** Creations given their ids per turn of the event loop. */
const ID_SLICE = 1_000;

export function createConfigService(deps: ConfigServiceDeps): ConfigService {
  const { store } = deps;

  /** Every monitor, a page at a time with turns between (100,000 rows are seconds of work). */
  async function listAllMonitors(): Promise<Monitor[]> {
    const all: Monitor[] = [];
    for (;;) {
      const last = all.at(-1);
      const after = last === undefined ? undefined : { name: last.name, id: last.id };
      const page = await store.listMonitors({ limit: READ_PAGE, after });
      all.push(...page);
      if (page.length < READ_PAGE) return all;
      await yieldToEventLoop();
    }
  }

  /** Every managed record, a page at a time, like the monitors. */
  async function listAllManaged(): Promise<ManagedRecord[]> {
    const all: ManagedRecord[] = [];
    for (;;) {
      const last = all.at(-1);
      const page = await store.listManagedObjects({ limit: READ_PAGE * 2, after: last });
      all.push(...page);
      if (page.length < READ_PAGE * 2) return all;
      await yieldToEventLoop();
    }
  }

  async function readCurrent(): Promise<CurrentConfig> {
    return {
      monitors: await listAllMonitors(),
      alertTargets: await store.listAlertTargets(),
      alertRules: await store.listAlertRules(),
      maintenance: await store.listMaintenanceWindows(),
      statusPages: await store.listStatusPages(),
      managed: await listAllManaged(),
    };
  }

  /**
   * Writing applies run one after another, each planned from what the previous one wrote. An
   * apply plans from a read of the store and writes later; two at once would both plan the
   * same creations (the store's reads answer from the last commit, not waiting for an open
   * transaction). The chain keeps only the order: each caller gets its own apply's outcome or
   * error. A dry run writes nothing and does not wait.
   */
  let lastWrite: Promise<unknown> = Promise.resolve();
  function inTurn<T>(run: () => Promise<T>): Promise<T> {
    const next = lastWrite.then(run, run);
    lastWrite = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /**
   * A circle of dependencies the plan would close, at the entries on it: the plan's monitors
   * (created ones under their pending ids) against every stored monitor that depends on one.
   */
  async function dependencyCircles(config: ConfigFile, plan: ConfigPlan): Promise<FieldIssue[]> {
    const changed = [
      ...plan.monitors.create.map((c) => ({
        key: c.key,
        monitor: { ...c.object, id: `${PENDING_MONITOR}${c.key}` },
      })),
      ...plan.monitors.update.map((u) => ({ key: u.key, monitor: u.object })),
    ];
    const nodes = changed.map((c) => c.monitor);
    if (!nodes.some((node) => node.dependsOn.length > 0)) return [];
    const existing = await store.existingMonitorIds(namedOutside(nodes));
    const found = dependencyProblems(nodes, await store.listDependencyNodes(), existing);
    if (found.size === 0) return [];
    const indexOf = new Map(
      (config.monitors ?? []).map((entry, index) => [monitorKey(entry), index]),
    );
    return changed.flatMap(({ key, monitor }) =>
      (found.get(monitor.id) ?? []).map((issue) => ({
        path: `document.monitors.${indexOf.get(key) ?? 0}.dependsOn`,
        message: issue.message,
      })),
    );
  }

  async function planAndWrite(
    validated: ValidatedConfig,
    options: ApplyOptions,
  ): Promise<ApplyOutcome> {
    const config = validated.file;
    const current = await readCurrent();
    const plan = await planConfigInSlices(
      config,
      current,
      {
        source: options.source,
        prune: options.prune,
        now: deps.clock.now(),
        builtMonitors: validated.monitors,
      },
      yieldToEventLoop,
    );
    await yieldToEventLoop();
    const issues = referenceIssues(config, current, plan, {
      nodeAlertRoutes: await store.nodeAlertRoutes(),
    });
    if (issues.length > 0) throw validationError(issues);
    const circles = await dependencyCircles(config, plan);
    if (circles.length > 0) throw validationError(circles);
    await yieldToEventLoop();
    const createdIds = new Map<string, string>();
    if (options.dryRun || planIsEmpty(plan)) return { plan, createdIds, written: false };
    const records: ManagedRecord[] = [];
    /**
     * Gives creations their ids and records every written object as managed, a slice at a time
     * with turns between: 100,000 creations in one go held the event loop ~0.5 s.
     */
    const writes = async <T extends { id: string }>(kindPlan: KindPlan<T>) => {
      const created = [];
      for (const c of kindPlan.create) {
        const object = { ...c.object, id: deps.newId(ID_PREFIX[c.kind]) };
        createdIds.set(createdIdKey(c.kind, c.key), object.id);
        records.push({ kind: c.kind, objectId: object.id, source: options.source, key: c.key });
        created.push({ op: 'insert' as const, object });
        if (created.length % ID_SLICE === 0) await yieldToEventLoop();
      }
      for (const u of kindPlan.update)
        records.push({ kind: u.kind, objectId: u.id, source: options.source, key: u.key });
      const updated = kindPlan.update.map((u) => ({ op: 'update' as const, object: u.object }));
      return [...created, ...updated];
    };
    const targets = await writes(plan.alertTargets);
    const rules = await writes(plan.alertRules);
    const resolve = (ids: readonly string[]) => resolvePending(ids, createdIds);
    const monitors = (await writes(plan.monitors)).map(({ op, object }) => ({
      op,
      object:
        object.dependsOn.length === 0
          ? object
          : { ...object, dependsOn: resolve(object.dependsOn) },
    }));
    const windows = (await writes(plan.maintenance)).map(({ op, object }) => ({
      op,
      window: { ...object, scope: { ...object.scope, monitors: resolve(object.scope.monitors) } },
    }));
    const pages = (await writes(plan.statusPages)).map(({ op, object }) => ({
      op,
      page: {
        ...object,
        groups: object.groups.map((g) => ({ ...g, monitorIds: resolve(g.monitorIds) })),
        badgeMonitorIds: resolve(object.badgeMonitorIds),
      },
    }));
    await store.applyConfigChange({
      alertTargets: targets.map(({ op, object }) => ({ op, target: object })),
      deleteAlertTargets: plan.alertTargets.delete.map((d) => d.id),
      alertRules: rules.map(({ op, object }) => ({ op, rule: object })),
      deleteAlertRules: plan.alertRules.delete.map((d) => d.id),
      monitors: monitors.map(({ op, object }) => ({ op, monitor: object })),
      deleteMonitors: plan.monitors.delete.map((d) => d.id),
      maintenance: windows,
      deleteMaintenance: plan.maintenance.delete.map((d) => d.id),
      statusPages: pages,
      deleteStatusPages: plan.statusPages.delete.map((d) => d.id),
      managed: records,
    });
    deps.changes.publishAll([
      ...plan.monitors.delete.map((d) => ({ type: 'removed' as const, id: d.id })),
      ...monitors.map(({ object }) => ({ type: 'upserted' as const, monitor: object })),
    ]);
    const alertingWrites = [targets, rules, plan.alertTargets.delete, plan.alertRules.delete];
    if (alertingWrites.some((list) => list.length > 0)) deps.onAlertingChanged?.();
    if (windows.length + plan.maintenance.delete.length > 0) await deps.onMaintenanceChanged?.();
    if (pages.length + plan.statusPages.delete.length > 0) deps.onStatusPagesChanged?.();
    return { plan, createdIds, written: true };
  }

  return {
    async apply(document, options) {
      const validated = await validateConfigDocument(document, yieldToEventLoop, 'document');
      if (!validated.ok) throw validationError(validated.issues);
      options.authorize?.(validated.config.file);
      if (options.dryRun) return planAndWrite(validated.config, options);
      return inTurn(() => planAndWrite(validated.config, options));
    },
    async export({ includeSecrets }) {
      const current = await readCurrent();
      return exportConfig({
        ...current,
        redactOptions: (m) => redactCheckOptions(m.type, m.options),
        redactSettings: (t) => redactChannelSettings(t.type, t.settings),
        includeSecrets,
      });
    },
    managedBy: (kind, objectId) => store.getManagedObject(kind, objectId),
    managedAmong: (kind, match) => store.getManagedObjects(kind, match),
  };
}

/** Ids with the monitors the same apply created (`pending:<key>`) given their new ids. */
function resolvePending(ids: readonly string[], createdIds: ReadonlyMap<string, string>): string[] {
  return ids.map((id) =>
    id.startsWith(PENDING_MONITOR)
      ? (createdIds.get(createdIdKey('monitor', id.slice(PENDING_MONITOR.length))) ?? id)
      : id,
  );
}
