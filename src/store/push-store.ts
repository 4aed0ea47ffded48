import type { PushState } from '../domain/push-state.ts';

/** Push monitors' received pings: the part of the store contract the ping endpoint uses. */
export interface PushStore {
  /** Replaces the monitor's push state; NOT_FOUND when the monitor does not exist. */
  savePushState(monitorId: string, state: PushState, at: number): Promise<void>;
  /** Every stored push state, by monitor id (states go with their monitor when it is deleted). */
  listPushStates(): Promise<Map<string, PushState>>;
}
