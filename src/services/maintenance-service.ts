import type { MaintenanceSchedule, MaintenanceWindow, Occurrence } from '../domain/maintenance.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { nextOccurrence } from '../maintenance/windows.ts';
import type { MaintenanceStore } from '../store/maintenance-store.ts';
import type { MaintenanceInput, MaintenanceUpdate } from './maintenance-input.ts';
import { changesSchedule, updatedInput, windowFromInput } from './maintenance-input.ts';

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
  /**
   * Changes the fields given (`update.id` names it), validated as on create. NOT_FOUND when
   * absent, VALIDATION with every bad field, CONFLICT on a taken name.
   */
  update(update: MaintenanceUpdate): Promise<MaintenanceView>;
  /** NOT_FOUND when absent. Incidents keep the window they opened in. */
  remove(idOrName: string): Promise<void>;
}

/** VALIDATION when a one-off schedule has already ended at `now`. */
function refuseOver(schedule: MaintenanceSchedule, now: number): void {
  if (schedule.kind === 'once' && schedule.endsAt <= now)
    throw new AppError('VALIDATION', 'schedule.endsAt: the window is already over', {
      issues: [{ path: 'schedule.endsAt', message: 'the window is already over' }],
    });
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
      refuseOver(schedule, now);
      await store.insertMaintenanceWindow(window);
      await deps.onChange?.();
      return view(window);
    },
    async update(update) {
      const existing = await find(update.id);
      const input = updatedInput(existing, update);
      const { scope, schedule } = windowFromInput(input);
      const now = clock.now();
      // Renaming or rescoping a past window is fine; moving it into the past is not.
      if (changesSchedule(update)) refuseOver(schedule, now);
      const window: MaintenanceWindow = {
        ...existing,
        name: input.name,
        scope,
        schedule,
        reason: input.reason === undefined || input.reason === '' ? null : input.reason,
        updatedAt: now,
      };
      await store.updateMaintenanceWindow(window);
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
