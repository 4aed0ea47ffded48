import type { ConsensusRound, Vote } from '../../domain/consensus.ts';
import { MINUTE, T0 } from './fixtures.ts';

/** A vote of node `nodeId` (named `node-<id>`, region eu-west); failing votes carry evidence. */
export function makeVote(
  nodeId: string,
  outcome: Vote['outcome'],
  overrides: Partial<Vote> = {},
): Vote {
  const answered = outcome !== 'no-answer';
  return {
    nodeId,
    nodeName: `node-${nodeId}`,
    region: 'eu-west',
    outcome,
    status: outcome === 'fail' ? 'down' : answered ? 'up' : null,
    latencyMs: answered ? 42.5 : null,
    errorKind: outcome === 'fail' ? 'refused' : null,
    message: outcome === 'fail' ? 'connection refused' : answered ? 'HTTP 200' : 'no answer',
    timings: answered ? { dnsMs: 1.5, connectMs: 2.25 } : {},
    checkedAt: answered ? T0 + 10 : null,
    answeredAt: answered ? T0 + 20 : null,
    late: false,
    setAside: null,
    ...overrides,
  };
}

/** A decided round of `monitorId`, decided at `decidedAt`, with a failing and a passing vote. */
export function makeRound(
  id: string,
  monitorId: string,
  decidedAt: number,
  overrides: Partial<ConsensusRound> = {},
): ConsensusRound {
  return {
    id,
    monitorId,
    incidentId: null,
    purpose: 'confirm',
    triggeredBy: 'a',
    openedAt: decidedAt - MINUTE,
    deadlineAt: decidedAt,
    decidedAt,
    verdict: 'local',
    regions: [],
    votes: [makeVote('a', 'fail'), makeVote('b', 'ok')],
    ...overrides,
  };
}
