import type { StepDownReason } from './lease-decision.ts';

/** Why a holder lost the lease; it has stopped acting when `lost` is called. */
export type LeaseLossReason = StepDownReason;

/** What the coordinator hears from its lease: start the leader plane, stop it. */
export interface LeaseEvents {
  acquired(epoch: number): void;
  lost(reason: LeaseLossReason): void;
}

/** The lease as this coordinator holds it at the moment of the call. */
export interface LeaseState {
  /** Whether this coordinator may act as the leader now (judged by the clock at the call). */
  holding: boolean;
  /** The epoch held, or the last one held (0 before any): what leader writes carry. */
  epoch: number;
  /** When the epoch held now was acquired (this coordinator's clock); absent when not holding. */
  since?: number;
}

/**
 * The leader lease as a start/stop component. `stop()` is a planned handover: the caller has
 * stopped acting already, so it emits no `lost`; it frees the lease for the next holder at once.
 */
export interface LeaderLease {
  start(): Promise<void>;
  stop(): Promise<void>;
  current(): LeaseState;
  /**
   * The leader as this coordinator last saw it (itself while holding; else the row at its last
   * look, while unexpired): where a follower sends agents. Null between leaders.
   */
  leader(): { nodeId: string; address: string | null } | null;
}
