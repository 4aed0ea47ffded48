import type { ConsensusRound } from '../domain/consensus.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';

/** The status of a result a node could not produce because of itself (not the target). */
const NODE_ERROR = 'error';

/** How the monitor's last stored result went: `node-error` when the node could not run it. */
export type LastResultOutcome = 'passed' | 'failed' | 'node-error' | null;

/** The outcome of the monitor's last stored result (pure). */
export function lastResultOutcome(
  monitor: Pick<Monitor, 'degradedIsDown'>,
  state: Pick<MonitorRuntimeState, 'lastResultStatus'>,
): LastResultOutcome {
  // Compared as a string: `error` joins CheckStatus in a separate change.
  const status: string | null = state.lastResultStatus;
  if (status === null) return null;
  if (status === NODE_ERROR) return 'node-error';
  return status === 'down' || (monitor.degradedIsDown && status === 'degraded')
    ? 'failed'
    : 'passed';
}

/**
 * Monitors with node trouble nobody was paged for (pure), in the given order: the last result
 * failed, the last round had failing nodes, or a round in `localRounds` was decided `local`.
 * Paused monitors are left out.
 */
export function troubledMonitors(
  monitors: readonly Monitor[],
  states: ReadonlyMap<string, MonitorRuntimeState>,
  localRounds: readonly ConsensusRound[],
): Monitor[] {
  const local = new Set(localRounds.filter((r) => r.verdict === 'local').map((r) => r.monitorId));
  return monitors.filter((monitor) => {
    if (monitor.paused) return false;
    const state = states.get(monitor.id);
    if (local.has(monitor.id)) return true;
    if (state === undefined) return false;
    const outcome = lastResultOutcome(monitor, state);
    return state.failingNodes.length > 0 || outcome === 'failed' || outcome === 'node-error';
  });
}
