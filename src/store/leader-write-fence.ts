/**
 * What the store asks before each leader write (`Store.fenceLeaderWrites`): the epoch this
 * coordinator leads under. Leader writes are those only the leader plane makes — ingest with
 * its rounds, incidents and alerts, membership and node-health transitions, delivery outcomes.
 */
export interface LeaderWriteFence {
  /** The epoch this coordinator leads under now, or null when it does not lead (every leader write refused). */
  epoch(): number | null;
}
