import type { Monitor } from '../../domain/monitor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { MonitorFilter, Store } from '../../store/types.ts';
import type { MonitorChangeSink } from '../events.ts';
import { applyMonitorUpdate, buildMonitor } from './monitor-input.ts';

export interface MonitorServiceDeps {
  store: Store;
  clock: Clock;
  changes: MonitorChangeSink;
  newId: () => string;
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
}

/** Builds the monitor service over a store. */
export function createMonitorService(deps: MonitorServiceDeps): MonitorService {
  async function load(id: string): Promise<Monitor> {
    const monitor = await deps.store.getMonitor(id);
    if (!monitor) throw notFound('monitor', id);
    return monitor;
  }

  async function save(monitor: Monitor): Promise<Monitor> {
    await deps.store.updateMonitor(monitor);
    deps.changes.publish({ type: 'upserted', monitor });
    return monitor;
  }

  return {
    async create(input) {
      const monitor = buildMonitor(input, deps.newId(), deps.clock.now());
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
    },
    get: load,
    list: (filter) => deps.store.listMonitors(filter),
  };
}
