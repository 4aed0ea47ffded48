import type { ConsensusPolicy, VoteEvidence } from '../../domain/consensus.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type { ImpairmentState } from '../impairment.ts';
import { emptyImpairment, stepImpairment } from '../impairment.ts';
import type { LocalView } from '../local-hysteresis.ts';
import { applyLocalResult, INITIAL_LOCAL_VIEW } from '../local-hysteresis.ts';
import type {
  ConsensusEffect,
  ConsensusEvent,
  ConsensusFields,
  MonitorConsensusState,
} from '../monitor-consensus.ts';
import { consensusFields, initialConsensusState, stepConsensus } from '../monitor-consensus.ts';
import type { VoterInfo } from '../round.ts';

// A discrete-event model of a cluster around the pure consensus core, for property tests:
// nodes check one target on a fixed interval through their real local hysteresis, the
// coordinator's consensus steps on signals, votes, deadlines and ticks, and the world can
// break the target (for everyone or per node), lose or delay votes and restart the coordinator.

/** A simulated world: who exists, what they see, and what goes wrong when. */
export interface Scenario {
  /** Region per node; node 0 is the coordinator. */
  regions: (string | null)[];
  intervalMs: number;
  timeoutMs: number;
  failureThreshold: number;
  recoveryThreshold: number;
  policy: ConsensusPolicy;
  /** The target is down for everyone in these windows [start, end). */
  outages: { start: number; end: number }[];
  /** One node cannot reach the target in these windows. */
  partitions: { node: number; start: number; end: number }[];
  /** The coordinator is down (state lost, messages lost) in these windows. */
  restarts: { start: number; end: number }[];
  /** Per vote request: delay in ms before the answer arrives, or null when it is lost. */
  voteDelays: (number | null)[];
  /** From this time on the network heals: every answer arrives within 100 ms. */
  reliableAfter: number;
  /** Simulated time to run, ms. */
  durationMs: number;
  /** Per-incident cooldown of repeated pages (default 0). */
  alertCooldownMs?: number;
  /** The monitor is paused in these windows: no reports or rechecks; rounds in flight decide. */
  pauses?: { start: number; end: number }[];
  /**
   * These nodes lose their own uplink (the target is fine): they see it down, and are judged
   * vantage-failing `detectAfterMs` later (the coordinator noticing from their records).
   */
  uplinkLosses?: { nodes: number[]; start: number; end: number; detectAfterMs: number }[];
}

/** Everything the run produced, in order. */
export interface SimulationLog {
  effects: { at: number; effect: ConsensusEffect }[];
  /** The persisted fields at the end. */
  finalFields: ConsensusFields;
  /** At each time a node ran a check: whether it saw the target down (ground truth). */
  truth: (node: number, at: number) => boolean;
}

type QueuedEvent =
  | { at: number; kind: 'check'; node: number }
  | { at: number; kind: 'vote'; node: number; roundId: string; failing: boolean; checkedAt: number }
  | { at: number; kind: 'deadline'; roundId: string }
  | { at: number; kind: 'tick' }
  | { at: number; kind: 'restart-done' }
  | { at: number; kind: 'unhealthy'; node: number };

const MONITOR_ID = 'mon_sim';
const VOTE_MARGIN_MS = 500;

/** Runs one scenario to its end and returns the log of effects. */
export function simulate(scenario: Scenario): SimulationLog {
  const nodeIds = scenario.regions.map((_, i) => `n${i}`);
  const losses = scenario.uplinkLosses ?? [];
  const truth = (node: number, at: number): boolean =>
    scenario.outages.some((o) => at >= o.start && at < o.end) ||
    scenario.partitions.some((p) => p.node === node && at >= p.start && at < p.end) ||
    losses.some((l) => l.nodes.includes(node) && at >= l.start && at < l.end);
  // The coordinator's record of a node clears with its next passing result, one interval on.
  const flagged = (node: number, at: number): boolean =>
    losses.some(
      (l) =>
        l.nodes.includes(node) &&
        at >= l.start + l.detectAfterMs &&
        at < l.end + scenario.intervalMs,
    );
  const paused = (at: number): boolean =>
    (scenario.pauses ?? []).some((p) => at >= p.start && at < p.end);
  const coordinatorDown = (at: number): boolean =>
    scenario.restarts.some((r) => at >= r.start && at < r.end);

  let persisted: ConsensusFields = consensusFields(initialRuntimeState(MONITOR_ID));
  let state: MonitorConsensusState = initialConsensusState(persisted);
  let impairment: ImpairmentState = emptyImpairment();
  const local: LocalView[] = nodeIds.map(() => INITIAL_LOCAL_VIEW);
  const lastFailure: (VoteEvidence | null)[] = nodeIds.map(() => null);
  const log: SimulationLog['effects'] = [];
  let ids = 0;
  let votesAsked = 0;

  const queue: QueuedEvent[] = [];
  const push = (event: QueuedEvent): void => {
    let i = queue.length;
    while (i > 0 && (queue[i - 1] as QueuedEvent).at > event.at) i--;
    queue.splice(i, 0, event);
  };
  nodeIds.forEach((_, node) =>
    push({ at: (node * 137) % scenario.intervalMs, kind: 'check', node }),
  );
  push({ at: 1_000, kind: 'tick' });
  for (const restart of scenario.restarts) push({ at: restart.end, kind: 'restart-done' });
  for (const loss of losses) {
    for (const node of loss.nodes)
      push({ at: loss.start + loss.detectAfterMs, kind: 'unhealthy', node });
  }

  function voters(at: number): VoterInfo[] {
    return nodeIds.map((nodeId, i) => ({
      nodeId,
      name: nodeId,
      region: scenario.regions[i] ?? null,
      online: true,
      impaired: impairment.impaired[nodeId] !== undefined,
      vantageFailing: flagged(i, at),
    }));
  }

  function evidence(failing: boolean, at: number): VoteEvidence {
    return {
      status: failing ? 'down' : 'up',
      latencyMs: 1,
      errorKind: failing ? 'refused' : null,
      message: failing ? 'connection refused' : 'ok',
      timings: {},
      checkedAt: at,
    };
  }

  function step(event: ConsensusEvent, at: number): void {
    // Like the runner: a paused monitor only lets rounds in flight decide.
    if (paused(at) && event.type !== 'vote' && event.type !== 'deadline') return;
    const result = stepConsensus(state, event, {
      now: at,
      selfId: 'n0',
      monitor: {
        id: MONITOR_ID,
        timeoutMs: scenario.timeoutMs,
        alertCooldownMs: scenario.alertCooldownMs ?? 0,
        consensus: scenario.policy,
        paused: paused(at),
      },
      voters: voters(at),
      voteMarginMs: VOTE_MARGIN_MS,
      recheckMs: 2 * scenario.intervalMs,
      newId: (prefix) => `${prefix}_${++ids}`,
    });
    state = result.state;
    persisted = state.fields;
    for (const effect of result.effects) {
      log.push({ at, effect });
      if (effect.type === 'request-votes') askVotes(effect, at);
      if (effect.type === 'round-decided') {
        impairment = stepImpairment(
          impairment,
          { type: 'round', round: effect.round },
          { impairedAfter: 3 },
          at,
        ).state;
      }
    }
  }

  function askVotes(effect: Extract<ConsensusEffect, { type: 'request-votes' }>, at: number): void {
    push({ at: effect.deadlineAt, kind: 'deadline', roundId: effect.roundId });
    for (const nodeId of effect.nodeIds) {
      const node = nodeIds.indexOf(nodeId);
      // Spread by round and node, so no node is late or lost in every round by construction.
      const index =
        (hash(`${effect.roundId}/${nodeId}`) + votesAsked++) % scenario.voteDelays.length;
      const drawn = scenario.voteDelays[index];
      const delay = at >= scenario.reliableAfter ? Math.min(drawn ?? 100, 100) : drawn;
      if (delay === null || delay === undefined) continue;
      push({
        at: at + delay,
        kind: 'vote',
        node,
        roundId: effect.roundId,
        failing: truth(node, at),
        checkedAt: at,
      });
    }
  }

  function signalView(node: number, suspect: boolean, since: number, at: number): void {
    const ev = suspect ? (lastFailure[node] ?? evidence(true, at)) : evidence(false, at);
    step(
      {
        type: 'view',
        nodeId: nodeIds[node] as string,
        view: { suspect, since, evidence: ev, canariesFailing: false },
      },
      at,
    );
  }

  while (queue.length > 0) {
    const event = queue.shift() as QueuedEvent;
    if (event.at > scenario.durationMs) break;
    const down = coordinatorDown(event.at);
    switch (event.kind) {
      case 'check': {
        push({ at: event.at + scenario.intervalMs, kind: 'check', node: event.node });
        // The coordinator's own node does not check while it is down.
        if (down && event.node === 0) break;
        const failing = truth(event.node, event.at);
        if (failing) lastFailure[event.node] = evidence(true, event.at);
        const applied = applyLocalResult(
          local[event.node] as LocalView,
          { outcome: failing ? 'failing' : 'passing', checkedAt: event.at },
          scenario,
        );
        local[event.node] = applied.view;
        if (applied.signal !== null && !down) {
          signalView(event.node, applied.signal.kind === 'suspect', applied.signal.since, event.at);
        }
        break;
      }
      case 'vote':
        if (down) break;
        step(
          {
            type: 'vote',
            roundId: event.roundId,
            nodeId: nodeIds[event.node] as string,
            reply: {
              outcome: event.failing ? 'fail' : 'ok',
              evidence: evidence(event.failing, event.checkedAt),
              canariesFailing: false,
            },
          },
          event.at,
        );
        break;
      case 'deadline':
        if (!down) step({ type: 'deadline', roundId: event.roundId }, event.at);
        break;
      case 'tick':
        push({ at: event.at + 1_000, kind: 'tick' });
        if (!down) step({ type: 'tick' }, event.at);
        break;
      case 'unhealthy':
        if (!down)
          step({ type: 'voter-unhealthy', nodeId: nodeIds[event.node] as string }, event.at);
        break;
      case 'restart-done':
        // Only the persisted fields survive; the coordinator's own hysteresis starts over.
        state = initialConsensusState(persisted);
        // The runner's first look after a start finds every node already set aside.
        for (let node = 0; node < nodeIds.length; node++) {
          if (flagged(node, event.at))
            step({ type: 'voter-unhealthy', nodeId: nodeIds[node] as string }, event.at);
        }
        impairment = emptyImpairment(impairment.impaired);
        local[0] = INITIAL_LOCAL_VIEW;
        // Agents reconnect and send their suspect sets.
        for (let node = 1; node < nodeIds.length; node++) {
          const view = local[node] as LocalView;
          // Like the vantage point: only suspects whose latest result failed.
          if (view.suspect && view.failures > 0) {
            signalView(node, true, view.failureSince ?? event.at, event.at);
          }
        }
        break;
    }
  }
  return { effects: log, finalFields: persisted, truth };
}

/** A small deterministic string hash (FNV-1a). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Windows laid out one after another: [gap, length] pairs from a start time. */
export function layout(pairs: [number, number][], from: number): { start: number; end: number }[] {
  let at = from;
  return pairs.map(([gap, length]) => {
    const start = at + gap;
    at = start + length;
    return { start, end: at };
  });
}
