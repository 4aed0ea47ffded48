// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ConsensusRound } from '../../domain/consensus.ts';
import { ROUND_PURPOSES, SET_ASIDE_REASONS } from '../../domain/consensus.ts';
import type { Store } from '../types.ts';
import { makeRound, makeVote } from './consensus-fixtures.ts';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  batch,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
  withStore,
} from './fixtures.ts';

const ids = async (store: Store, filter?: Parameters<Store['listRounds']>[0]) =>
  (await store.listRounds(filter)).map((r) => r.id);

/** Confirmation rounds with their votes, late votes, and what they do to incidents and states. */
export function consensusContract(makeStore: MakeStore): void {
  it('round-trips a round with every vote field, votes ordered by node name', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const round = makeRound('r1', 'm1', T0, {
        incidentId: 'inc-1',
        purpose: 'recheck',
        triggeredBy: 'coordinator',
        verdict: 'regional',
        regions: ['ap-south', 'eu-west'],
        votes: [
          makeVote('c', 'no-answer', { nodeName: 'charlie', region: null }),
          makeVote('a', 'fail', {
            nodeName: 'alpha',
            timings: { dnsMs: 1, connectMs: 2, tlsMs: 3, firstByteMs: 4 },
            errorKind: 'timeout',
          }),
          makeVote('b', 'ok', { nodeName: 'bravo', setAside: 'impaired' }),
          makeVote('d', 'abstain', { nodeName: 'delta', setAside: 'canaries', status: 'down' }),
        ],
      });
      await store.commitBatch(batch({ rounds: [round] }));
      const [stored] = await store.listRounds();
      const byName = [...round.votes].sort((x, y) => x.nodeName.localeCompare(y.nodeName));
      assert.deepEqual(stored, { ...round, votes: byName });
    }));

  it('round-trips every round purpose and every reason a vote is set aside', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const rounds = ROUND_PURPOSES.map((purpose, i) =>
        makeRound(`r-${purpose}`, 'm1', T0 + i, {
          purpose,
          votes: SET_ASIDE_REASONS.map((setAside) =>
            makeVote(setAside, 'abstain', { nodeName: setAside, setAside }),
          ),
        }),
      );
      await store.commitBatch(batch({ rounds }));
      const stored = await store.listRounds();
      assert.deepEqual(stored.map((r) => r.purpose).sort(), [...ROUND_PURPOSES].sort());
      for (const round of stored) {
        assert.deepEqual(round.votes.map((v) => v.setAside).sort(), [...SET_ASIDE_REASONS].sort());
      }
    }));

  it('stores a replayed round once and never changes a decided round', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const round = makeRound('r1', 'm1', T0);
      await store.commitBatch(batch({ rounds: [round] }));
      const changed = makeRound('r1', 'm1', T0 + 1, {
        verdict: 'down',
        votes: [makeVote('a', 'fail'), makeVote('b', 'fail'), makeVote('c', 'fail')],
      });
      await store.commitBatch(batch({ rounds: [changed, round] }));
      assert.deepEqual(await store.listRounds(), [round]);
    }));

  it('records late votes flagged, in place of a no-answer only, idempotently', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const round = makeRound('r1', 'm1', T0, {
        votes: [makeVote('a', 'fail'), makeVote('b', 'no-answer')],
      });
      const lateB = makeVote('b', 'ok', { answeredAt: T0 + MINUTE });
      await store.commitBatch(
        batch({
          rounds: [round],
          lateVotes: [
            { roundId: 'r1', vote: lateB },
            // Node a already voted: its vote stays.
            { roundId: 'r1', vote: makeVote('a', 'ok', { answeredAt: T0 + MINUTE }) },
            // A node the round did not list, and a round that is not stored.
            { roundId: 'r1', vote: makeVote('c', 'fail') },
            { roundId: 'gone', vote: makeVote('a', 'fail') },
          ],
        }),
      );
      const expected: ConsensusRound = {
        ...round,
        votes: [
          makeVote('a', 'fail'),
          { ...lateB, late: true },
          { ...makeVote('c', 'fail'), late: true },
        ],
      };
      assert.deepEqual(await store.listRounds(), [expected]);

      // A second late answer of the same node keeps the first.
      await store.commitBatch(
        batch({ lateVotes: [{ roundId: 'r1', vote: makeVote('b', 'fail', { late: true }) }] }),
      );
      assert.deepEqual(await store.listRounds(), [expected]);
    }));

  it('lists rounds newest first, filtered by monitor, incident, verdicts, failing node and time', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const rounds = [
        makeRound('r1', 'm1', T0, { verdict: 'local' }),
        makeRound('r2', 'm1', T0 + MINUTE, { verdict: 'down', incidentId: 'inc-1' }),
        makeRound('r3', 'm1', T0 + 2 * MINUTE, { verdict: 'up', incidentId: 'inc-1' }),
        // Same decision time as r3: ties go by id, newest (largest) first.
        makeRound('r4', 'm2', T0 + 2 * MINUTE, {
          verdict: 'down',
          votes: [makeVote('a', 'fail', { setAside: 'impaired' }), makeVote('b', 'fail')],
        }),
        makeRound('r5', 'm2', T0 + 3 * MINUTE, {
          verdict: 'unknown',
          votes: [makeVote('a', 'no-answer'), makeVote('b', 'abstain')],
        }),
      ];
      await store.commitBatch(
        batch({
          rounds,
          lateVotes: [{ roundId: 'r5', vote: makeVote('a', 'fail') }],
        }),
      );
      assert.deepEqual(await ids(store), ['r5', 'r4', 'r3', 'r2', 'r1']);
      assert.deepEqual(await ids(store, { monitorId: 'm1' }), ['r3', 'r2', 'r1']);
      assert.deepEqual(await ids(store, { incidentId: 'inc-1' }), ['r3', 'r2']);
      assert.deepEqual(await ids(store, { verdicts: ['down', 'unknown'] }), ['r5', 'r4', 'r2']);
      assert.deepEqual(await ids(store, { verdicts: [] }), []);
      // Set-aside and late fails are not counted.
      assert.deepEqual(await ids(store, { failingNode: 'a' }), ['r3', 'r2', 'r1']);
      assert.deepEqual(await ids(store, { failingNode: 'b' }), ['r4']);
      assert.deepEqual(await ids(store, { since: T0 + 2 * MINUTE }), ['r5', 'r4', 'r3']);
      assert.deepEqual(await ids(store, { limit: 2 }), ['r5', 'r4']);
      assert.deepEqual(
        await ids(store, { monitorId: 'm1', verdicts: ['down', 'up'], failingNode: 'a', limit: 1 }),
        ['r3'],
      );
    }));

  it('lists at most 100 rounds unless told otherwise', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const many = Array.from({ length: 101 }, (_, i) =>
        makeRound(`r${String(i).padStart(3, '0')}`, 'm1', T0 + i * MINUTE),
      );
      await store.commitBatch(batch({ rounds: many }));
      const listed = await store.listRounds();
      assert.equal(listed.length, 100);
      assert.equal(listed[0]?.id, 'r100');
      assert.ok(listed.every((r) => r.votes.length === 2));
      assert.equal((await store.listRounds({ limit: 500 })).length, 101);
    }));

  it('skips rounds and late votes of a deleted monitor; deleting a monitor removes its rounds', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      await store.insertMonitor(makeMonitor('gone'));
      await store.deleteMonitor('gone');
      await store.commitBatch(
        batch({
          rounds: [
            makeRound('r1', 'm1', T0),
            makeRound('r2', 'm2', T0),
            makeRound('rg', 'gone', T0),
          ],
        }),
      );
      assert.deepEqual(await ids(store), ['r2', 'r1']);
      await store.deleteMonitor('m1');
      assert.deepEqual(await ids(store), ['r2']);
      // The votes went with the round: a late vote for it finds no round to join.
      await store.commitBatch(batch({ lateVotes: [{ roundId: 'r1', vote: makeVote('z', 'ok') }] }));
      assert.deepEqual(await ids(store), ['r2']);
    }));

  it('keeps at most one open incident per monitor; a second opening is skipped', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const first = makeIncident('inc-1', 'm1', T0);
      await store.commitBatch(batch({ incidentsOpened: [first] }));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-2', 'm1', T0 + HOUR)] }));
      assert.deepEqual(await store.listIncidents(), [first]);

      // Resolving the first, then opening again (even in one batch, with a third opening
      // after it) keeps one open incident at any time.
      await store.commitBatch(
        batch({
          incidentsResolved: [
            { id: 'inc-1', endedAt: T0 + HOUR, resolvedAt: T0 + HOUR, durationMs: HOUR },
          ],
          incidentsOpened: [
            makeIncident('inc-4', 'm1', T0 + 3 * HOUR),
            makeIncident('inc-3', 'm1', T0 + 2 * HOUR),
          ],
        }),
      );
      const listed = await store.listIncidents();
      assert.deepEqual(
        listed.map((i) => [i.id, i.status]),
        [
          ['inc-3', 'open'],
          ['inc-1', 'resolved'],
        ],
      );
    }));

  it('opens, resolves and opens again within one batch', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [
            makeIncident('inc-2', 'm1', T0 + HOUR),
            makeIncident('inc-1', 'm1', T0),
          ],
          incidentsResolved: [{ id: 'inc-1', endedAt: T0 + 5, resolvedAt: T0 + 6, durationMs: 5 }],
        }),
      );
      assert.deepEqual(
        (await store.listIncidents()).map((i) => [i.id, i.status]),
        [
          ['inc-2', 'open'],
          ['inc-1', 'resolved'],
        ],
      );
    }));

  it('changes the verdict and regions of an open incident only', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const regional = {
        ...makeIncident('inc-1', 'm1', T0),
        verdict: 'regional' as const,
        regions: ['eu-west'],
      };
      await store.commitBatch(
        batch({
          incidentsOpened: [regional, makeIncident('inc-2', 'm2', T0)],
          // Opened and changed in the same batch.
          incidentsUpdated: [{ id: 'inc-2', verdict: 'regional', regions: ['us-east'], at: T0 }],
        }),
      );
      assert.deepEqual(await store.getIncident('inc-1'), regional);
      assert.deepEqual((await store.getIncident('inc-2'))?.regions, ['us-east']);

      await store.commitBatch(
        batch({
          incidentsUpdated: [
            { id: 'inc-1', verdict: 'down', regions: [], at: T0 + HOUR },
            { id: 'inc-2', verdict: 'down', regions: [], at: T0 + HOUR },
          ],
          incidentsResolved: [
            { id: 'inc-2', endedAt: T0 + HOUR, resolvedAt: T0 + HOUR, durationMs: HOUR },
          ],
        }),
      );
      assert.deepEqual(await store.getIncident('inc-1'), {
        ...regional,
        verdict: 'down',
        regions: [],
      });
      const resolved = await store.getIncident('inc-2');
      assert.deepEqual([resolved?.status, resolved?.verdict], ['resolved', 'down']);

      // A resolved incident keeps its last verdict.
      await store.commitBatch(
        batch({
          incidentsUpdated: [{ id: 'inc-2', verdict: 'regional', regions: ['x'], at: T0 + DAY }],
        }),
      );
      assert.equal((await store.getIncident('inc-2'))?.verdict, 'down');
    }));

  it('round-trips every consensus field of a runtime state', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const full = makeState('m1', {
        status: 'regional',
        openIncident: {
          id: 'inc-1',
          startedAt: T0,
          verdict: 'regional',
          regions: ['ap', 'eu'],
          openedAt: T0,
          confirmedBy: [],
          pages: {},
        },
        verdict: 'regional',
        verdictAt: T0 + MINUTE,
        failingRegions: ['ap', 'eu'],
        failingNodes: ['node-a', 'node-b'],
        flapChanges: [T0, T0 + 1, T0 + MINUTE],
        flappingSince: T0 + 2 * MINUTE,
        lastEndedAt: T0 - HOUR,
      });
      await store.commitBatch(batch({ states: [full] }));
      assert.deepEqual(await store.listStates(), [full]);

      for (const status of ['unknown', 'flapping'] as const) {
        const next = makeState('m1', { status, verdict: 'unknown', verdictAt: T0 + HOUR });
        await store.commitBatch(batch({ states: [next] }));
        assert.deepEqual(await store.listStates(), [next]);
      }
    }));

  it('counts raw results per node since a time', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const on = (nodeId: string, r: ReturnType<typeof makeResult>) => ({ ...r, nodeId });
      await store.commitBatch(
        batch({
          results: [
            on('b', makeResult('m1', T0 - 1, 'down')),
            on('b', makeResult('m1', T0, 'down')),
            on('b', makeResult('m1', T0 + 1, 'degraded')),
            on('b', makeResult('m1', T0 + 2, 'up')),
            on('a', makeResult('m1', T0 + 3, 'up')),
            on('a', makeResult('m2', T0 + 3, 'down')),
            // Node errors are no observation of the target: counted apart, never as failures.
            on('a', makeResult('m1', T0 + 4, 'error')),
            on('c', makeResult('m1', T0 + 4, 'error')),
          ],
        }),
      );
      assert.deepEqual(await store.countResultsByNode('m1', T0), [
        { nodeId: 'a', total: 2, failures: 0, degraded: 0, errors: 1 },
        { nodeId: 'b', total: 3, failures: 1, degraded: 1, errors: 0 },
        { nodeId: 'c', total: 1, failures: 0, degraded: 0, errors: 1 },
      ]);
      assert.deepEqual(await store.countResultsByNode('m1', T0 + DAY), []);
      assert.deepEqual(await store.countResultsByNode('nope', 0), []);
    }));

  it('prunes old rounds of no incident with their votes, keeping incident evidence', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const now = T0 + 20 * DAY;
      const retention = { rawMs: 2 * DAY, minuteMs: 4 * DAY, hourMs: 10 * DAY, dayMs: 12 * DAY };
      const cutoff = now - retention.rawMs;
      await store.commitBatch(
        batch({
          rounds: [
            makeRound('old', 'm1', T0),
            makeRound('old-2', 'm1', cutoff - 1),
            makeRound('evidence', 'm1', T0, { incidentId: 'inc-1' }),
            makeRound('at-cutoff', 'm1', cutoff),
          ],
        }),
      );
      assert.equal((await store.prune(now, retention)).rounds, 2);
      assert.deepEqual(await ids(store), ['at-cutoff', 'evidence']);
      assert.equal((await store.prune(now, retention)).rounds, 0);
      // A round id freed by pruning is stored afresh, without the old votes.
      await store.commitBatch(batch({ rounds: [makeRound('old', 'm1', now, { votes: [] })] }));
      assert.deepEqual((await store.listRounds({ limit: 1 }))[0]?.votes, []);
    }));
}
