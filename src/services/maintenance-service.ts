import type { MaintenanceWindow, Occurrence } from '../domain/maintenance.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { nextOccurrence } from '../maintenance/windows.ts';
import type { MaintenanceStore } from '../store/maintenance-store.ts';
import type { MaintenanceInput } from './maintenance-input.ts';
import { windowFromInput } from './maintenance-input.ts';

/** A window as shown: with its occurrence in progress or next (null when none is left). */
export interface MaintenanceView extends MaintenanceWindow {
  next: Occurrence | null;
  /** True while `next` is in progress. */
  active: boolean;
}

export interface MaintenanceServiceDeps {
  store: MaintenanceStore;
  clock: Clock;
  newId: () => string;
  /** Runs after every write, so the coordinator's calendar reloads. */
  onChange?: () => Promise<void> | void;
}

/** The maintenance window verbs; a window is named by id or name. */
export interface MaintenanceService {
  list(): Promise<MaintenanceView[]>;
  get(idOrName: string): Promise<MaintenanceView>;
  /** VALIDATION with every bad field; CONFLICT on a taken name. */
  create(input: MaintenanceInput): Promise<MaintenanceView>;
  /** NOT_FOUND when absent. Incidents keep the window they opened in. */
  remove(idOrName: string): Promise<void>;
}

export function createMaintenanceService(deps: MaintenanceServiceDeps): MaintenanceService {
  const { store, clock } = deps;
  const view = (window: MaintenanceWindow): MaintenanceView => {
    const now = clock.now();
    const next = nextOccurrence(window, now);
    return { ...window, next, active: next !== null && next.start <= now };
  };
  async function find(idOrName: string): Promise<MaintenanceWindow> {
    const window =
      (await store.getMaintenanceWindow(idOrName)) ??
      (await store.getMaintenanceWindowByName(idOrName));
    if (window === undefined) throw notFound('maintenance window', idOrName);
    return window;
  }
  return {
    async list() {
      return (await store.listMaintenanceWindows()).map(view);
    },
    async get(idOrName) {
      return view(await find(idOrName));
    },
    async create(input) {
      const { scope, schedule } = windowFromInput(input);
      const now = clock.now();
      const window: MaintenanceWindow = {
        id: deps.newId(),
        name: input.name,
        scope,
        schedule,
        reason: input.reason === undefined || input.reason === '' ? null : input.reason,
        createdAt: now,
        updatedAt: now,
      };
      if (schedule.kind === 'once' && schedule.endsAt <= now)
        throw new AppError('VALIDATION', 'schedule.endsAt: the window is already over', {
          issues: [{ path: 'schedule.endsAt', message: 'the window is already over' }],
        });
      await store.insertMaintenanceWindow(window);
      await deps.onChange?.();
      return view(window);
    },
    async remove(idOrName) {
      const window = await find(idOrName);
      await store.deleteMaintenanceWindow(window.id);
      await deps.onChange?.();
    },
  };
}
