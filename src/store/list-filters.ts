import type { ConsensusRound } from '../domain/consensus.ts';

// Keyset pagination: every list takes `after`, the sort key of the last item of the previous
// page, and returns the items strictly after it in the list's order. Items inserted between
// two pages land before or after that key, so no item is listed twice or skipped.

export interface MonitorFilter {
  group?: string | undefined;
  tag?: string | undefined;
  /** Position: list monitors after this one in (name, id) order. */
  after?: { name: string; id: string } | undefined;
  /** At most this many (every match when not given). */
  limit?: number | undefined;
}

export interface IncidentFilter {
  monitorId?: string;
  /** Only open incidents when true; false or absent lists every incident. */
  active?: boolean;
  /** Position in (startedAt desc, id asc) order. */
  after?: { startedAt: number; id: string };
  limit?: number;
}

export interface ResultFilter {
  monitorId?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Position in (checkedAt desc, then newest stored first) order: the last result listed. */
  after?: { checkedAt: number; id: string };
  limit?: number;
}

export interface AlertDeliveryFilter {
  monitorId?: string;
  incidentId?: string;
  /** Epoch ms, inclusive, on `createdAt`. */
  since?: number;
  /** Position in (createdAt desc, id asc) order. */
  after?: { createdAt: number; id: string };
  limit?: number;
}

export interface RoundFilter {
  monitorId?: string;
  incidentId?: string;
  /** Only rounds whose verdict is one of these. */
  verdicts?: readonly ConsensusRound['verdict'][];
  /** Only rounds where this node's vote was counted as `fail`. */
  failingNode?: string;
  /** Epoch ms, inclusive, on `decidedAt`. */
  since?: number;
  /** Position in (decidedAt desc, id desc) order. */
  after?: { decidedAt: number; id: string };
  /** Newest first; at most this many (100 when not given). */
  limit?: number;
}
