import { isFailing } from '../../consensus/local-hysteresis.ts';
import type { VantagePolicy, VantageRecord } from '../../consensus/vantage-health.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Clock } from '../../lib/clock.ts';
import { coordinatorOnly, selectorMatches } from '../assignment.ts';
import type { VoterNode } from '../assignment.ts';

export interface NodeRecordsDeps {
  clock: Clock;
  policy: VantagePolicy;
  monitors(): ReadonlyMap<string, Monitor>;
  nodes(): Iterable<VoterNode>;
  /** Whether a node's view counts as a witness now (online, not impaired). */
  witness(nodeId: string): boolean;
}

/**
 * Every node's recent record, from the results the coordinator stores: which monitors' latest
 * result failed (or could not run) on which node, for the vantage rule (`vantage-health.ts`).
 * Only troubled monitors are kept, so a healthy cluster costs no memory here.
 */
export interface NodeRecords {
  observe(result: RecordedResult): void;
  /** The node's record now (recomputed at most every `REFRESH_MS`). */
  record(nodeId: string): VantageRecord;
  /** Nodes with any failing or erroring monitor in the window. */
  troubled(): string[];
  forgetMonitor(monitorId: string): void;
  forgetNode(nodeId: string): void;
}

/** How stale a computed record may be when a round asks for it. */
const REFRESH_MS = 1_000;
/** A record is recomputed this soon when the node failed a monitor it had not failed before. */
const CHANGED_REFRESH_MS = 50;
/**
 * At most this many of a node's failing monitors are examined per computation; beyond, the
 * count is scaled from them. When a whole network fails (100,000 monitors on every node) this
 * keeps each computation around a millisecond; the rule only asks whether most fail.
 */
const SAMPLE = 2_000;
/** How long a node's count of assigned monitors is reused (assignments change rarely). */
const ASSIGNED_REFRESH_MS = 10_000;

type Outcome = 'fail' | 'error';

const EMPTY: VantageRecord = { monitorsRun: 0, contradicted: 0, contradictedIds: new Set() };

export function createNodeRecords(deps: NodeRecordsDeps): NodeRecords {
  const { clock, policy } = deps;
  /** nodeId → monitorId → latest non-passing result (time and outcome). */
  const entries = new Map<string, Map<string, { at: number; outcome: Outcome }>>();
  const computed = new Map<string, { at: number; record: VantageRecord }>();
  /** Nodes that failed a new monitor since their record was computed. */
  const changed = new Set<string>();
  const assigned = new Map<string, { at: number; count: number }>();

  function prune(nodeId: string, now: number): Map<string, { at: number; outcome: Outcome }> {
    const mine = entries.get(nodeId);
    if (mine === undefined) return new Map();
    for (const [monitorId, entry] of mine) {
      if (entry.at < now - policy.windowMs) mine.delete(monitorId);
    }
    if (mine.size === 0) entries.delete(nodeId);
    return mine;
  }

  function assignedCount(node: VoterNode, now: number): number {
    const cached = assigned.get(node.id);
    if (cached !== undefined && now - cached.at < ASSIGNED_REFRESH_MS) return cached.count;
    let count = 0;
    for (const monitor of deps.monitors().values()) {
      if (!monitor.paused && !coordinatorOnly(monitor) && selectorMatches(monitor.nodes, node))
        count++;
    }
    assigned.set(node.id, { at: now, count });
    return count;
  }

  /** Another witness runs the monitor and has nothing against it in the window. */
  function seenUpElsewhere(monitor: Monitor, nodeId: string, now: number): boolean {
    for (const other of deps.nodes()) {
      if (other.id === nodeId || !deps.witness(other.id)) continue;
      if (!selectorMatches(monitor.nodes, other)) continue;
      const theirs = entries.get(other.id)?.get(monitor.id);
      if (theirs === undefined || theirs.at < now - policy.windowMs) return true;
    }
    return false;
  }

  /**
   * Every other witness of the node's region that runs the monitor fails it too (at least one
   * does, none sees it up): the region lost its reach (its uplink, its resolver), for a regional
   * verdict to name, not this node its own. A region of one node cannot tell the two apart.
   */
  function sharedInRegion(monitor: Monitor, node: VoterNode, now: number): boolean {
    if (node.region === null) return false;
    let failing = 0;
    for (const other of deps.nodes()) {
      if (other.id === node.id || other.region !== node.region || !deps.witness(other.id)) continue;
      if (!selectorMatches(monitor.nodes, other)) continue;
      const theirs = entries.get(other.id)?.get(monitor.id);
      if (theirs?.outcome !== 'fail' || theirs.at < now - policy.windowMs) return false;
      failing++;
    }
    return failing > 0;
  }

  function compute(nodeId: string, now: number): VantageRecord {
    const mine = prune(nodeId, now);
    const node = [...deps.nodes()].find((n) => n.id === nodeId);
    if (mine.size === 0 || node === undefined) return EMPTY;
    const monitors = deps.monitors();
    const contradictedIds = new Set<string>();
    let examined = 0;
    for (const [monitorId, entry] of mine) {
      if (examined >= SAMPLE) break;
      examined++;
      const monitor = monitors.get(monitorId);
      if (entry.outcome !== 'fail' || monitor === undefined) continue;
      if (seenUpElsewhere(monitor, nodeId, now) && !sharedInRegion(monitor, node, now))
        contradictedIds.add(monitorId);
    }
    const scale = mine.size / examined;
    return {
      monitorsRun: assignedCount(node, now),
      contradicted: Math.max(contradictedIds.size, Math.round(contradictedIds.size * scale)),
      contradictedIds,
    };
  }

  return {
    observe(result) {
      const monitor = deps.monitors().get(result.monitorId);
      // A push monitor's result judges the job's pings, not this node's network: no evidence
      // for or against the node's vantage.
      if (monitor === undefined || coordinatorOnly(monitor)) return;
      const failing = isFailing(result.status, monitor.degradedIsDown);
      const passing = !failing && (result.status === 'up' || result.status === 'degraded');
      let mine = entries.get(result.nodeId);
      const known = mine?.get(result.monitorId);
      // Results may arrive out of order (an agent's outbox replay): the latest check wins.
      if (known !== undefined && known.at > result.checkedAt) return;
      if (passing) {
        mine?.delete(result.monitorId);
        return;
      }
      if (mine === undefined) {
        mine = new Map();
        entries.set(result.nodeId, mine);
      }
      if (known === undefined) changed.add(result.nodeId);
      mine.set(result.monitorId, { at: result.checkedAt, outcome: failing ? 'fail' : 'error' });
    },
    record(nodeId) {
      const now = clock.now();
      const cached = computed.get(nodeId);
      const maxAge = changed.has(nodeId) ? CHANGED_REFRESH_MS : REFRESH_MS;
      if (cached !== undefined && now - cached.at < maxAge) return cached.record;
      const record = compute(nodeId, now);
      computed.set(nodeId, { at: now, record });
      changed.delete(nodeId);
      return record;
    },
    troubled: () => [...entries.keys()],
    forgetMonitor(monitorId) {
      for (const mine of entries.values()) mine.delete(monitorId);
      assigned.clear();
    },
    forgetNode(nodeId) {
      entries.delete(nodeId);
      computed.delete(nodeId);
      assigned.delete(nodeId);
    },
  };
}
