import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { ConsensusPolicy, VoteEvidence, VoteReply } from '../../domain/consensus.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type {
  ConsensusContext,
  ConsensusEffect,
  ConsensusEvent,
  MonitorConsensusState,
} from '../monitor-consensus.ts';
import { consensusFields, initialConsensusState, stepConsensus } from '../monitor-consensus.ts';
import type { VoterInfo } from '../round.ts';
import type { UpstreamView } from '../dependencies.ts';

// A small driver of the pure consensus core for unit tests: one monitor, named nodes with
// regions, a clock the test moves, and every effect kept in order.

export const FAIL: VoteEvidence = {
  status: 'down',
  latencyMs: 2,
  errorKind: 'refused',
  message: 'connection refused',
  timings: {},
  checkedAt: 1_000,
};
export const OK: VoteEvidence = { ...FAIL, status: 'up', errorKind: null, message: 'HTTP 200' };

/** A small driver: one monitor, named nodes with regions, a clock the test moves. */
export class Harness {
  state: MonitorConsensusState;
  now = 10_000;
  effects: ConsensusEffect[] = [];
  voters: VoterInfo[];
  policy: ConsensusPolicy;
  ids = 0;
  paused = false;
  cooldownMs = 0;
  /** The monitors this one depends on, as the runner would describe them now. */
  upstream: UpstreamView[] = [];
  readonly monitorId: string;

  constructor(
    nodes: Record<string, string | null>,
    policy: Partial<ConsensusPolicy> = {},
    monitorId = 'mon',
  ) {
    this.monitorId = monitorId;
    this.voters = Object.entries(nodes).map(([nodeId, region]) => ({
      nodeId,
      name: nodeId,
      region,
      online: true,
      impaired: false,
      vantageFailing: false,
    }));
    this.policy = { ...DEFAULT_CONSENSUS, ...policy };
    this.state = initialConsensusState({
      ...consensusFields(initialRuntimeState(monitorId)),
      status: 'up',
    });
  }

  context(): ConsensusContext {
    return {
      now: this.now,
      selfId: 'coord',
      monitor: {
        id: this.monitorId,
        timeoutMs: 1_000,
        alertCooldownMs: this.cooldownMs,
        consensus: this.policy,
        paused: this.paused,
      },
      voters: this.voters,
      voteMarginMs: 2_000,
      recheckMs: 60_000,
      // Ids name the monitor unless it is the default one, so several harnesses never collide.
      newId: (prefix) =>
        this.monitorId === 'mon'
          ? `${prefix}${++this.ids}`
          : `${prefix}-${this.monitorId}-${++this.ids}`,
      upstream: this.upstream,
    };
  }

  send(event: ConsensusEvent): ConsensusEffect[] {
    const step = stepConsensus(this.state, event, this.context());
    this.state = step.state;
    this.effects.push(...step.effects);
    return step.effects;
  }

  suspect(nodeId: string, canariesFailing = false): ConsensusEffect[] {
    return this.send({
      type: 'view',
      nodeId,
      view: { suspect: true, since: this.now - 1_000, evidence: this.at(FAIL), canariesFailing },
    });
  }

  recovered(nodeId: string): ConsensusEffect[] {
    return this.send({
      type: 'view',
      nodeId,
      view: {
        suspect: false,
        since: this.now - 1_000,
        evidence: this.at(OK),
        canariesFailing: false,
      },
    });
  }

  vote(nodeId: string, outcome: VoteReply['outcome'], canariesFailing = false): ConsensusEffect[] {
    const roundId = this.state.round?.id ?? 'none';
    return this.send({
      type: 'vote',
      roundId,
      nodeId,
      reply: { outcome, evidence: this.at(outcome === 'ok' ? OK : FAIL), canariesFailing },
    });
  }

  /** The evidence as if checked now. */
  at(evidence: VoteEvidence): VoteEvidence {
    return { ...evidence, checkedAt: this.now };
  }

  of<T extends ConsensusEffect['type']>(type: T): Extract<ConsensusEffect, { type: T }>[] {
    return this.effects.filter((e): e is Extract<ConsensusEffect, { type: T }> => e.type === type);
  }
}
