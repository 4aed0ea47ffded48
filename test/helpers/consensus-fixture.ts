import type { CheckStatus, RecordedResult } from '../../src/domain/check-result.ts';
import type { ConsensusRound, Vote, VoteOutcome } from '../../src/domain/consensus.ts';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import { initialRuntimeState } from '../../src/domain/monitor-state.ts';
import type { ClusterNode } from '../../src/domain/node.ts';
import { buildMonitor } from '../../src/services/monitors/monitor-input.ts';
import type { Store } from '../../src/store/types.ts';

/** Five nodes: two in eu-west, two in us-east, one without a region. */
export const FIXTURE_NODES: readonly Pick<ClusterNode, 'id' | 'name' | 'region' | 'role'>[] = [
  { id: 'n-ams', name: 'ams-1', region: 'eu-west', role: 'coordinator' },
  { id: 'n-fra', name: 'fra-1', region: 'eu-west', role: 'agent' },
  { id: 'n-nyc', name: 'nyc-1', region: 'us-east', role: 'agent' },
  { id: 'n-bos', name: 'bos-1', region: 'us-east', role: 'agent' },
  { id: 'n-solo', name: 'solo-1', region: null, role: 'agent' },
];

/** What `seedConsensusFixture` stored, for assertions. */
export interface ConsensusFixture {
  monitor: Monitor;
  /** A resolved regional incident (eu-west) with a confirm and a recover round. */
  incident: Incident;
  confirmRound: ConsensusRound;
  recoverRound: ConsensusRound;
  /** A round that changed nothing: only fra-1 failed. */
  localRound: ConsensusRound;
}

function clusterNode(
  n: Pick<ClusterNode, 'id' | 'name' | 'region' | 'role'>,
  now: number,
): ClusterNode {
  return {
    ...n,
    labels: {},
    version: 'test',
    certSerial: `serial-${n.id}`,
    certNotAfter: now + 86_400_000,
    enrolledAt: now - 86_400_000,
    lastSeen: now,
    state: 'online',
    stateSince: now - 86_400_000,
    clockOffsetMs: 0,
    checksPerSecond: 1,
    outboxBacklog: 0,
    remoteAddress: '127.0.0.1',
    removedAt: null,
    impairedSince: null,
  };
}

function vote(
  nodeId: string,
  outcome: VoteOutcome,
  openedAt: number,
  extra: Partial<Vote> = {},
): Vote {
  const node = FIXTURE_NODES.find((n) => n.id === nodeId);
  const failed = outcome === 'fail';
  return {
    nodeId,
    nodeName: node?.name ?? nodeId,
    region: node?.region ?? null,
    outcome,
    status: outcome === 'no-answer' ? null : failed ? 'down' : 'up',
    latencyMs: outcome === 'no-answer' ? null : failed ? 5_000 : 40,
    errorKind: failed ? 'timeout' : null,
    message:
      outcome === 'no-answer' ? '' : failed ? 'timed out after 5000 ms' : 'HTTP 200 in 40 ms',
    timings: {},
    checkedAt: outcome === 'no-answer' ? null : openedAt + 100,
    answeredAt: outcome === 'no-answer' ? null : openedAt + 1_200,
    late: false,
    setAside: null,
    ...extra,
  };
}

function round(
  id: string,
  monitorId: string,
  parts: Pick<ConsensusRound, 'incidentId' | 'purpose' | 'verdict' | 'regions' | 'openedAt'> & {
    votes: (openedAt: number) => Vote[];
  },
): ConsensusRound {
  return {
    id,
    monitorId,
    incidentId: parts.incidentId,
    purpose: parts.purpose,
    triggeredBy: 'n-fra',
    openedAt: parts.openedAt,
    deadlineAt: parts.openedAt + 7_000,
    decidedAt: parts.openedAt + 2_000,
    verdict: parts.verdict,
    regions: parts.regions,
    votes: parts.votes(parts.openedAt),
  };
}

function result(
  monitorId: string,
  nodeId: string,
  checkedAt: number,
  status: CheckStatus,
): RecordedResult {
  return {
    id: `res-${nodeId}-${checkedAt}`,
    monitorId,
    nodeId,
    checkedAt,
    status,
    latencyMs: 10,
    timings: {},
    message: status,
    details: {},
    ...(status === 'down' ? { errorKind: 'timeout' as const } : {}),
  };
}

/**
 * Stores five nodes, one monitor (created an hour ago), results from every node over the last
 * hour (eu-west half failing, fra-1 also degraded once), a resolved regional incident of two
 * minutes with its rounds, a later local round, and a state that still shows fra-1 failing
 * below quorum, its last result fra-1's failure.
 */
export async function seedConsensusFixture(store: Store, now: number): Promise<ConsensusFixture> {
  for (const node of FIXTURE_NODES) await store.insertNode(clusterNode(node, now));
  const monitor = buildMonitor(
    { name: 'Shop', type: 'http', target: 'http://127.0.0.1:9/' },
    'mon_shop',
    now - 3_600_000,
  );
  await store.insertMonitor(monitor);

  const results: RecordedResult[] = [];
  for (let i = 0; i < 4; i++) {
    const at = now - 3_000_000 + i * 60_000;
    results.push(result(monitor.id, 'n-ams', at, i < 2 ? 'down' : 'up'));
    results.push(result(monitor.id, 'n-fra', at, i < 2 ? 'down' : i === 2 ? 'degraded' : 'up'));
    results.push(result(monitor.id, 'n-nyc', at, 'up'));
    results.push(result(monitor.id, 'n-bos', at, 'up'));
  }
  results.push(result(monitor.id, 'n-solo', now - 90_000, 'up'));

  const startedAt = now - 3_000_000;
  const incident: Incident = {
    id: 'inc_eu',
    monitorId: monitor.id,
    status: 'resolved',
    startedAt,
    openedAt: startedAt + 65_000,
    endedAt: startedAt + 120_000,
    resolvedAt: startedAt + 185_000,
    durationMs: 120_000,
    errorKind: 'timeout',
    cause: 'timed out after 5000 ms',
    verdict: 'regional',
    regions: ['eu-west'],
    retractedAt: null,
    retraction: null,
    acknowledgement: null,
    maintenance: null,
    causedBy: null,
    groupId: null,
  };
  const confirmRound = round('rnd_confirm', monitor.id, {
    incidentId: incident.id,
    purpose: 'confirm',
    verdict: 'regional',
    regions: ['eu-west'],
    openedAt: startedAt + 63_000,
    votes: (at) => [
      vote('n-ams', 'fail', at),
      vote('n-fra', 'fail', at),
      vote('n-nyc', 'ok', at),
      vote('n-bos', 'ok', at, { late: true, answeredAt: at + 9_000 }),
      vote('n-solo', 'fail', at, { setAside: 'canaries' }),
    ],
  });
  const recoverRound = round('rnd_recover', monitor.id, {
    incidentId: incident.id,
    purpose: 'recover',
    verdict: 'up',
    regions: [],
    openedAt: startedAt + 183_000,
    votes: (at) => [
      vote('n-ams', 'ok', at),
      vote('n-fra', 'ok', at),
      vote('n-nyc', 'ok', at),
      vote('n-bos', 'no-answer', at),
    ],
  });
  const localRound = round('rnd_local', monitor.id, {
    incidentId: null,
    purpose: 'confirm',
    verdict: 'local',
    regions: [],
    openedAt: now - 120_000,
    votes: (at) => [
      vote('n-ams', 'ok', at),
      vote('n-fra', 'fail', at),
      vote('n-nyc', 'ok', at),
      vote('n-bos', 'ok', at),
    ],
  });

  await store.commitBatch({
    results,
    states: [],
    incidentsOpened: [
      { ...incident, status: 'open', endedAt: null, resolvedAt: null, durationMs: null },
    ],
    incidentsResolved: [],
    alerts: [],
    rounds: [confirmRound],
  });
  await store.commitBatch({
    results: [],
    states: [
      {
        ...initialRuntimeState(monitor.id),
        status: 'up',
        lastCheckedAt: now - 60_000,
        // fra-1's own failure, below quorum: status names the node beside "up".
        lastNodeId: 'n-fra',
        lastResultStatus: 'down',
        lastErrorKind: 'timeout',
        lastMessage: 'timed out after 5000 ms',
        verdict: 'local',
        verdictAt: localRound.decidedAt,
        failingNodes: ['n-fra'],
        failingRegions: [],
      },
    ],
    incidentsOpened: [],
    incidentsResolved: [
      {
        id: incident.id,
        endedAt: incident.endedAt ?? 0,
        resolvedAt: incident.resolvedAt ?? 0,
        durationMs: incident.durationMs ?? 0,
      },
    ],
    alerts: [],
    rounds: [recoverRound, localRound],
  });
  return { monitor, incident, confirmRound, recoverRound, localRound };
}
