import type { ConsensusPolicy } from '../domain/consensus.ts';

/** A monitor's flap record: recent confirmed changes and whether it is flapping. */
export interface FlapState {
  /** Epoch ms of confirmed changes inside the window, oldest first. */
  changes: number[];
  flappingSince: number | null;
}

/** What a flap step concluded. */
export interface FlapStep {
  state: FlapState;
  /** `started`: it began flapping now; `ended`: it settled now. */
  transition: 'started' | 'ended' | null;
}

type FlapPolicy = Pick<ConsensusPolicy, 'flapChanges' | 'flapWindowMs'>;

/**
 * Flapping (pure): more than `flapChanges` confirmed changes within `flapWindowMs` start it;
 * it ends once the window holds at most half that many, so one aged-out change does not end
 * it and the next change start it again.
 */
export function stepFlapping(
  state: FlapState,
  now: number,
  changed: boolean,
  policy: FlapPolicy,
): FlapStep {
  const changes = state.changes.filter((at) => at > now - policy.flapWindowMs && at <= now);
  if (changed) changes.push(now);
  if (state.flappingSince === null) {
    if (changes.length > policy.flapChanges) {
      return { state: { changes, flappingSince: now }, transition: 'started' };
    }
    return { state: { changes, flappingSince: null }, transition: null };
  }
  if (changes.length <= Math.floor(policy.flapChanges / 2)) {
    return { state: { changes, flappingSince: null }, transition: 'ended' };
  }
  return { state: { changes, flappingSince: state.flappingSince }, transition: null };
}
