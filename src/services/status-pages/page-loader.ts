import type { StatusPage } from '../../domain/status-page.ts';
import { pageMonitorIds } from '../../domain/status-page.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Store } from '../../store/types.ts';
import { UPTIME_WINDOWS_MS, buildPageModel } from '../../status-pages/build-model.ts';
import type { StatusPageModel } from '../../status-pages/model.ts';
import type { StateSource } from '../status-service.ts';

/** Incidents read per monitor (newest first): enough for the feed period of any sane monitor. */
const INCIDENTS_PER_MONITOR = 50;

export type PageLoaderStore = Pick<
  Store,
  | 'getMonitor'
  | 'uptime'
  | 'listMaintenanceWindows'
  | 'listNodes'
  | 'listIncidents'
  | 'listIncidentUpdates'
>;

/** Reads what one page shows and builds its public model. */
export type PageLoader = (page: StatusPage) => Promise<StatusPageModel>;

export function createPageLoader(deps: {
  store: PageLoaderStore;
  states: StateSource;
  clock: Clock;
}): PageLoader {
  const { store } = deps;
  return async (page) => {
    const now = deps.clock.now();
    const shown = pageMonitorIds(page);
    const ids = [...new Set([...shown, ...page.badgeMonitorIds])];
    // A monitor deleted since the page was saved is skipped, not an error.
    const monitors = (await Promise.all(ids.map((id) => store.getMonitor(id)))).filter(
      (m) => m !== undefined,
    );
    const present = monitors.map((m) => m.id);
    const [states, uptime, windows, nodes, perMonitor] = await Promise.all([
      deps.states(present),
      store.uptime(present, UPTIME_WINDOWS_MS, now),
      store.listMaintenanceWindows(),
      page.showDetails ? store.listNodes({ includeRemoved: true }) : Promise.resolve([]),
      Promise.all(
        present
          .filter((id) => shown.includes(id))
          .map((monitorId) => store.listIncidents({ monitorId, limit: INCIDENTS_PER_MONITOR })),
      ),
    ]);
    const incidents = perMonitor.flat();
    const updates = await store.listIncidentUpdates(
      incidents.map((i) => i.id),
      { publicOnly: true },
    );
    return buildPageModel(
      { page, monitors, states, uptime, incidents, updates, windows, nodes },
      now,
    );
  };
}
