import type { RoutingSnapshot } from '../../alerts/routing.ts';
import type { ImpairmentPolicy, ImpairmentTransition } from '../../consensus/impairment.ts';
import type { VantagePolicy } from '../../consensus/vantage-health.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import type {
  ConsensusRound,
  NodeSignal,
  VoteEvidence,
  VoteReply,
} from '../../domain/consensus.ts';
import type { InMaintenance } from '../../domain/maintenance.ts';
import type { GroupingSettings, StoredCauseGroup } from '../../domain/cause-group.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { VoterNode } from '../assignment.ts';
import type { Ingestor } from './ingest.ts';

// The consensus runner's contract: what it needs from the coordinator and what it offers.
// The runner itself (`consensus-runner.ts`) is the I/O shell around the pure consensus core.

export interface ConsensusRunnerDeps {
  clock: Clock;
  logger: Logger;
  /** The coordinator's node id. */
  selfId: string;
  /** Every known monitor by id. */
  monitors(): ReadonlyMap<string, Monitor>;
  /** Every enrolled, not removed node (the coordinator included). */
  nodes(): Iterable<VoterNode>;
  /** Whether a node can be asked to vote now. */
  online(nodeId: string): boolean;
  /** This node's clock minus the coordinator's (ms), to bring its timestamps onto ours. */
  clockOffsetMs(nodeId: string): number | null;
  ingestor: Ingestor;
  /** Asks a node to run a monitor's check now and answer with `vote`. */
  requestVote(
    nodeId: string,
    request: { roundId: string; monitorId: string; deadlineAt: number },
  ): void;
  /** A node's health changed (persist it and alert). */
  onNodeHealth(transition: ImpairmentTransition): void;
  /** A round was decided (for metrics). */
  onRoundDecided?(round: ConsensusRound): void;
  newId(prefix: 'rnd' | 'inc' | 'dlv' | 'dgr' | 'grp'): string;
  /** Nodes persisted as impaired (their votes stay set aside after a restart). */
  impairedAtStart: Readonly<Record<string, number>>;
  impairment: ImpairmentPolicy;
  /** Causes of open incidents by id (loaded at start), for recovery alerts. */
  openCauses: Map<string, string>;
  /** Alert targets and routing rules as they are now; none when omitted. */
  routing?: () => RoutingSnapshot;
  /** Margin added to a check's timeout for its vote deadline. */
  voteMarginMs: number;
  /** How often a monitor in trouble is rechecked; at least twice its interval. */
  recheckMs: number;
  /** Rechecks start this long after start, so agents can reconnect first. */
  settleMs: number;
  /** Whether a node's canaries mostly fail now (its latest heartbeat, or this node's own). */
  canariesFailing(nodeId: string): boolean;
  /** The maintenance window covering a monitor now (its alerts are recorded suppressed). */
  inMaintenance?: InMaintenance;
  /** The vantage rule for nodes without (or besides) canaries. */
  vantage: VantagePolicy;
  /**
   * Grouping incidents by a shared cause (one page per host, resolver, region or group), with
   * the groups still open at start; off when omitted.
   */
  grouping?: { settings: GroupingSettings; stored: readonly StoredCauseGroup[] };
}

/** The coordinator's consensus: node reports in, rounds out, decisions stored. */
export interface ConsensusRunner {
  /** A node's local hysteresis crossed a threshold. */
  signal(nodeId: string, signal: NodeSignal): void;
  /** A node's full suspect set (after it connects): replaces what was known from it. */
  views(
    nodeId: string,
    suspects: readonly { monitorId: string; since: number; evidence: VoteEvidence }[],
    canariesFailing: boolean,
  ): void;
  vote(nodeId: string, roundId: string, monitorId: string, reply: VoteReply): void;
  /** A result the coordinator stored (any node's): feeds the nodes' recent records. */
  observeResult(result: RecordedResult): void;
  monitorRemoved(monitorId: string): void;
  nodeRemoved(nodeId: string): void;
  impaired(nodeId: string): boolean;
  /** Monitors with a round open right now. */
  openRounds(): number;
  start(): void;
  stop(): void;
}
