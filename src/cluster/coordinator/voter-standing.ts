import type { VoterInfo } from '../../consensus/round.ts';
import type { VantagePolicy } from '../../consensus/vantage-health.ts';
import { judgeVantage } from '../../consensus/vantage-health.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Clock } from '../../lib/clock.ts';
import { coordinatorOnly, selectorMatches } from '../assignment.ts';
import type { VoterNode } from '../assignment.ts';
import { createNodeRecords } from './node-records.ts';

export interface VoterStandingDeps {
  clock: Clock;
  selfId: string;
  vantage: VantagePolicy;
  monitors(): ReadonlyMap<string, Monitor>;
  nodes(): Iterable<VoterNode>;
  online(nodeId: string): boolean;
  impaired(nodeId: string): boolean;
  canariesFailing(nodeId: string): boolean;
}

/** Why a node's failing votes are set aside now. */
export type UnhealthyReason = 'impaired' | 'canaries' | 'vantage';

/**
 * How much each node's word counts, judged now: whether it is online, impaired, or failing
 * most of its other monitors while others see them up (the vantage rule over the node's recent
 * record), and which nodes turned unhealthy since the last look.
 */
export interface VoterStanding {
  /** A result the coordinator stored, from any node. */
  observe(result: RecordedResult): void;
  /** The nodes that run `monitor`, as its round sees them now. */
  votersOf(monitor: Monitor): VoterInfo[];
  /** Nodes that turned impaired, canary-failing or vantage-failing since the last call. */
  newlyUnhealthy(): { nodeId: string; reason: UnhealthyReason }[];
  /**
   * Nodes set aside by the vantage rule right now (not impaired), with the monitors their
   * record contradicts them on: the disagreements impairment counts.
   */
  contradictions(): { nodeId: string; monitorIds: string[] }[];
  forgetMonitor(monitorId: string): void;
  forgetNode(nodeId: string): void;
}

export function createVoterStanding(deps: VoterStandingDeps): VoterStanding {
  const online = (nodeId: string) => nodeId === deps.selfId || deps.online(nodeId);
  const records = createNodeRecords({
    clock: deps.clock,
    policy: deps.vantage,
    monitors: () => deps.monitors(),
    nodes: () => deps.nodes(),
    witness: (nodeId) => online(nodeId) && !deps.impaired(nodeId),
  });
  let unhealthy = new Map<string, UnhealthyReason>();

  function reasonOf(nodeId: string): UnhealthyReason | null {
    if (deps.impaired(nodeId)) return 'impaired';
    if (deps.canariesFailing(nodeId)) return 'canaries';
    // Node-wide (no monitor left out): does it fail most of what it runs while others don't?
    if (judgeVantage(records.record(nodeId), '', deps.vantage).failing) return 'vantage';
    return null;
  }

  return {
    observe: (result) => records.observe(result),
    votersOf(monitor) {
      const voters: VoterInfo[] = [];
      const alone = coordinatorOnly(monitor);
      for (const node of deps.nodes()) {
        if (alone ? node.id !== deps.selfId : !selectorMatches(monitor.nodes, node)) continue;
        voters.push({
          nodeId: node.id,
          name: node.name,
          region: node.region,
          online: online(node.id),
          impaired: deps.impaired(node.id),
          vantageFailing: judgeVantage(records.record(node.id), monitor.id, deps.vantage).failing,
        });
      }
      return voters;
    },
    newlyUnhealthy() {
      const now = new Map<string, UnhealthyReason>();
      for (const node of deps.nodes()) {
        const reason = reasonOf(node.id);
        if (reason !== null) now.set(node.id, reason);
      }
      const before = unhealthy;
      unhealthy = now;
      return [...now]
        .filter(([nodeId]) => !before.has(nodeId))
        .map(([nodeId, reason]) => ({ nodeId, reason }));
    },
    contradictions() {
      return [...unhealthy]
        .filter(([, reason]) => reason === 'vantage')
        .map(([nodeId]) => ({ nodeId, monitorIds: [...records.record(nodeId).contradictedIds] }));
    },
    forgetMonitor: (monitorId) => records.forgetMonitor(monitorId),
    forgetNode(nodeId) {
      records.forgetNode(nodeId);
      unhealthy.delete(nodeId);
    },
  };
}
