// Whether a node's failures are about the node (pure): without canaries, its own recent record
// tells — a node failing most of its other monitors while other nodes see them up has lost its
// own network, not every target at once.

export interface VantagePolicy {
  /** Only results this recent count (the node's "recent record"). */
  windowMs: number;
  /** The rule needs at least this many other monitors on the node to judge from. */
  minOtherMonitors: number;
}

export const DEFAULT_VANTAGE_POLICY: VantagePolicy = { windowMs: 60_000, minOtherMonitors: 2 };

/** A node's recent record, as the coordinator has it. */
export interface VantageRecord {
  /** Monitors the node runs. */
  monitorsRun: number;
  /**
   * How many of its monitors' latest result (inside the window) failed while another node sees
   * them up (estimated from a sample when the node fails very many; never below the ids listed).
   */
  contradicted: number;
  /** The contradicted monitors examined. */
  contradictedIds: ReadonlySet<string>;
}

/** The rule's view of one node for one monitor's vote. */
export interface VantageJudgement {
  failing: boolean;
  /** Other monitors failing on the node while others see them up. */
  contradicted: number;
  /** Other monitors the node runs. */
  others: number;
}

/**
 * Judges a node's fail vote on `monitorId`: it is the node's own trouble when the node runs at
 * least `minOtherMonitors` other monitors and more than half of them fail there while another
 * node sees them up. The monitor voted on is left out, so a real outage of one target never
 * counts against the nodes that see it; and a failure everyone shares is no contradiction, so a
 * network-wide outage of every target still confirms.
 */
export function judgeVantage(
  record: VantageRecord,
  monitorId: string,
  policy: VantagePolicy,
): VantageJudgement {
  const others = Math.max(0, record.monitorsRun - 1);
  const contradicted = record.contradicted - (record.contradictedIds.has(monitorId) ? 1 : 0);
  const failing = others >= policy.minOtherMonitors && contradicted * 2 > others;
  return { failing, contradicted, others };
}
