import type { IncidentUpdate, IncidentUpdateStatus } from '../../domain/status-page.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { Store } from '../../store/types.ts';

export interface IncidentUpdateInput {
  incident: string;
  status: IncidentUpdateStatus;
  message: string;
  /** False: an internal note, never on a status page or feed. */
  public: boolean;
}

export interface IncidentUpdateServiceDeps {
  store: Pick<Store, 'insertIncidentUpdate' | 'listIncidentUpdates' | 'getIncident'>;
  clock: Clock;
  newId: () => string;
  /** Runs after a public update is added (status pages showing its monitor rebuild). */
  onPublicUpdate?: (update: IncidentUpdate, monitorId: string) => void;
  /** Runs after any update or note is added (the live event stream announces it). */
  onAdded?: (update: IncidentUpdate, monitorId: string) => void;
}

/** What people write about an incident: public updates for status pages, internal notes. */
export interface IncidentUpdateService {
  /** NOT_FOUND when the incident does not exist. */
  add(input: IncidentUpdateInput, author: string): Promise<IncidentUpdate>;
  /** Every update of the incident (internal notes included), oldest first. */
  list(incidentId: string): Promise<IncidentUpdate[]>;
}

export function createIncidentUpdateService(
  deps: IncidentUpdateServiceDeps,
): IncidentUpdateService {
  const { store } = deps;
  async function incidentOf(id: string) {
    const incident = await store.getIncident(id);
    if (incident === undefined) throw notFound('incident', id);
    return incident;
  }
  return {
    async add(input, author) {
      const incident = await incidentOf(input.incident);
      const update: IncidentUpdate = {
        id: deps.newId(),
        incidentId: incident.id,
        status: input.status,
        message: input.message.trim(),
        public: input.public,
        author,
        createdAt: deps.clock.now(),
      };
      await store.insertIncidentUpdate(update);
      if (update.public) deps.onPublicUpdate?.(update, incident.monitorId);
      deps.onAdded?.(update, incident.monitorId);
      return update;
    },
    async list(incidentId) {
      await incidentOf(incidentId);
      return store.listIncidentUpdates([incidentId]);
    },
  };
}
