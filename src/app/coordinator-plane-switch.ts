import type { Logger } from '../observability/logger.ts';
import type { CoordinatorComposition, CoordinatorPlane } from './coordinator-composition.ts';

/** The composition running now and the plane it was built for. */
export interface RunningPlane {
  plane: CoordinatorPlane;
  composition: CoordinatorComposition;
}

/**
 * Swaps the coordinator's composition when the lease changes hands. The lease's events arrive
 * at any moment, also while a swap is under way; swaps run one at a time and only the latest
 * wish counts, so a lease lost while the leader plane was still being built ends as a follower.
 */
export interface PlaneSwitch {
  want(plane: CoordinatorPlane): void;
  /** Resolves once every wish so far is running; rejects with the swap that failed. */
  settled(): Promise<void>;
  running(): RunningPlane | null;
  /**
   * The plane whose composition is running, stopping or being built: it acts from the moment
   * its parts start, before the build returns, until the last of them has stopped.
   */
  acting(): CoordinatorPlane | null;
  /** Stops the running composition; later wishes are ignored. */
  stop(): Promise<void>;
}

export interface PlaneSwitchDeps {
  compose(plane: CoordinatorPlane): Promise<CoordinatorComposition>;
  /** A swap after the start failed: the node cannot serve, and says so (the CLI exits). */
  onFailure(error: unknown): void;
  logger: Logger;
}

export function samePlane(a: CoordinatorPlane, b: CoordinatorPlane): boolean {
  if (a.leading && b.leading) return a.epoch === b.epoch;
  return a.leading === b.leading;
}

export function createPlaneSwitch(deps: PlaneSwitchDeps): PlaneSwitch {
  let wanted: CoordinatorPlane | null = null;
  let current: RunningPlane | null = null;
  let building: CoordinatorPlane | null = null;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let failed = false;

  async function apply(): Promise<void> {
    const plane = wanted;
    if (stopped || plane === null) return;
    if (current !== null && samePlane(current.plane, plane)) return;
    if (current !== null) {
      deps.logger.info(
        { from: describe(current.plane), to: describe(plane) },
        'switching the coordinator’s planes',
      );
      // Still acting while it stops: a planned stop flushes under the lease it holds; a lost
      // lease refuses those writes by itself (the epoch no longer matches).
      await current.composition.stop();
      current = null;
    }
    // A wish that came while the old composition stopped replaces this one: build only the latest.
    if (stopped || wanted !== plane) return apply();
    building = plane;
    try {
      current = { plane, composition: await deps.compose(plane) };
    } finally {
      building = null;
    }
  }

  return {
    want(plane) {
      if (stopped) return;
      wanted = plane;
      chain = chain.then(apply);
      // Only the first failure is reported: the node is ending after it.
      chain.catch((error: unknown) => {
        if (failed) return;
        failed = true;
        deps.onFailure(error);
      });
    },
    settled: () => chain,
    running: () => current,
    acting: () => current?.plane ?? building,
    async stop() {
      stopped = true;
      await chain.catch(() => undefined);
      await current?.composition.stop();
      current = null;
    },
  };
}

function describe(plane: CoordinatorPlane): string {
  return plane.leading ? `leader (epoch ${plane.epoch})` : 'follower';
}
