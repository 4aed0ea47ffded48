import type { Incident } from '../domain/incident.ts';
import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/types.ts';

/** Longest acknowledgement note kept (a sentence or two, not a post-mortem). */
export const MAX_ACK_NOTE_LENGTH = 1_000;

export interface IncidentServiceDeps {
  store: Pick<Store, 'acknowledgeIncident'>;
  clock: Clock;
}

/** The verbs that change incidents a person may run (rounds open and resolve them). */
export interface IncidentService {
  /**
   * Acknowledges an open incident as `by` now. Acknowledging again keeps the first time and
   * author and replaces the note only when one is given, so a retry changes nothing.
   * NOT_FOUND when absent; CONFLICT once it is resolved or retracted (nothing left to stop).
   */
  acknowledge(id: string, by: string, note?: string): Promise<Incident>;
}

/** Builds the incident service over a store. */
export function createIncidentService(deps: IncidentServiceDeps): IncidentService {
  return {
    acknowledge(id, by, note) {
      return deps.store.acknowledgeIncident(id, {
        at: deps.clock.now(),
        by,
        note: note === undefined || note.trim() === '' ? null : note.trim(),
      });
    },
  };
}
