import type { MaintenanceWindow } from '../domain/maintenance.ts';

/** Maintenance windows: the part of the store contract the maintenance service uses. */
export interface MaintenanceStore {
  /** Ordered by name. */
  listMaintenanceWindows(): Promise<MaintenanceWindow[]>;
  getMaintenanceWindow(id: string): Promise<MaintenanceWindow | undefined>;
  getMaintenanceWindowByName(name: string): Promise<MaintenanceWindow | undefined>;
  /** CONFLICT when the id or the name is taken. */
  insertMaintenanceWindow(window: MaintenanceWindow): Promise<void>;
  /** Replaces every field but `id` and `createdAt`; NOT_FOUND when absent, CONFLICT on a taken name. */
  updateMaintenanceWindow(window: MaintenanceWindow): Promise<void>;
  /** False when absent. Incidents keep the window's id and name. */
  deleteMaintenanceWindow(id: string): Promise<boolean>;
}
