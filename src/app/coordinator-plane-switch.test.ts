import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { silentLogger } from '../observability/logger.ts';
import type { CoordinatorPlane } from './coordinator-composition.ts';
import { createPlaneSwitch, samePlane } from './coordinator-plane-switch.ts';

/** Compositions that take a few turns to build and stop, recording what was alive when. */
function lab(options: { failOn?: (plane: CoordinatorPlane) => boolean } = {}) {
  const built: string[] = [];
  const alive = new Set<string>();
  let mostAlive = 0;
  const failures: unknown[] = [];
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await Promise.resolve();
  };
  const planes = createPlaneSwitch({
    compose: async (plane) => {
      const name = plane.leading ? `leader@${plane.epoch}` : 'follower';
      built.push(name);
      alive.add(name);
      mostAlive = Math.max(mostAlive, alive.size);
      await turns(3);
      if (options.failOn?.(plane)) {
        alive.delete(name);
        throw new Error(`cannot build ${name}`);
      }
      return {
        apiUrl: 'http://127.0.0.1:1',
        peerAddress: '127.0.0.1:2',
        stop: async () => {
          await turns(2);
          alive.delete(name);
        },
      };
    },
    onFailure: (error) => failures.push(error),
    logger: silentLogger(),
  });
  return { planes, built, alive, failures, mostAlive: () => mostAlive };
}

const follower: CoordinatorPlane = { leading: false };
const leader = (epoch: number): CoordinatorPlane => ({ leading: true, epoch });

describe('the coordinator’s plane switch', () => {
  it('builds the plane asked for once, and again only when it changes', async () => {
    const { planes, built } = lab();
    planes.want(follower);
    planes.want(follower);
    await planes.settled();
    planes.want(leader(3));
    planes.want(leader(3));
    await planes.settled();
    assert.deepEqual(built, ['follower', 'leader@3']);
    assert.deepEqual(planes.running()?.plane, leader(3));
    await planes.stop();
    assert.equal(planes.running(), null);
  });

  it('builds only the latest of wishes made before a build began', async () => {
    const { planes, built } = lab();
    planes.want(leader(1));
    planes.want(follower);
    await planes.settled();
    assert.deepEqual(built, ['follower']);
  });

  it('ends on the latest wish when the lease changes hands during a build', async () => {
    const { planes, built, alive } = lab();
    planes.want(leader(1));
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(planes.acting(), leader(1), 'the leader plane is being built');
    planes.want(follower);
    await planes.settled();
    assert.deepEqual(built, ['leader@1', 'follower']);
    assert.deepEqual([...alive], ['follower']);
  });

  it('acts from the start of a build until the end of a stop', async () => {
    const { planes } = lab();
    assert.equal(planes.acting(), null);
    planes.want(leader(2));
    await planes.settled();
    const stopping = planes.stop();
    assert.deepEqual(planes.acting(), leader(2), 'still acting while it stops (it may flush)');
    await stopping;
    assert.equal(planes.acting(), null);
  });

  it('reports a failed build once, and ignores wishes after a stop', async () => {
    const { planes, failures } = lab({ failOn: (plane) => plane.leading });
    planes.want(leader(4));
    await assert.rejects(planes.settled(), /cannot build leader@4/);
    planes.want(leader(5));
    await assert.rejects(planes.settled());
    assert.equal(failures.length, 1);
    assert.equal(planes.acting(), null);
    await planes.stop();
    planes.want(follower);
    assert.equal(planes.running(), null);
  });

  it('never runs two compositions at once and always ends on the last wish', async () => {
    const wish = fc.oneof(
      fc.constant(follower),
      fc.integer({ min: 1, max: 4 }).map((epoch) => leader(epoch)),
    );
    const step = fc.record({ wish, pause: fc.integer({ min: 0, max: 8 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { planes, mostAlive, alive } = lab();
        for (const { wish: plane, pause } of steps) {
          planes.want(plane);
          for (let i = 0; i < pause; i++) await Promise.resolve();
        }
        await planes.settled();
        const last = steps.at(-1)?.wish ?? follower;
        const running = planes.running();
        assert.ok(running !== null && samePlane(running.plane, last));
        assert.equal(mostAlive(), 1, 'two compositions were alive at once');
        assert.equal(alive.size, 1);
        await planes.stop();
        assert.equal(alive.size, 0);
      }),
      { numRuns: 300 },
    );
  });
});
