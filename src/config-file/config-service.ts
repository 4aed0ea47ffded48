import { redactCheckOptions } from '../checks/registry.ts';
import type { ExportedConfig } from './export.ts';
import { exportConfig } from './export.ts';
import type { ConfigPlan } from './plan.ts';
import { planConfig, planIsEmpty } from './plan.ts';
import type { ConfigFile } from './schema.ts';
import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import type { FieldIssue } from '../lib/errors.ts';
import { validationError } from '../lib/errors.ts';
import type { Store } from '../store/types.ts';
import type { MonitorChangeSink } from '../domain/monitor-change.ts';

export interface ConfigServiceDeps {
  store: Pick<
    Store,
    | 'listMonitors'
    | 'listManagedObjects'
    | 'getManagedObject'
    | 'applyConfigChange'
    | 'listAlertTargets'
  >;
  clock: Clock;
  changes: MonitorChangeSink;
  newId: () => string;
}

export interface ApplyOptions {
  source: string;
  prune: boolean;
  dryRun: boolean;
}

/** A plan and whether it was written; created monitors carry their new ids once written. */
export interface ApplyOutcome {
  plan: ConfigPlan;
  createdIds: Map<string, string>;
  written: boolean;
}

/** Config as code: apply a file in one transaction, export the store as a file. */
export interface ConfigService {
  /**
   * Plans the file against the store and, unless `dryRun`, writes the whole plan in ONE
   * transaction (any failure writes nothing). VALIDATION (paths under `document.`) when the
   * file names alert targets that do not exist.
   */
  apply(config: ConfigFile, options: ApplyOptions): Promise<ApplyOutcome>;
  export(options: { includeSecrets: boolean }): Promise<ExportedConfig>;
  /** The file that manages an object, if one does (edits elsewhere warn about it). */
  managedBy(kind: ManagedKind, objectId: string): Promise<ManagedRecord | undefined>;
}

export function createConfigService(deps: ConfigServiceDeps): ConfigService {
  async function checkTargetsExist(config: ConfigFile): Promise<void> {
    const known = new Set((await deps.store.listAlertTargets()).map((t) => t.name));
    const issues: FieldIssue[] = [];
    (config.monitors ?? []).forEach((monitor, index) => {
      for (const field of ['alerts', 'regionalAlerts'] as const) {
        (monitor[field] ?? []).forEach((route, at) => {
          if (!known.has(route.target))
            issues.push({
              path: `document.monitors.${index}.${field}.${at}.target`,
              message: `no alert target named ${JSON.stringify(route.target)}`,
            });
        });
      }
    });
    if (issues.length > 0) throw validationError(issues);
  }

  return {
    async apply(config, options) {
      await checkTargetsExist(config);
      const current = {
        monitors: await deps.store.listMonitors(),
        managed: await deps.store.listManagedObjects(),
      };
      const now = deps.clock.now();
      const plan = planConfig(config, current, { ...options, now });
      const createdIds = new Map<string, string>();
      if (options.dryRun || planIsEmpty(plan)) return { plan, createdIds, written: false };
      const created = plan.create.map((c) => {
        const monitor: Monitor = { ...c.monitor, id: deps.newId() };
        createdIds.set(c.key, monitor.id);
        return { key: c.key, monitor };
      });
      const record = (key: string, objectId: string): ManagedRecord => ({
        kind: 'monitor',
        objectId,
        source: options.source,
        key,
      });
      await deps.store.applyConfigChange({
        deleteMonitors: plan.delete.map((d) => d.id),
        monitors: [
          ...created.map(({ monitor }) => ({ op: 'insert' as const, monitor })),
          ...plan.update.map((u) => ({ op: 'update' as const, monitor: u.monitor })),
        ],
        managed: [
          ...created.map(({ key, monitor }) => record(key, monitor.id)),
          ...plan.update.map((u) => record(u.key, u.id)),
        ],
      });
      deps.changes.publishAll([
        ...plan.delete.map((d) => ({ type: 'removed' as const, id: d.id })),
        ...[...created.map((c) => c.monitor), ...plan.update.map((u) => u.monitor)].map(
          (monitor) => ({ type: 'upserted' as const, monitor }),
        ),
      ]);
      return { plan, createdIds, written: true };
    },
    async export({ includeSecrets }) {
      return exportConfig({
        monitors: await deps.store.listMonitors(),
        managed: await deps.store.listManagedObjects(),
        redactOptions: (m) => redactCheckOptions(m.type, m.options),
        includeSecrets,
      });
    },
    managedBy: (kind, objectId) => deps.store.getManagedObject(kind, objectId),
  };
}
