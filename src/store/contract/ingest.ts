// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import { ERROR_KINDS } from '../../domain/check-result.ts';
import { newResultId } from '../../lib/ids.ts';
import type { MakeStore } from './fixtures.ts';
import {
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
  withStore,
} from './fixtures.ts';

/** commitBatch: results and states, idempotent replays, rows of deleted monitors. */
export function ingestContract(makeStore: MakeStore): void {
  it('stores results exactly as given and lists them newest first', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const bare: RecordedResult = {
        id: 'bare',
        monitorId: 'm1',
        nodeId: 'node-b',
        checkedAt: T0 + 2 * MINUTE,
        status: 'degraded',
        latencyMs: 1234.5,
        timings: {},
        message: 'slow',
        details: {},
      };
      const full: RecordedResult = {
        ...makeResult('m1', T0 + MINUTE, 'down', 10_000, 'full'),
        timings: { dnsMs: 1, connectMs: 2, tlsMs: 3, firstByteMs: 4 },
      };
      const older = makeResult('m1', T0, 'up', 50, 'older');
      const other = makeResult('m2', T0 + 3 * MINUTE, 'up', 60, 'other');
      await store.commitBatch(batch({ results: [older, bare, full, other] }));

      assert.deepEqual(await store.listResults({ monitorId: 'm1' }), [bare, full, older]);
      assert.deepEqual(
        (await store.listResults()).map((r) => r.id),
        ['other', 'bare', 'full', 'older'],
      );
      assert.deepEqual(
        (await store.listResults({ monitorId: 'm1', since: T0 + MINUTE })).map((r) => r.id),
        ['bare', 'full'],
        'since is inclusive',
      );
      assert.deepEqual(
        (await store.listResults({ limit: 2 })).map((r) => r.id),
        ['other', 'bare'],
      );
    }));

  it('counts results per status since a time', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: [
            makeResult('m1', T0 - 1, 'down'),
            makeResult('m1', T0, 'down'),
            makeResult('m1', T0 + 1, 'up'),
            makeResult('m1', T0 + 2, 'up'),
            makeResult('m1', T0 + 3, 'degraded'),
            makeResult('m1', T0 + 4, 'error'),
          ],
        }),
      );
      assert.deepEqual(await store.countResults('m1', T0), {
        up: 2,
        degraded: 1,
        down: 1,
        error: 1,
      });
      assert.deepEqual(await store.countResults('nope', T0), {
        up: 0,
        degraded: 0,
        down: 0,
        error: 0,
      });
      const [latest] = await store.listResults({ monitorId: 'm1', limit: 1 });
      assert.deepEqual([latest?.status, latest?.errorKind], ['error', 'node'], 'round-trips');
    }));

  it('inserts nothing twice when the same batch is committed again', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const replayed = batch({
        results: [makeResult('m1', T0, 'down'), makeResult('m1', T0 + MINUTE, 'down')],
        states: [makeState('m1', { status: 'down', consecutiveFailures: 2 })],
        incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
        alerts: [makeDelivery('d1', 'm1')],
      });
      await store.commitBatch(replayed);
      await store.commitBatch(replayed);

      assert.equal((await store.listResults()).length, 2);
      assert.equal((await store.listIncidents()).length, 1);
      assert.equal((await store.listAlertDeliveries()).length, 1);
      assert.equal((await store.listStates()).length, 1);
      const stats = await store.stats();
      assert.equal(stats.results, 2);
      assert.equal(stats.openIncidents, 1);
    }));

  it('replays UUID-id batches, in part and out of order, without a row twice', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const results = [0, 1, 2, 3].map((i) => ({
        ...makeResult(
          i % 2 === 0 ? 'm1' : 'm2',
          T0 + i * MINUTE,
          'up',
          10 + i,
          newResultId(T0 + i),
        ),
        nodeId: i < 2 ? 'node-a' : 'node-b',
      }));
      await store.commitBatch(batch({ results: results.slice(0, 3) }));
      // An outbox replay after a lost acknowledgement: the old rows again, and one new.
      await store.commitBatch(batch({ results: results.toReversed() }));
      await store.commitBatch(batch({ results }));

      const stored = await store.listResults();
      assert.deepEqual(stored, results.toReversed(), 'each once, ids and values as given');
      assert.equal((await store.stats()).results, 4);
    }));

  it('gives every status and error kind back as stored, empty message and details too', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const statuses = ['up', 'degraded', 'down', 'error'] as const;
      const results: RecordedResult[] = [...ERROR_KINDS, undefined].flatMap((errorKind, k) =>
        statuses.map((status, s) => {
          const result: RecordedResult = {
            id: newResultId(T0 + k),
            monitorId: 'm1',
            nodeId: `node-${s}`,
            checkedAt: T0 + (k * statuses.length + s) * MINUTE,
            status,
            latencyMs: 1234.56 + k,
            timings:
              s === 0 ? {} : { dnsMs: 0.01, connectMs: 0, tlsMs: 99.99, firstByteMs: 12_345.67 },
            message: k % 2 === 0 ? '' : `message ${k}`,
            details: k % 3 === 0 ? {} : { statusCode: 200, list: ['a'], none: null, ok: true },
          };
          if (errorKind !== undefined) result.errorKind = errorKind;
          return result;
        }),
      );
      await store.commitBatch(batch({ results }));
      assert.deepEqual(await store.listResults({ monitorId: 'm1' }), results.toReversed());
    }));

  it('upserts runtime states, replacing every field', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const first = makeState('m1');
      await store.commitBatch(batch({ states: [first, makeState('m2')] }));
      const second = makeState('m1', {
        status: 'down',
        consecutiveFailures: 3,
        consecutiveSuccesses: 0,
        failureStreakStartedAt: T0,
        successStreakStartedAt: null,
        openIncident: {
          id: 'inc-9',
          startedAt: T0,
          verdict: 'down',
          regions: [],
          openedAt: T0,
          confirmedBy: [],
          pages: {},
        },
        lastResultStatus: 'down',
        lastErrorKind: 'timeout',
        lastNodeId: 'eu-1',
        lastMessage: 'timed out',
        lastLatencyMs: 5000,
        lastDownAlertAt: T0 + MINUTE,
      });
      await store.commitBatch(batch({ states: [second] }));
      assert.deepEqual(await store.listStates(), [second, makeState('m2')]);
    }));

  it('skips rows of a monitor that no longer exists and keeps the rest of the batch', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('live'));
      await store.insertMonitor(makeMonitor('deleted'));
      await store.deleteMonitor('deleted');
      await store.commitBatch(
        batch({
          results: [makeResult('live', T0, 'up', 10, 'r-live'), makeResult('deleted', T0)],
          states: [makeState('live'), makeState('deleted')],
          incidentsOpened: [makeIncident('inc-d', 'deleted', T0)],
          alerts: [makeDelivery('d-d', 'deleted')],
        }),
      );
      assert.deepEqual(
        (await store.listResults()).map((r) => r.id),
        ['r-live'],
      );
      assert.deepEqual(
        (await store.listStates()).map((s) => s.monitorId),
        ['live'],
      );
      assert.deepEqual(await store.listIncidents(), []);
      // Without the foreign key (0005) this is the batch's own check: no alert is stored for a
      // monitor that was deleted before its round was committed.
      assert.deepEqual(await store.listAlertDeliveries(), []);
    }));

  it('commits an empty batch without effect', () =>
    withStore(makeStore, async (store) => {
      await store.commitBatch(batch({}));
      assert.equal((await store.stats()).results, 0);
    }));
}
