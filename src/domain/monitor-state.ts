import type { CheckStatus, ErrorKind } from './check-result.ts';
import type { IncidentVerdict, Verdict } from './consensus.ts';
import type { DegradedEpisode } from './degraded-episode.ts';
import type { IncidentCause } from './incident.ts';

/**
 * What a user sees for a monitor. `paused` comes from the monitor; `down` and `regional` mean an
 * open incident; `unknown` that too few nodes answered to decide; `flapping` that confirmed
 * changes came too often; the rest come from results.
 */
export type MonitorStatus =
  'pending' | 'up' | 'degraded' | 'down' | 'regional' | 'unknown' | 'flapping' | 'paused';

/** The incident a monitor has open, as its state keeps it. */
export interface OpenIncidentRef {
  id: string;
  startedAt: number;
  verdict: IncidentVerdict;
  regions: string[];
  /** When the quorum confirmed it (coordinator clock). */
  openedAt: number;
  /**
   * Nodes whose counted fail votes confirmed it. If one of them is found impaired or abstaining
   * within the recheck period, the incident is put to a new round and retracted unless confirmed.
   */
  confirmedBy: string[];
  /** Pages sent for it: `<routes>:<kind>` → when the last was sent (the per-incident cooldown). */
  pages: Readonly<Record<string, number>>;
  /** The parent incident it is linked to (it pages nobody meanwhile); absent or null: none. */
  causedBy?: IncidentCause | null;
  /**
   * Since when its opening page waits for a failing parent's round to decide (at most that
   * parent's hold time, see `consensus/dependencies.ts`); absent or null: not waiting.
   */
  heldSince?: number | null;
}

/**
 * Runtime state of one monitor on the coordinator: observation fields follow every stored
 * result (from any node); consensus fields change only when a confirmation round decides.
 * Persisted with every batch.
 */
export interface MonitorRuntimeState {
  monitorId: string;
  status: Exclude<MonitorStatus, 'paused'>;
  /** Consecutive failing results, from any node (observation only; rounds decide incidents). */
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Epoch ms of the first result of the current failure streak (any node). */
  failureStreakStartedAt: number | null;
  /** Epoch ms of the first result of the current success streak (any node). */
  successStreakStartedAt: number | null;
  openIncident: OpenIncidentRef | null;
  lastCheckedAt: number | null;
  lastResultStatus: CheckStatus | null;
  lastLatencyMs: number | null;
  lastMessage: string | null;
  lastErrorKind: ErrorKind | null;
  /** The node that reported the last result (so a failure is shown with who saw it). */
  lastNodeId: string | null;
  /** Epoch ms of the last status change. */
  statusSince: number | null;
  /** Epoch ms of the last down or regional page sent (not suppressed); shown, not a rule input. */
  lastDownAlertAt: number | null;
  /** The last decided round's verdict and when; null before the first round. */
  verdict: Verdict | null;
  verdictAt: number | null;
  /** Regions where every counted node failed in the last round (sorted). */
  failingRegions: string[];
  /** Nodes whose counted vote failed in the last round, so sub-quorum trouble stays visible. */
  failingNodes: string[];
  /** Epoch ms of recent confirmed changes (incident opened or resolved), oldest first. */
  flapChanges: number[];
  /** Epoch ms the monitor started flapping; null when it is not. */
  flappingSince: number | null;
  /**
   * End of the last resolved incident: the next one cannot start before it (a node still failing
   * since earlier must not date a new incident into the previous one).
   */
  lastEndedAt: number | null;
  /** The open degraded episode (see `degraded-episode.ts`); null when none. */
  degradedEpisode: DegradedEpisode | null;
}

/** The state a new monitor starts in. */
export function initialRuntimeState(monitorId: string): MonitorRuntimeState {
  return {
    monitorId,
    status: 'pending',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    failureStreakStartedAt: null,
    successStreakStartedAt: null,
    openIncident: null,
    lastCheckedAt: null,
    lastResultStatus: null,
    lastLatencyMs: null,
    lastMessage: null,
    lastErrorKind: null,
    lastNodeId: null,
    statusSince: null,
    lastDownAlertAt: null,
    verdict: null,
    verdictAt: null,
    failingRegions: [],
    failingNodes: [],
    flapChanges: [],
    flappingSince: null,
    lastEndedAt: null,
    degradedEpisode: null,
  };
}
