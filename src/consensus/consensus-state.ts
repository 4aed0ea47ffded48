import type { AlertKind } from '../domain/alert.ts';
import type {
  ConsensusPolicy,
  ConsensusRound,
  IncidentVerdict,
  RoundPurpose,
  VoteEvidence,
  VoteReply,
} from '../domain/consensus.ts';
import type { Incident, IncidentCause } from '../domain/incident.ts';
import type { UpstreamView } from './dependencies.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { ActiveRound, VoterInfo } from './round.ts';

// The shapes of a monitor's consensus: its state, the events it takes, the context of a step
// and the effects a step returns (see monitor-consensus.ts).

/** The persisted part of a monitor's state that rounds decide. */
export type ConsensusFields = Pick<
  MonitorRuntimeState,
  | 'status'
  | 'statusSince'
  | 'openIncident'
  | 'lastDownAlertAt'
  | 'verdict'
  | 'verdictAt'
  | 'failingRegions'
  | 'failingNodes'
  | 'flapChanges'
  | 'flappingSince'
  | 'lastEndedAt'
>;

/** A node's current local view of one monitor (its last signal), coordinator clock. */
export interface NodeView {
  suspect: boolean;
  since: number;
  evidence: VoteEvidence;
  canariesFailing: boolean;
}

/** Everything the coordinator knows about one monitor's consensus. */
export interface MonitorConsensusState {
  fields: ConsensusFields;
  /** By node id: the node's last reported view. */
  views: Readonly<Record<string, NodeView>>;
  round: ActiveRound | null;
  /** Ids of recently decided rounds: answers to them are recorded as late. */
  decided: readonly string[];
  /** Triggers that arrived while a round was open (one per purpose); judged once it is decided. */
  pending: readonly { purpose: RoundPurpose; triggeredBy: string }[];
  lastRoundAt: number | null;
}

/** The parts of a monitor the consensus needs. */
export interface ConsensusMonitor {
  id: string;
  timeoutMs: number;
  alertCooldownMs: number;
  consensus: ConsensusPolicy;
  /** A paused monitor's rounds in flight still decide, but open no page. */
  paused: boolean;
}

/** Inputs of one step besides the state and event: clock, monitor, voters, ids. */
export interface ConsensusContext {
  now: number;
  /** The coordinator's node id (it triggers periodic rechecks). */
  selfId: string;
  monitor: ConsensusMonitor;
  /** Nodes that run the monitor (removed ones excluded), with liveness and health. */
  voters: readonly VoterInfo[];
  /** Added to the check's timeout to give a vote's deadline. */
  voteMarginMs: number;
  /** A monitor in trouble (open incident, unknown, suspects) is rechecked this often. */
  recheckMs: number;
  newId(prefix: 'rnd' | 'inc'): string;
  /**
   * The monitors this one depends on, in its order (groups expanded); absent or empty when it
   * depends on none. Their confirmed incidents are what its own incident may be linked to.
   */
  upstream?: readonly UpstreamView[];
}

export type ConsensusEvent =
  | { type: 'view'; nodeId: string; view: NodeView }
  | { type: 'vote'; roundId: string; nodeId: string; reply: VoteReply }
  | { type: 'deadline'; roundId: string }
  | { type: 'tick' }
  /** A node turned impaired or abstaining (canaries, vantage): incidents it confirmed are rechecked. */
  | { type: 'voter-unhealthy'; nodeId: string }
  /** A monitor it depends on changed (an incident opened, resolved, retracted or relinked). */
  | { type: 'upstream' };

/** Which routes an opening alert goes to: the monitor's main routes or its regional ones. */
export type AlertRoutes = 'main' | 'regional';

/**
 * Where an alert goes: an opening to a route group; a closing (recovered, retracted) to
 * `paged`, every route an opening of the incident was stored for, each following its opening.
 */
export type AlertTarget = AlertRoutes | 'paged';

export type ConsensusEffect =
  | { type: 'request-votes'; roundId: string; nodeIds: string[]; deadlineAt: number }
  | { type: 'round-decided'; round: ConsensusRound }
  | { type: 'late-vote'; roundId: string; vote: ConsensusRound['votes'][number] }
  | { type: 'incident-opened'; incident: Incident }
  | { type: 'incident-updated'; incidentId: string; verdict: IncidentVerdict; regions: string[] }
  | {
      type: 'incident-resolved';
      incidentId: string;
      startedAt: number;
      endedAt: number;
      resolvedAt: number;
      durationMs: number;
    }
  | { type: 'incident-retracted'; incidentId: string; retractedAt: number; reason: string }
  /** The open incident was linked to a parent's incident, or (null) now stands on its own. */
  | { type: 'incident-linked'; incidentId: string; causedBy: IncidentCause | null }
  | {
      type: 'alert';
      kind: AlertKind;
      incident: { id: string; startedAt: number; endedAt: number | null } | null;
      idempotencyKey: string;
      routes: AlertTarget;
      /** The round behind the alert (its votes are the alert's evidence). */
      round: ConsensusRound | null;
      suppressed: boolean;
      reason: string;
    }
  | { type: 'status-changed'; from: ConsensusFields['status']; to: ConsensusFields['status'] };

export interface ConsensusStep {
  state: MonitorConsensusState;
  effects: ConsensusEffect[];
}

/** Idempotency key of a monitor alert: the same monitor, incident and transition give one key. */
export function alertIdempotencyKey(monitorId: string, scope: string, kind: AlertKind): string {
  return `${monitorId}:${scope}:${kind}`;
}

/** The consensus-owned fields of a monitor's runtime state. */
export function consensusFields(state: ConsensusFields): ConsensusFields {
  return {
    status: state.status,
    statusSince: state.statusSince,
    openIncident: state.openIncident,
    lastDownAlertAt: state.lastDownAlertAt,
    verdict: state.verdict,
    verdictAt: state.verdictAt,
    failingRegions: state.failingRegions,
    failingNodes: state.failingNodes,
    flapChanges: state.flapChanges,
    flappingSince: state.flappingSince,
    lastEndedAt: state.lastEndedAt,
  };
}
