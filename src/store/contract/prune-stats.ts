// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  withStore,
} from './fixtures.ts';

const NOW = T0 + 20 * DAY;
/**
 * Cutoffs: raw T0+18d, minute buckets T0+16d, hour buckets T0+10d, day buckets (and alert
 * deliveries of no existing incident) T0+8d.
 */
const RETENTION = { rawMs: 2 * DAY, minuteMs: 4 * DAY, hourMs: 10 * DAY, dayMs: 12 * DAY };

/** prune() boundaries and stats(). */
export function pruneAndStatsContract(makeStore: MakeStore): void {
  it('deletes exactly what is older than each retention cutoff', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: [5, 9, 17, 18, 19].map((d) => makeResult('m1', T0 + d * DAY, 'up', 10, `r${d}`)),
          incidentsOpened: [makeIncident('inc-kept', 'm1', T0)],
          alerts: [
            // Older than raw results, younger than day buckets: kept.
            makeDelivery('sent-17d', 'm1', { status: 'sent', createdAt: T0 + 17 * DAY }),
            // Its incident is gone (its monitor was deleted): pruned after the day buckets.
            makeDelivery('failed-old', 'm1', { status: 'failed', createdAt: T0 + DAY }),
            makeDelivery('pending-old', 'm1', { status: 'pending', createdAt: T0 + DAY }),
            // Kept as long as its incident.
            makeDelivery('incident-old', 'm1', {
              status: 'suppressed',
              incidentId: 'inc-kept',
              createdAt: T0 + DAY,
            }),
            makeDelivery('node-old', 'm1', {
              status: 'sent',
              incidentId: null,
              createdAt: T0 + 7 * DAY,
            }),
            makeDelivery('node-at-cutoff', 'm1', {
              status: 'sent',
              incidentId: null,
              createdAt: T0 + 8 * DAY,
            }),
          ],
        }),
      );
      await store.updateAlertDelivery(
        'failed-old',
        { status: 'failed', attempts: 1, nextAttemptAt: T0, lastError: 'x', sentAt: null },
        { attempt: 1, at: T0 + DAY, outcome: 'failed', error: 'x', httpStatus: 410 },
      );
      await store.rollup();

      assert.deepEqual(await store.prune(NOW, RETENTION), {
        results: 3,
        minuteBuckets: 2,
        hourBuckets: 2,
        dayBuckets: 1,
        deliveries: 2,
        rounds: 0,
        evidence: 0,
      });
      assert.deepEqual(
        (await store.listResults()).map((r) => r.id),
        ['r19', 'r18'],
      );
      const starts = async (granularity: 'minute' | 'hour' | 'day') =>
        (await store.listRollups(granularity, 'm1', 0)).map((b) => (b.bucketStart - T0) / DAY);
      assert.deepEqual(await starts('minute'), [17, 18, 19]);
      assert.deepEqual(await starts('hour'), [17, 18, 19]);
      assert.deepEqual(await starts('day'), [9, 17, 18, 19]);
      // Day 9 is still counted from its day bucket, its hour bucket gone.
      const [twelveDays] = (await store.resultCounts(['m1'], [12 * DAY], NOW)).get('m1') ?? [];
      assert.deepEqual(twelveDays, { total: 4, failures: 0 });
      assert.deepEqual((await store.listAlertDeliveries()).map((d) => d.id).sort(), [
        'incident-old',
        'node-at-cutoff',
        'pending-old',
        'sent-17d',
      ]);
      assert.deepEqual((await store.listAlertAttempts(['failed-old'])).get('failed-old'), []);
      assert.deepEqual(await store.prune(NOW, RETENTION), {
        results: 0,
        minuteBuckets: 0,
        hourBuckets: 0,
        dayBuckets: 0,
        deliveries: 0,
        rounds: 0,
        evidence: 0,
      });
    }));

  it('keeps old raw results until they are rolled up', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ results: [makeResult('m1', T0 + DAY, 'down', 10, 'late')] }));
      assert.equal((await store.prune(NOW, RETENTION)).results, 0);
      assert.equal((await store.listResults()).length, 1);

      await store.rollup();
      assert.equal((await store.listRollups('minute', 'm1', 0))[0]?.failures, 1);
      assert.deepEqual(await store.prune(NOW, RETENTION), {
        results: 1,
        minuteBuckets: 1,
        hourBuckets: 1,
        dayBuckets: 1,
        deliveries: 0,
        rounds: 0,
        evidence: 0,
      });
    }));

  it('reports size and row counts', () =>
    withStore(makeStore, async (store) => {
      const empty = await store.stats();
      assert.deepEqual(
        [empty.monitors, empty.pausedMonitors, empty.results, empty.openIncidents],
        [0, 0, 0, 0],
      );
      assert.ok(empty.sizeBytes > 0, 'the schema alone takes space');

      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2', { paused: true }));
      await store.commitBatch(
        batch({
          results: Array.from({ length: 50 }, (_, i) => makeResult('m1', T0 + i)),
          incidentsOpened: [makeIncident('i1', 'm1', T0), makeIncident('i2', 'm2', T0)],
          incidentsResolved: [{ id: 'i2', endedAt: T0 + 1, resolvedAt: T0 + 1, durationMs: 1 }],
        }),
      );
      const stats = await store.stats();
      assert.deepEqual(
        [stats.monitors, stats.pausedMonitors, stats.results, stats.openIncidents],
        [2, 1, 50, 1],
      );
      assert.ok(stats.sizeBytes >= empty.sizeBytes);
    }));
}
