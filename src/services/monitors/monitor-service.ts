import type { AlertRoute, Monitor } from '../../domain/monitor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound, validationError } from '../../lib/errors.ts';
import type { MonitorFilter, Store } from '../../store/types.ts';
import type { MonitorChangeSink } from '../events.ts';
import { yieldToEventLoop } from '../../lib/event-loop.ts';
import type { BulkItemResult, BulkPlan } from './monitor-bulk.ts';
import { abandonPlan, BulkPlanner, withoutFailedDependencies } from './monitor-bulk.ts';
import { dependencyIssues } from './dependency-check.ts';
import { applyMonitorUpdate, buildMonitor } from './monitor-input.ts';

/**
 * Items validated between two turns of the event loop: ~20 ms of work, so a 5,000-item
 * request never holds the API for the whole of its validation.
 */
const PLAN_SLICE = 250;

export interface MonitorServiceDeps {
  store: Store;
  clock: Clock;
  changes: MonitorChangeSink;
  newId: () => string;
  /**
   * Turns inline alert routes (the `--webhook URL` shorthand) into routes to named targets and
   * checks that named targets exist; without it routes are stored as given.
   */
  materializeRoutes?: (routes: readonly AlertRoute[], path: string) => Promise<AlertRoute[]>;
}

/** The verbs that change monitors; every transport (CLI via API, REST, later MCP and peers) calls these. */
export interface MonitorService {
  create(input: unknown): Promise<Monitor>;
  update(id: string, input: unknown): Promise<Monitor>;
  pause(id: string): Promise<Monitor>;
  resume(id: string): Promise<Monitor>;
  remove(id: string): Promise<void>;
  get(id: string): Promise<Monitor>;
  list(filter?: MonitorFilter): Promise<Monitor[]>;
  /**
   * Creates and updates many monitors: each item validated on its own (errors are results),
   * every valid item written in one transaction, each change published after it. With
   * `atomic`, one failing item writes nothing.
   */
  bulk(items: readonly unknown[], options: { atomic: boolean }): Promise<BulkOutcome>;
}

/** Each item's result, by index, and how many monitors were written. */
export interface BulkOutcome {
  results: BulkItemResult[];
  written: number;
}

/** Builds the monitor service over a store. */
export function createMonitorService(deps: MonitorServiceDeps): MonitorService {
  async function load(id: string): Promise<Monitor> {
    const monitor = await deps.store.getMonitor(id);
    if (!monitor) throw notFound('monitor', id);
    return monitor;
  }

  /** The monitor with its inline routes stored as targets. */
  async function withTargets(monitor: Monitor): Promise<Monitor> {
    const materialize = deps.materializeRoutes;
    if (materialize === undefined) return monitor;
    if (monitor.alerts.length === 0 && monitor.regionalAlerts.length === 0) return monitor;
    return {
      ...monitor,
      alerts: await materialize(monitor.alerts, 'alerts'),
      regionalAlerts: await materialize(monitor.regionalAlerts, 'regionalAlerts'),
    };
  }

  /** Refuses a monitor whose dependencies name missing monitors or close a circle. */
  async function checkDependencies(monitor: Monitor): Promise<void> {
    const issues = (await dependencyIssues(deps.store, [monitor])).get(monitor.id);
    if (issues !== undefined) throw validationError(issues);
  }

  /**
   * A deleted monitor leaves the lists of the monitors that depended on it, so none keeps an
   * entry that names nothing (their next edit would be refused for it).
   */
  async function forgetDependency(id: string): Promise<void> {
    const now = deps.clock.now();
    for (const node of await deps.store.listDependencyNodes()) {
      if (!node.dependsOn.includes(id)) continue;
      const monitor = await deps.store.getMonitor(node.id);
      if (monitor === undefined) continue;
      const dependsOn = monitor.dependsOn.filter((entry) => entry !== id);
      await deps.store.updateMonitor({ ...monitor, dependsOn, updatedAt: now });
      deps.changes.publish({
        type: 'upserted',
        monitor: { ...monitor, dependsOn, updatedAt: now },
      });
    }
  }

  async function save(changed: Monitor): Promise<Monitor> {
    await checkDependencies(changed);
    const monitor = await withTargets(changed);
    await deps.store.updateMonitor(monitor);
    deps.changes.publish({ type: 'upserted', monitor });
    return monitor;
  }

  return {
    async create(input) {
      const built = buildMonitor(input, deps.newId(), deps.clock.now());
      await checkDependencies(built);
      const monitor = await withTargets(built);
      if (await deps.store.getMonitor(monitor.id))
        throw new AppError('CONFLICT', `monitor ${monitor.id} already exists`);
      await deps.store.insertMonitor(monitor);
      deps.changes.publish({ type: 'upserted', monitor });
      return monitor;
    },
    async update(id, input) {
      return save(applyMonitorUpdate(await load(id), input, deps.clock.now()));
    },
    async pause(id) {
      const monitor = await load(id);
      return monitor.paused
        ? monitor
        : save({ ...monitor, paused: true, updatedAt: deps.clock.now() });
    },
    async resume(id) {
      const monitor = await load(id);
      return monitor.paused
        ? save({ ...monitor, paused: false, updatedAt: deps.clock.now() })
        : monitor;
    },
    async remove(id) {
      if (!(await deps.store.deleteMonitor(id))) throw notFound('monitor', id);
      deps.changes.publish({ type: 'removed', id });
      await forgetDependency(id);
    },
    get: load,
    list: (filter) => deps.store.listMonitors(filter),
    async bulk(items, { atomic }) {
      const planned = await planInSlices(items);
      const plan = withoutFailedDependencies(
        planned,
        await dependencyIssues(
          deps.store,
          planned.writes.map((w) => w.monitor),
        ),
      );
      if (atomic && plan.results.some((r) => !r.ok)) {
        return { results: abandonPlan(plan.results), written: 0 };
      }
      // Targets an item's inline routes need are created before the one transaction of writes;
      // a failed write leaves them unused, and the next apply reuses them.
      const writes = [];
      for (const write of plan.writes)
        writes.push({ ...write, monitor: await withTargets(write.monitor) });
      await deps.store.saveMonitors(writes);
      plan.writes.splice(0, plan.writes.length, ...writes);
      deps.changes.publishAll(plan.writes.map(({ monitor }) => ({ type: 'upserted', monitor })));
      return { results: plan.results, written: plan.writes.length };
    },
  };

  /** Validates every item, yielding to other work between slices. */
  async function planInSlices(items: readonly unknown[]): Promise<BulkPlan> {
    const planner = new BulkPlanner(await loadUpdated(items), deps.newId, deps.clock.now());
    for (const [index, item] of items.entries()) {
      if (index > 0 && index % PLAN_SLICE === 0) await yieldToEventLoop();
      planner.add(item);
    }
    return planner.plan();
  }

  /** The monitors that update items name (unknown ids are left out: those items fail). */
  async function loadUpdated(items: readonly unknown[]): Promise<Map<string, Monitor>> {
    const ids = new Set(items.map(updateTarget).filter((id): id is string => id !== undefined));
    const found = new Map<string, Monitor>();
    for (const id of ids) {
      const monitor = await deps.store.getMonitor(id);
      if (monitor) found.set(id, monitor);
    }
    return found;
  }
}

/** The id an update item names, read loosely (the item is validated later, on its own). */
function updateTarget(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { op, id } = item as { op?: unknown; id?: unknown };
  return op === 'update' && typeof id === 'string' ? id : undefined;
}
