import type { RoutingSnapshot } from '../../alerts/routing.ts';
import type { ConsensusFields } from '../../consensus/consensus-state.ts';
import type {
  DegradedContext,
  DegradedObservation,
  DegradedStep,
  DegradedViews,
} from '../../consensus/degraded-episodes.ts';
import {
  degradedVotes,
  judgeDegraded,
  observeDegraded,
} from '../../consensus/degraded-episodes.ts';
import type { VoterInfo } from '../../consensus/round.ts';
import type { InMaintenance } from '../../domain/maintenance.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Logger } from '../../observability/logger.ts';
import { degradedDeliveries } from './degraded-decisions.ts';
import type { Decision, Ingestor } from './ingest.ts';

export interface DegradedTrackerDeps {
  logger: Logger;
  /** Holds each monitor's open episode (persisted with its runtime state) and stores decisions. */
  ingestor: Pick<Ingestor, 'state' | 'decide'>;
  votersOf(monitor: Monitor): VoterInfo[];
  routing(): RoutingSnapshot;
  inMaintenance?: InMaintenance;
  newId(prefix: 'dgr' | 'dlv'): string;
}

/** The coordinator's degraded episodes: results in, episode starts and ends stored with their alerts. */
export interface DegradedTracker {
  /**
   * A stored result (timestamps on the coordinator's clock): feeds its node, judges the
   * monitor. Results of a monitor gone or paused meanwhile are ignored.
   */
  observe(monitor: Monitor | undefined, result: DegradedObservation, now: number): void;
  /**
   * A round was decided: when it left an incident open, an open episode ends in the same
   * decision (the incident's alerts take over), so both are stored in one transaction.
   */
  afterRound(monitor: Monitor, fields: ConsensusFields, decision: Decision, now: number): void;
  forgetMonitor(monitorId: string): void;
}

/** Builds the tracker: the I/O shell around `degraded-episodes.ts`. */
export function createDegradedTracker(deps: DegradedTrackerDeps): DegradedTracker {
  const log = deps.logger.child({ part: 'degraded' });
  const views = new Map<string, DegradedViews>();

  function context(monitor: Monitor, fields: ConsensusFields, now: number): DegradedContext {
    const { id, group, tags } = monitor;
    return {
      now,
      monitor,
      status: fields.status,
      incidentOpen: fields.openIncident !== null,
      voters: deps.votersOf(monitor),
      // A node's latest result counts while its next ones could still be on their way.
      staleMs: 3 * monitor.intervalMs + monitor.timeoutMs,
      silenced: (deps.inMaintenance?.({ kind: 'monitor', id, group, tags }, now) ?? null) !== null,
      newId: () => deps.newId('dgr'),
    };
  }

  /** The decision of one change: the episode field and the change's deliveries. */
  function decisionOf(monitor: Monitor, step: DegradedStep, ctx: DegradedContext): Decision {
    const change = step.change;
    const monitorViews = views.get(monitor.id) ?? {};
    const stored =
      change === null
        ? { alerts: [], openings: {} }
        : degradedDeliveries({
            monitor,
            change,
            views: monitorViews,
            voters: ctx.voters,
            votes: degradedVotes(monitorViews, ctx),
            now: ctx.now,
            newId: () => deps.newId('dlv'),
            routing: deps.routing(),
          });
    if (change !== null) {
      log.info(
        {
          monitorId: monitor.id,
          episodeId: change.episode.id,
          change: change.type,
          reason: change.type === 'ended' ? change.reason : null,
          suppressed: change.episode.suppressed,
          deliveries: stored.alerts.length,
        },
        change.type === 'started' ? 'degraded episode started' : 'degraded episode ended',
      );
    }
    const episode = step.episode === null ? null : { ...step.episode, openings: stored.openings };
    return {
      states: [{ monitorId: monitor.id, patch: { degradedEpisode: episode } }],
      alerts: stored.alerts,
    };
  }

  return {
    observe(monitor, result, now) {
      if (monitor === undefined || monitor.paused) return;
      const thresholds = {
        failureThreshold: monitor.failureThreshold,
        recoveryThreshold: monitor.recoveryThreshold,
      };
      const state = deps.ingestor.state(monitor.id);
      const episode = state.degradedEpisode;
      // Degraded counts as down here: no episodes to follow (one still open is ended below).
      if (monitor.degradedIsDown && episode === null) return;
      const next = observeDegraded(views.get(monitor.id) ?? {}, result, thresholds);
      views.set(monitor.id, next);
      // On the ingest path: with no episode open and no node seeing it degraded, nothing can
      // start, so the quorum is not consulted for each of the many plain results.
      if (episode === null && !Object.values(next).some((v) => v.streak.suspect)) return;
      const ctx = context(monitor, state, now);
      const step = judgeDegraded(episode, next, ctx);
      if (step.change !== null) deps.ingestor.decide(decisionOf(monitor, step, ctx));
    },
    afterRound(monitor, fields, decision, now) {
      const episode = deps.ingestor.state(monitor.id).degradedEpisode;
      if (episode === null || fields.openIncident === null) return;
      const ctx = context(monitor, fields, now);
      const step = judgeDegraded(episode, views.get(monitor.id) ?? {}, ctx);
      if (step.change === null) return;
      const own = decisionOf(monitor, step, ctx);
      // Into the round's own decision: the episode's end and the incident land together.
      decision.states = decision.states.map((s) =>
        s.monitorId === monitor.id ? { ...s, patch: { ...s.patch, degradedEpisode: null } } : s,
      );
      decision.alerts = [...(decision.alerts ?? []), ...(own.alerts ?? [])];
    },
    forgetMonitor(monitorId) {
      views.delete(monitorId);
    },
  };
}
