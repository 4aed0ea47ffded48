import type { InMaintenance, MaintenanceWindow } from '../../domain/maintenance.ts';
import { activeWindow } from '../../maintenance/windows.ts';
import type { MaintenanceStore } from '../../store/maintenance-store.ts';

/**
 * The coordinator's copy of the maintenance windows, so deciding whether an alert pages needs
 * no store read: loaded at start and reloaded after every maintenance write (the service's
 * `onChange`). The lookup itself is the pure `activeWindow`.
 */
export interface MaintenanceCalendar {
  /** The window covering a monitor or node at a time, as `{ id, name }`, or null. */
  inMaintenance: InMaintenance;
  reload(): Promise<void>;
  windows(): readonly MaintenanceWindow[];
}

export async function loadMaintenanceCalendar(
  store: Pick<MaintenanceStore, 'listMaintenanceWindows'>,
): Promise<MaintenanceCalendar> {
  let windows: readonly MaintenanceWindow[] = await store.listMaintenanceWindows();
  return {
    inMaintenance(subject, at) {
      if (windows.length === 0) return null;
      const active = activeWindow(windows, subject, at);
      return active === null ? null : { id: active.window.id, name: active.window.name };
    },
    async reload() {
      windows = await store.listMaintenanceWindows();
    },
    windows: () => windows,
  };
}
