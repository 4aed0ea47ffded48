import { randomUUID } from 'node:crypto';
import { makeTarget, makeRule } from '../../src/store/contract/alert-targets.ts';
import { makeUser } from '../../src/store/contract/auth.ts';
import { makeNode } from '../../src/store/contract/cluster.ts';
import { makeRound } from '../../src/store/contract/consensus-fixtures.ts';
import {
  batch,
  DAY,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
  MINUTE,
  T0,
} from '../../src/store/contract/fixtures.ts';
import { makeWindow } from '../../src/store/contract/maintenance.ts';
import { makePage } from '../../src/store/contract/status-pages.ts';
import type { Store } from '../../src/store/types.ts';

export const MONITOR_IDS = ['m1', 'm2', 'm3'];

/**
 * Fills a store through its API with a little of everything the coordinator keeps, and
 * `results` raw results spread over the monitors and two days (some with UUID ids, stored as
 * 16 bytes in SQLite, one with a NUL in its message).
 */
export async function populateStore(store: Store, results: number): Promise<void> {
  for (const id of MONITOR_IDS) await store.insertMonitor(makeMonitor(id));
  await store.insertNode(makeNode('node-a'));
  await store.insertUser(makeUser('u1', { name: 'alice' }));
  await store.insertApiToken({
    id: 'tok1',
    userId: 'u1',
    name: 'ci',
    tokenHash: 'hash-tok1',
    access: 'write',
    createdAt: T0,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
  });
  await store.insertAlertTarget(makeTarget('ops'));
  await store.insertAlertRule(makeRule('rule1'));
  await store.insertMaintenanceWindow(makeWindow('w1'));
  await store.insertStatusPage(makePage('p1'));
  const slice = 1_000;
  for (let start = 0; start < results; start += slice) {
    const items = [];
    for (let i = start; i < Math.min(results, start + slice); i++) {
      const monitor = MONITOR_IDS[i % MONITOR_IDS.length] ?? 'm1';
      const at = T0 + Math.floor((i * 2 * DAY) / results);
      const id = i % 3 === 0 ? randomUUID() : undefined;
      const result = makeResult(monitor, at, i % 17 === 0 ? 'down' : 'up', 50 + (i % 90), id);
      if (i === 1) result.message = 'binary reply \0 here';
      items.push(result);
    }
    await store.commitBatch(batch({ results: items }));
  }
  await store.commitBatch(
    batch({
      states: MONITOR_IDS.map((id) => makeState(id)),
      incidentsOpened: [makeIncident('inc-1', 'm1', T0 + 10 * MINUTE)],
      alerts: [makeDelivery('d1', 'm1')],
      rounds: [makeRound('r1', 'm1', T0 + 11 * MINUTE)],
    }),
  );
  await store.rollup();
}
