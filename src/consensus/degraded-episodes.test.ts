import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CheckStatus } from '../domain/check-result.ts';
import { DEFAULT_CONSENSUS } from '../domain/consensus.ts';
import type { DegradedEpisode } from '../domain/degraded-episode.ts';
import type { DegradedContext, DegradedViews } from './degraded-episodes.ts';
import { judgeDegraded, observeDegraded } from './degraded-episodes.ts';
import type { VoterInfo } from './round.ts';

const NODES = ['a', 'b', 'c'] as const;
const THRESHOLDS = { failureThreshold: 2, recoveryThreshold: 2 };
const INTERVAL = 60_000;

function voter(nodeId: string, overrides: Partial<VoterInfo> = {}): VoterInfo {
  return {
    nodeId,
    name: nodeId,
    region: null,
    online: true,
    impaired: false,
    vantageFailing: false,
    ...overrides,
  };
}

/** A fake world: a clock, three voters, and one result per node per interval. */
function world(overrides: Partial<DegradedContext> = {}) {
  let now = 1_000_000;
  let ids = 0;
  let views: DegradedViews = {};
  let episode: DegradedEpisode | null = null;
  const changes: string[] = [];
  const ctx = (): DegradedContext => ({
    now,
    monitor: { degradedIsDown: false, recoveryThreshold: 2, consensus: DEFAULT_CONSENSUS },
    status: 'up',
    incidentOpen: false,
    voters: NODES.map((id) => voter(id)),
    staleMs: 3 * INTERVAL,
    silenced: false,
    newId: () => `dgr_${++ids}`,
    ...overrides,
  });
  return {
    /** Every node reports `statuses[i]` in turn; the episode is judged after each result. */
    cycle(statuses: readonly CheckStatus[], extra: Partial<DegradedContext> = {}) {
      now += INTERVAL;
      statuses.forEach((status, i) => {
        const nodeId = NODES[i] ?? 'a';
        const observation = { nodeId, status, checkedAt: now, latencyMs: 900, message: 'slow' };
        views = observeDegraded(views, observation, THRESHOLDS);
        const step = judgeDegraded(episode, views, { ...ctx(), ...extra });
        if (step.change !== null)
          changes.push(step.change.type === 'started' ? 'started' : `ended:${step.change.reason}`);
        episode = step.episode;
      });
    },
    get episode() {
      return episode;
    },
    changes,
  };
}

const DEGRADED: CheckStatus[] = ['degraded', 'degraded', 'degraded'];
const UP: CheckStatus[] = ['up', 'up', 'up'];

describe('degraded episodes', () => {
  it('one slow round does not start an episode; the threshold-th does', () => {
    const w = world();
    w.cycle(DEGRADED);
    assert.deepEqual(w.changes, []);
    w.cycle(DEGRADED);
    assert.deepEqual(w.changes, ['started']);
    assert.equal(w.episode?.id, 'dgr_1');
    assert.equal(w.episode.startedAt, 1_060_000, 'dated from the first degraded result');
  });

  it('continues while degraded and ends once a quorum is plainly up for recoveryThreshold', () => {
    const w = world();
    w.cycle(DEGRADED);
    w.cycle(DEGRADED);
    w.cycle(DEGRADED);
    w.cycle(UP);
    assert.deepEqual(w.changes, ['started']);
    w.cycle(UP);
    assert.deepEqual(w.changes, ['started', 'ended:up']);
    assert.equal(w.episode, null);
  });

  it('needs a quorum: one degraded node of three starts nothing', () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.cycle(['degraded', 'up', 'up']);
    assert.deepEqual(w.changes, []);
  });

  it('uses the monitor quorum rule: n_of_m with one required node starts on one', () => {
    const w = world({
      monitor: {
        degradedIsDown: false,
        recoveryThreshold: 2,
        consensus: { ...DEFAULT_CONSENSUS, quorum: 'n_of_m', requiredFailures: 1 },
      },
    });
    w.cycle(['degraded', 'up', 'up']);
    w.cycle(['degraded', 'up', 'up']);
    assert.deepEqual(w.changes, ['started']);
  });

  it('an incident opening ends the episode with reason down', () => {
    const w = world();
    w.cycle(DEGRADED);
    w.cycle(DEGRADED);
    w.cycle(['down', 'down', 'down'], { incidentOpen: true, status: 'down' });
    assert.deepEqual(w.changes, ['started', 'ended:down']);
    // While the incident is open, degraded results start nothing.
    w.cycle(DEGRADED, { incidentOpen: true, status: 'down' });
    w.cycle(DEGRADED, { incidentOpen: true, status: 'down' });
    assert.deepEqual(w.changes, ['started', 'ended:down']);
  });

  it('nothing when the monitor counts degraded as down; an open episode then ends', () => {
    const off = world({
      monitor: { degradedIsDown: true, recoveryThreshold: 2, consensus: DEFAULT_CONSENSUS },
    });
    off.cycle(DEGRADED);
    off.cycle(DEGRADED);
    assert.deepEqual(off.changes, []);
    const w = world();
    w.cycle(DEGRADED);
    w.cycle(DEGRADED);
    w.cycle(DEGRADED, {
      monitor: { degradedIsDown: true, recoveryThreshold: 2, consensus: DEFAULT_CONSENSUS },
    });
    assert.deepEqual(w.changes, ['started', 'ended:degraded-is-down']);
  });

  it('no start while unknown or flapping; set-aside and stale nodes are not counted', () => {
    for (const status of ['unknown', 'flapping'] as const) {
      const w = world({ status });
      for (let i = 0; i < 4; i++) w.cycle(DEGRADED);
      assert.deepEqual(w.changes, [], status);
    }
    // Two of three impaired: one counted node is below the two responders required.
    const impaired = world({
      voters: NODES.map((id) => voter(id, { impaired: id !== 'a' })),
    });
    for (let i = 0; i < 4; i++) impaired.cycle(DEGRADED);
    assert.deepEqual(impaired.changes, []);
  });

  it('a node heard from longer ago than staleMs is not counted', () => {
    const both = world({ staleMs: INTERVAL / 2 });
    both.cycle(['degraded', 'degraded']);
    both.cycle(['degraded', 'degraded']);
    assert.deepEqual(both.changes, ['started'], 'two of three reporting is a quorum');
    // Node b goes quiet after one result: a alone is below the two responders required.
    const quiet = world({ staleMs: INTERVAL / 2 });
    quiet.cycle(['degraded', 'degraded']);
    quiet.cycle(['degraded']);
    quiet.cycle(['degraded']);
    assert.deepEqual(quiet.changes, []);
  });

  it('records a start inside a maintenance window as suppressed', () => {
    const w = world({ silenced: true });
    w.cycle(DEGRADED);
    w.cycle(DEGRADED);
    assert.equal(w.episode?.suppressed, true);
  });

  it('property: starts and ends alternate, at most one episode, never open with an incident', () => {
    const status = fc.constantFrom<CheckStatus>('up', 'degraded', 'down', 'error');
    const round = fc.record({
      statuses: fc.tuple(status, status, status),
      incidentOpen: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(round, { maxLength: 40 }), (rounds) => {
        const w = world();
        for (const r of rounds) {
          w.cycle(r.statuses, { incidentOpen: r.incidentOpen });
          if (r.incidentOpen) assert.equal(w.episode, null);
        }
        w.changes.forEach((change, i) => {
          assert.equal(change === 'started', i % 2 === 0, `change ${i}: ${change}`);
        });
        assert.equal(w.episode !== null, w.changes.length % 2 === 1);
      }),
    );
  });

  it('property: fewer consecutive degraded results than the threshold never start one', () => {
    const status = fc.constantFrom<CheckStatus>('up', 'degraded');
    fc.assert(
      fc.property(fc.array(fc.tuple(status, status, status), { maxLength: 40 }), (rounds) => {
        const w = world();
        // Insert a plain-up round after every degraded one: no node ever has two in a row.
        for (const statuses of rounds) {
          w.cycle(statuses);
          w.cycle(UP);
        }
        assert.deepEqual(w.changes, []);
      }),
    );
  });

  it('property: a quorum degraded for threshold rounds while up always starts one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), (upRounds) => {
        const w = world();
        for (let i = 0; i < upRounds; i++) w.cycle(UP);
        w.cycle(['degraded', 'degraded', 'up']);
        w.cycle(['degraded', 'degraded', 'up']);
        assert.deepEqual(w.changes, ['started']);
      }),
    );
  });
});
