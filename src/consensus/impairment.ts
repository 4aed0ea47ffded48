import type { ConsensusRound } from '../domain/consensus.ts';

/** Per node: monitors on which it reports failure while the cluster sees them up. */
export interface ImpairmentState {
  /** nodeId → monitorId → coordinator time the disagreement was last seen. */
  disagreements: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** nodeId → epoch ms it became impaired. */
  impaired: Readonly<Record<string, number>>;
}

export interface ImpairmentPolicy {
  /** Distinct monitors a node must fail alone on before it counts as impaired. */
  impairedAfter: number;
}

export const DEFAULT_IMPAIRMENT: ImpairmentPolicy = { impairedAfter: 3 };

/** A node's health changed. */
export interface ImpairmentTransition {
  nodeId: string;
  impaired: boolean;
  at: number;
  /** Monitors the node disagrees on, at the transition. */
  monitors: string[];
}

export interface ImpairmentStep {
  state: ImpairmentState;
  transitions: ImpairmentTransition[];
}

export type ImpairmentEvent =
  /** A round was decided: its votes show who disagreed with the verdict. */
  | { type: 'round'; round: ConsensusRound }
  /** A node reports a monitor recovered (its local view is healthy again). */
  | { type: 'recovered'; nodeId: string; monitorId: string }
  /**
   * A node's own record contradicts it on these monitors (it fails them while others see them
   * up; the vantage rule): the same disagreement a round would show, known before any round.
   */
  | { type: 'contradicted'; nodeId: string; monitorIds: readonly string[] }
  /** A monitor was deleted or a node removed: forget what involved it. */
  | { type: 'forget-monitor'; monitorId: string }
  | { type: 'forget-node'; nodeId: string };

/** The state with no disagreements; `impaired` carries nodes persisted as impaired. */
export function emptyImpairment(impaired: Readonly<Record<string, number>> = {}): ImpairmentState {
  return { disagreements: {}, impaired: { ...impaired } };
}

/**
 * Node impairment (pure). A node whose failure votes are contradicted (the round's verdict was
 * `up` or `local`, or its own record shows it failing monitors others see up) on
 * `impairedAfter` distinct monitors is impaired: its votes are set aside
 * and one node alert goes out instead of many monitor ones. A vote agreeing with a `down` or
 * `regional` verdict, an `ok` vote, or a recovered report clears that monitor; the node is
 * healthy again once fewer than half the threshold remain, so one lingering local problem
 * does not keep it impaired.
 */
export function stepImpairment(
  state: ImpairmentState,
  event: ImpairmentEvent,
  policy: ImpairmentPolicy,
  now: number,
): ImpairmentStep {
  const disagreements: Record<string, Record<string, number>> = {};
  for (const [nodeId, monitors] of Object.entries(state.disagreements))
    disagreements[nodeId] = { ...monitors };
  const touched = new Set<string>();
  // Only agreement can make a node healthy: after a restart an impaired node starts with no
  // recorded disagreements, and its next failure must not clear it.
  const agreed = new Set<string>();
  const set = (nodeId: string, monitorId: string, disagrees: boolean): void => {
    touched.add(nodeId);
    if (!disagrees) agreed.add(nodeId);
    const monitors = (disagreements[nodeId] ??= {});
    if (disagrees) monitors[monitorId] = now;
    else delete monitors[monitorId];
  };
  switch (event.type) {
    case 'round': {
      const contradicted = event.round.verdict === 'up' || event.round.verdict === 'local';
      for (const vote of event.round.votes) {
        if (vote.outcome === 'fail') set(vote.nodeId, event.round.monitorId, contradicted);
        else if (vote.outcome === 'ok') set(vote.nodeId, event.round.monitorId, false);
      }
      break;
    }
    case 'recovered':
      set(event.nodeId, event.monitorId, false);
      break;
    case 'contradicted':
      for (const monitorId of event.monitorIds) set(event.nodeId, monitorId, true);
      break;
    case 'forget-monitor':
      for (const nodeId of Object.keys(disagreements)) set(nodeId, event.monitorId, false);
      break;
    case 'forget-node':
      delete disagreements[event.nodeId];
      touched.add(event.nodeId);
      break;
  }
  const impaired = { ...state.impaired };
  const transitions: ImpairmentTransition[] = [];
  for (const nodeId of touched) {
    const monitors = Object.keys(disagreements[nodeId] ?? {}).sort();
    if (monitors.length === 0) delete disagreements[nodeId];
    const was = impaired[nodeId] !== undefined;
    if (event.type === 'forget-node') {
      delete impaired[nodeId];
      continue;
    }
    if (!was && monitors.length >= policy.impairedAfter) {
      impaired[nodeId] = now;
      transitions.push({ nodeId, impaired: true, at: now, monitors });
    } else if (was && agreed.has(nodeId) && monitors.length * 2 < policy.impairedAfter) {
      delete impaired[nodeId];
      transitions.push({ nodeId, impaired: false, at: now, monitors });
    }
  }
  return { state: { disagreements, impaired }, transitions };
}
