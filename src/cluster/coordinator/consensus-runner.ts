import { EMPTY_ROUTING } from '../../alerts/routing.ts';
import type { ConsensusRound, VoteEvidence } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { TimerHandle } from '../../lib/clock.ts';
import type { ImpairmentEvent } from '../../consensus/impairment.ts';
import { emptyImpairment, stepImpairment } from '../../consensus/impairment.ts';
import type {
  ConsensusEffect,
  ConsensusEvent,
  MonitorConsensusState,
  NodeView,
} from '../../consensus/monitor-consensus.ts';
import {
  consensusFields,
  initialConsensusState,
  stepConsensus,
} from '../../consensus/monitor-consensus.ts';
import { createVoterStanding } from './voter-standing.ts';
import { buildDecision } from './round-decisions.ts';
import { createDegradedTracker } from './degraded-tracker.ts';
import { createDependencyIndex } from './dependency-index.ts';
import { createCauseGrouper } from './cause-grouper.ts';
import { DEFAULT_GROUPING } from '../../domain/cause-group.ts';
import type { UpstreamView } from '../../consensus/dependencies.ts';
import { beingJudged, upstreamViewOf } from './upstream-view.ts';
import type { ConsensusRunner, ConsensusRunnerDeps } from './consensus-runner-contract.ts';

export type { ConsensusRunner, ConsensusRunnerDeps } from './consensus-runner-contract.ts';

const TICK_MS = 1_000;

/** Builds the runner: the I/O shell around the pure consensus core. */
export function createConsensusRunner(deps: ConsensusRunnerDeps): ConsensusRunner {
  const { clock } = deps;
  const log = deps.logger.child({ part: 'consensus' });
  const states = new Map<string, MonitorConsensusState>();
  /** Monitors that need ticks: open incident, unknown, flapping, suspects or a round. */
  const attention = new Set<string>();
  const deadlines = new Map<string, TimerHandle>();
  let impairment = emptyImpairment(deps.impairedAtStart);
  let ticker: TimerHandle | undefined;
  let startedAt = 0;
  const standing = createVoterStanding({
    ...deps,
    impaired: (nodeId) => impairment.impaired[nodeId] !== undefined,
  });
  const degraded = createDegradedTracker({
    ...deps,
    votersOf: (monitor) => standing.votersOf(monitor),
    routing: () => deps.routing?.() ?? EMPTY_ROUTING,
  });

  const dependencies = createDependencyIndex(() => deps.monitors(), TICK_MS);
  const grouper = createCauseGrouper({
    logger: log,
    settings: deps.grouping?.settings ?? { ...DEFAULT_GROUPING, minMonitors: 0 },
    stored: deps.grouping?.stored ?? [],
    monitors: () => deps.monitors(),
    routing: () => deps.routing?.() ?? EMPTY_ROUTING,
    judging: (monitorId) =>
      deps.monitors().get(monitorId)?.paused !== true &&
      beingJudged(states.get(monitorId), deps.ingestor.state(monitorId)),
    newId: (prefix) => deps.newId(prefix),
    decide: (decision) => deps.ingestor.decide(decision),
    refreshMs: TICK_MS,
  });

  function upstreamOf(monitor: Monitor, now: number): UpstreamView[] {
    return dependencies
      .parentsOf(monitor, now)
      .map((parent) =>
        upstreamViewOf(
          parent,
          stateOf(parent.id),
          deps.ingestor.state(parent.id),
          deps.voteMarginMs,
        ),
      );
  }

  /** Monitors whose dependents are being told right now (see `tellDependents`). */
  const telling = new Set<string>();

  /**
   * After a monitor's incident changed, the monitors that depend on it judge their link again.
   * Circles are refused where monitors are written; `telling` still stops a stored one (or a
   * chain that comes back) from recursing.
   */
  function tellDependents(monitorId: string, effects: readonly ConsensusEffect[]): void {
    const changed = effects.some((e) => e.type.startsWith('incident-'));
    if (!changed || telling.has(monitorId)) return;
    telling.add(monitorId);
    try {
      for (const child of dependencies.dependentsOf(monitorId, clock.now()))
        step(child, { type: 'upstream' });
    } finally {
      telling.delete(monitorId);
    }
  }

  function stateOf(monitorId: string): MonitorConsensusState {
    let state = states.get(monitorId);
    if (state === undefined) {
      state = initialConsensusState(consensusFields(deps.ingestor.state(monitorId)));
      states.set(monitorId, state);
    }
    return state;
  }

  function step(monitorId: string, event: ConsensusEvent): void {
    const monitor = deps.monitors().get(monitorId);
    if (monitor === undefined) return;
    // A paused monitor starts nothing, but a round already asked is decided (it pages nobody),
    // so no round is left waiting forever.
    if (monitor.paused && event.type !== 'vote' && event.type !== 'deadline') return;
    const before = stateOf(monitorId);
    const now = clock.now();
    const result = stepConsensus(before, event, {
      now,
      selfId: deps.selfId,
      monitor,
      voters: standing.votersOf(monitor),
      voteMarginMs: deps.voteMarginMs,
      recheckMs: Math.max(deps.recheckMs, 2 * monitor.intervalMs),
      newId: (prefix) => deps.newId(prefix),
      upstream: upstreamOf(monitor, now),
    });
    states.set(monitorId, result.state);
    track(monitorId, result.state);
    if (result.state.fields !== before.fields || result.effects.length > 0) {
      apply(monitor, result.state, result.effects);
      tellDependents(monitorId, result.effects);
    }
  }

  function track(monitorId: string, state: MonitorConsensusState): void {
    const f = state.fields;
    const busy =
      state.round !== null ||
      f.openIncident !== null ||
      f.status === 'unknown' ||
      f.flappingSince !== null ||
      Object.values(state.views).some((v) => v.suspect);
    if (busy) attention.add(monitorId);
    else attention.delete(monitorId);
  }

  function apply(monitor: Monitor, state: MonitorConsensusState, effects: ConsensusEffect[]): void {
    const now = clock.now();
    const decided: ConsensusRound[] = [];
    for (const effect of effects) {
      if (effect.type === 'request-votes') requestVotes(monitor, effect);
      if (effect.type === 'round-decided') {
        decided.push(effect.round);
        const timer = deadlines.get(effect.round.id);
        if (timer !== undefined) clock.clearTimeout(timer);
        deadlines.delete(effect.round.id);
      }
    }
    const decision = buildDecision({
      monitor,
      fields: state.fields,
      effects,
      now,
      newId: () => deps.newId('dlv'),
      causes: deps.openCauses,
      routing: deps.routing?.() ?? EMPTY_ROUTING,
      ...(deps.inMaintenance === undefined ? {} : { inMaintenance: deps.inMaintenance }),
    });
    if (decision !== null) {
      degraded.afterRound(monitor, state.fields, decision, now);
      grouper.review(monitor, decision, now);
      deps.ingestor.decide(decision);
    }
    for (const round of decided) {
      log.info(
        {
          monitorId: monitor.id,
          roundId: round.id,
          verdict: round.verdict,
          regions: round.regions,
          incidentId: round.incidentId,
        },
        'confirmation round decided',
      );
      judgeNodes({ type: 'round', round });
      deps.onRoundDecided?.(round);
    }
  }

  function requestVotes(
    monitor: Monitor,
    effect: Extract<ConsensusEffect, { type: 'request-votes' }>,
  ): void {
    const delay = Math.max(0, effect.deadlineAt - clock.now());
    deadlines.set(
      effect.roundId,
      clock.setTimeout(() => {
        deadlines.delete(effect.roundId);
        step(monitor.id, { type: 'deadline', roundId: effect.roundId });
      }, delay),
    );
    log.info(
      { monitorId: monitor.id, roundId: effect.roundId, nodes: effect.nodeIds.length },
      'confirmation round opened',
    );
    for (const nodeId of effect.nodeIds) {
      deps.requestVote(nodeId, {
        roundId: effect.roundId,
        monitorId: monitor.id,
        deadlineAt: effect.deadlineAt,
      });
    }
  }

  function judgeNodes(event: ImpairmentEvent): void {
    const result = stepImpairment(impairment, event, deps.impairment, clock.now());
    impairment = result.state;
    for (const transition of result.transitions) {
      if (transition.impaired) doubt(transition.nodeId, 'impaired');
      log.warn(
        {
          peerNodeId: transition.nodeId,
          impaired: transition.impaired,
          monitors: transition.monitors.length,
        },
        transition.impaired ? 'node impaired: its votes are set aside' : 'node healthy again',
      );
      deps.onNodeHealth(transition);
    }
  }

  /** Brings a node's timestamps onto the coordinator's clock. */
  function local(nodeId: string, at: number): number {
    if (nodeId === deps.selfId) return at;
    return at - (deps.clockOffsetMs(nodeId) ?? 0);
  }

  function viewOf(
    nodeId: string,
    suspect: boolean,
    since: number,
    evidence: VoteEvidence,
    canariesFailing: boolean,
  ): NodeView {
    return {
      suspect,
      since: local(nodeId, since),
      evidence: onOurClock(nodeId, evidence),
      canariesFailing,
    };
  }

  function onOurClock(nodeId: string, evidence: VoteEvidence): VoteEvidence {
    return evidence.checkedAt === null
      ? evidence
      : { ...evidence, checkedAt: local(nodeId, evidence.checkedAt) };
  }

  /**
   * A node turned impaired or abstaining: open incidents it helped confirm are put to a
   * reconfirm round (the core decides whether that is still in time).
   */
  function doubt(nodeId: string, reason: string): void {
    for (const monitorId of [...attention]) {
      const open = states.get(monitorId)?.fields.openIncident;
      if (open?.confirmedBy.includes(nodeId) !== true) continue;
      log.warn(
        { monitorId, incidentId: open.id, peerNodeId: nodeId, reason },
        'a node that confirmed this incident is now set aside: checking it again',
      );
      step(monitorId, { type: 'voter-unhealthy', nodeId });
    }
  }

  function tick(): void {
    const now = clock.now();
    // Held pages are never kept back by the settle time: a group decides on its own clock.
    grouper.tick(now);
    // A runner just started (a coordinator's start, a new leader after a failover) has heard
    // from only the nodes that reconnected first, and the vantage rule reads a node not heard
    // from yet as seeing every monitor up: the first agent to report a real outage would be
    // set aside, its incidents put to a reconfirm round and retracted. Judge nodes only once
    // every node had the settle time to reconnect and report.
    if (now - startedAt < deps.settleMs) return;
    for (const { nodeId, reason } of standing.newlyUnhealthy()) doubt(nodeId, reason);
    // What the vantage rule sees is what impairment waits three rounds to see: the node is
    // reported impaired (one `node-impaired` alert) instead of set aside in silence. Fed every
    // tick, since the record grows as the node's other monitors fail one after another.
    for (const { nodeId, monitorIds } of standing.contradictions())
      judgeNodes({ type: 'contradicted', nodeId, monitorIds });
    for (const monitorId of [...attention]) {
      if (tickDue(monitorId, now)) step(monitorId, { type: 'tick' });
    }
  }

  /**
   * Whether a tick could change anything: a flapping monitor may settle, others only once their
   * recheck period has passed. Saves stepping every troubled monitor every second when a whole
   * network is down (the core makes the same test; this only skips the work).
   */
  function tickDue(monitorId: string, now: number): boolean {
    const state = states.get(monitorId);
    if (state === undefined || state.fields.flappingSince !== null) return true;
    // A held page is released (or recorded) as soon as its hold ends.
    if ((state.fields.openIncident?.heldSince ?? null) !== null) return true;
    if (state.round !== null) return false;
    const intervalMs = deps.monitors().get(monitorId)?.intervalMs ?? 0;
    const last = state.lastRoundAt ?? state.fields.verdictAt ?? Number.NEGATIVE_INFINITY;
    return now - last >= Math.max(deps.recheckMs, 2 * intervalMs);
  }

  return {
    signal(nodeId, signal) {
      const suspect = signal.kind === 'suspect';
      const view = viewOf(nodeId, suspect, signal.since, signal.evidence, signal.canariesFailing);
      step(signal.monitorId, { type: 'view', nodeId, view });
      if (!suspect) judgeNodes({ type: 'recovered', nodeId, monitorId: signal.monitorId });
    },
    views(nodeId, suspects, canariesFailing) {
      const listed = new Set(suspects.map((s) => s.monitorId));
      for (const [monitorId, state] of states) {
        const known = state.views[nodeId];
        if (known?.suspect && !listed.has(monitorId)) {
          // It recovered while we were apart: a recovery as if signalled now.
          const view = { ...known, suspect: false, since: clock.now() };
          step(monitorId, { type: 'view', nodeId, view });
          judgeNodes({ type: 'recovered', nodeId, monitorId });
        }
      }
      for (const suspect of suspects) {
        const view = viewOf(nodeId, true, suspect.since, suspect.evidence, canariesFailing);
        step(suspect.monitorId, { type: 'view', nodeId, view });
      }
    },
    vote(nodeId, roundId, monitorId, reply) {
      step(monitorId, {
        type: 'vote',
        roundId,
        nodeId,
        reply: { ...reply, evidence: onOurClock(nodeId, reply.evidence) },
      });
    },
    observeResult(result) {
      standing.observe(result);
      const checkedAt = local(result.nodeId, result.checkedAt);
      degraded.observe(
        deps.monitors().get(result.monitorId),
        { ...result, checkedAt },
        clock.now(),
      );
    },
    monitorRemoved(monitorId) {
      standing.forgetMonitor(monitorId);
      degraded.forgetMonitor(monitorId);
      states.delete(monitorId);
      attention.delete(monitorId);
      grouper.monitorRemoved(monitorId, clock.now());
      judgeNodes({ type: 'forget-monitor', monitorId });
    },
    nodeRemoved(nodeId) {
      standing.forgetNode(nodeId);
      judgeNodes({ type: 'forget-node', nodeId });
    },
    impaired: (nodeId) => impairment.impaired[nodeId] !== undefined,
    openRounds: () => [...states.values()].filter((s) => s.round !== null).length,
    start() {
      startedAt = clock.now();
      for (const monitorId of deps.monitors().keys()) {
        const state = deps.ingestor.state(monitorId);
        if (
          state.openIncident !== null ||
          state.status === 'unknown' ||
          state.flappingSince !== null
        )
          attention.add(monitorId);
      }
      const loop = (): void => {
        tick();
        ticker = clock.setTimeout(loop, TICK_MS);
      };
      ticker = clock.setTimeout(loop, TICK_MS);
    },
    stop() {
      if (ticker !== undefined) clock.clearTimeout(ticker);
      ticker = undefined;
      for (const timer of deadlines.values()) clock.clearTimeout(timer);
      deadlines.clear();
    },
  };
}
