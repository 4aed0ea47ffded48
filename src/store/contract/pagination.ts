// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Incident } from '../../domain/incident.ts';
import type {
  AlertDeliveryFilter,
  IncidentFilter,
  MonitorFilter,
  ResultFilter,
  RoundFilter,
} from '../types.ts';
import { makeRound } from './consensus-fixtures.ts';
import type { MakeStore } from './fixtures.ts';
import {
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  withStore,
} from './fixtures.ts';

/**
 * Reads a list page by page (`limit` items each) from the key of each page's last item,
 * running `between` after every page: the way a client pages through a changing list.
 */
async function pageAll<T, K>(
  fetch: (after: K | undefined, limit: number) => Promise<T[]>,
  keyOf: (item: T) => K,
  limit: number,
  between: (page: number) => Promise<void> = () => Promise.resolve(),
): Promise<T[]> {
  const seen: T[] = [];
  let after: K | undefined;
  for (let page = 0; page < 1_000; page++) {
    const items = await fetch(after, limit);
    seen.push(...items);
    const last = items.at(-1);
    if (items.length < limit || last === undefined) return seen;
    after = keyOf(last);
    await between(page);
  }
  throw new Error('pagination did not end');
}

/** Every id of `expected` exactly once, in order, among `got` (which may hold newer ones). */
function assertEachOnceInOrder(got: readonly string[], expected: readonly string[]): void {
  assert.equal(new Set(got).size, got.length, `no id twice: ${got.join(',')}`);
  assert.deepEqual(
    got.filter((id) => expected.includes(id)),
    [...expected],
  );
}

const resolvedIncident = (id: string, monitorId: string, startedAt: number): Incident => ({
  ...makeIncident(id, monitorId, startedAt),
  status: 'resolved',
  endedAt: startedAt + 1,
  resolvedAt: startedAt + 1,
  durationMs: 1,
});

/** Keyset pagination of every list: each item once, in order, while items are added. */
export function paginationContract(makeStore: MakeStore): void {
  it('pages monitors by (name, id) with the tag filter applied in the query', () =>
    withStore(makeStore, async (store) => {
      const names = ['b', 'a', 'c', 'b', 'd', 'b', 'e', 'a'];
      for (const [i, name] of names.entries()) {
        const tags = i % 2 === 0 ? ['prod'] : ['staging', 'prod-eu'];
        await store.insertMonitor(makeMonitor(`m${i}`, { name, tags }));
      }
      const full = (await store.listMonitors()).map((m) => m.id);
      let added = 0;
      const paged = await pageAll(
        (after: MonitorFilter['after'], limit) =>
          store.listMonitors({ ...(after ? { after } : {}), limit }),
        (m) => ({ name: m.name, id: m.id }),
        3,
        async () => {
          // One before every position read so far (never listed), one after (listed once).
          await store.insertMonitor(makeMonitor(`new-a${added}`, { name: 'a', tags: [] }));
          await store.insertMonitor(makeMonitor(`new-z${added++}`, { name: 'z', tags: [] }));
        },
      );
      const ids = paged.map((m) => m.id);
      assertEachOnceInOrder(ids, full);
      assert.ok(!ids.some((id) => id.startsWith('new-a')));
      assert.ok(ids.includes('new-z0'));

      const prod = await store.listMonitors({ tag: 'prod', limit: 2 });
      assert.deepEqual(
        prod.map((m) => m.tags),
        [['prod'], ['prod']],
        'a limited page holds matching monitors only; prod-eu is another tag',
      );
    }));

  it('pages incidents newest first, ties by id, with filters', () =>
    withStore(makeStore, async (store) => {
      const incidents: Incident[] = [];
      for (let m = 0; m < 4; m++) {
        await store.insertMonitor(makeMonitor(`m${m}`));
        // Equal start times across monitors make ties the id must break.
        for (let k = 0; k < 3; k++)
          incidents.push(resolvedIncident(`i${m}-${k}`, `m${m}`, T0 + k * MINUTE));
      }
      await store.commitBatch(batch({ incidentsOpened: incidents }));
      const full = (await store.listIncidents()).map((i) => i.id);
      assert.equal(full.length, 12);
      let n = 0;
      const paged = await pageAll(
        (after: IncidentFilter['after'], limit) =>
          store.listIncidents({ ...(after ? { after } : {}), limit }),
        (i) => ({ startedAt: i.startedAt, id: i.id }),
        5,
        () =>
          store.commitBatch(
            batch({ incidentsOpened: [resolvedIncident(`late-${n++}`, 'm0', T0 + 99 * MINUTE)] }),
          ),
      );
      assertEachOnceInOrder(
        paged.map((i) => i.id),
        full,
      );
      const ofM1 = await pageAll(
        (after: IncidentFilter['after'], limit) =>
          store.listIncidents({ monitorId: 'm1', ...(after ? { after } : {}), limit }),
        (i) => ({ startedAt: i.startedAt, id: i.id }),
        2,
      );
      assert.deepEqual(
        ofM1.map((i) => i.id),
        ['i1-2', 'i1-1', 'i1-0'],
      );
    }));

  it('pages results newest first, ties in stored order, while new results arrive', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const results = Array.from({ length: 14 }, (_, i) =>
        makeResult(i % 2 === 0 ? 'm1' : 'm2', T0 + Math.floor(i / 3) * MINUTE, 'up', 10, `r${i}`),
      );
      await store.commitBatch(batch({ results }));
      const full = (await store.listResults()).map((r) => r.id);
      let n = 0;
      const paged = await pageAll(
        (after: ResultFilter['after'], limit) =>
          store.listResults({ ...(after ? { after } : {}), limit }),
        (r) => ({ checkedAt: r.checkedAt, id: r.id }),
        4,
        () =>
          store.commitBatch(
            batch({ results: [makeResult('m1', T0 + 60 * MINUTE, 'up', 10, `new-${n++}`)] }),
          ),
      );
      assertEachOnceInOrder(
        paged.map((r) => r.id),
        full,
      );
      assert.ok(!paged.some((r) => r.id.startsWith('new-')), 'newer results come first');
      const m1 = await pageAll(
        (after: ResultFilter['after'], limit) =>
          store.listResults({ monitorId: 'm1', since: T0, ...(after ? { after } : {}), limit }),
        (r) => ({ checkedAt: r.checkedAt, id: r.id }),
        2,
      );
      assert.deepEqual(
        m1.map((r) => r.id),
        (await store.listResults({ monitorId: 'm1', since: T0 })).map((r) => r.id),
      );
    }));

  it('pages rounds and alert deliveries newest first', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const rounds = Array.from({ length: 9 }, (_, i) =>
        makeRound(`round-${i}`, 'm1', T0 + Math.floor(i / 2) * MINUTE, {
          verdict: i % 3 === 0 ? 'up' : 'local',
        }),
      );
      const alerts = Array.from({ length: 9 }, (_, i) =>
        makeDelivery(`d${i}`, 'm1', { createdAt: T0 + Math.floor(i / 2) * MINUTE }),
      );
      await store.commitBatch(batch({ rounds, alerts }));

      const fullRounds = (await store.listRounds({ monitorId: 'm1', limit: 100 })).map((r) => r.id);
      const pagedRounds = await pageAll(
        (after: RoundFilter['after'], limit) =>
          store.listRounds({ monitorId: 'm1', ...(after ? { after } : {}), limit }),
        (r) => ({ decidedAt: r.decidedAt, id: r.id }),
        2,
      );
      assertEachOnceInOrder(
        pagedRounds.map((r) => r.id),
        fullRounds,
      );
      const local = await pageAll(
        (after: RoundFilter['after'], limit) =>
          store.listRounds({ verdicts: ['local'], ...(after ? { after } : {}), limit }),
        (r) => ({ decidedAt: r.decidedAt, id: r.id }),
        4,
      );
      assert.equal(local.length, 6);
      assert.ok(local.every((r) => r.verdict === 'local'));

      const fullAlerts = (await store.listAlertDeliveries()).map((d) => d.id);
      const pagedAlerts = await pageAll(
        (after: AlertDeliveryFilter['after'], limit) =>
          store.listAlertDeliveries({ ...(after ? { after } : {}), limit }),
        (d) => ({ createdAt: d.createdAt, id: d.id }),
        4,
      );
      assertEachOnceInOrder(
        pagedAlerts.map((d) => d.id),
        fullAlerts,
      );
    }));
}
