import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MonitorAlertEvent } from '../../domain/alert.ts';
import {
  DAY,
  HOUR,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeState,
} from '../contract/fixtures.ts';
import { deliveryToRow } from '../sql/delivery-rows.ts';
import { incidentToRow, monitorToRow } from '../sql/rows.ts';
import { stateToRow } from '../sql/state-rows.ts';
import {
  databaseAt,
  DELIVERY_COLUMNS_0007,
  DELIVERY_COLUMNS_0011,
  INCIDENT_COLUMNS_0006,
  INCIDENT_COLUMNS_0007,
  INCIDENT_COLUMNS_0009,
  INCIDENT_COLUMNS_0012,
  INCIDENT_COLUMNS_0018,
  INCIDENT_COLUMNS_0021,
  MONITOR_COLUMNS_0018,
  STATE_COLUMNS_0006,
  STATE_COLUMNS_0007,
  STATE_COLUMNS_0014,
  without,
} from './migration-fixture.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

let root = '';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'crosscheck-migrate-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('SQLite store migrations: uptime (0006) and alert truth (0007)', () => {
  it('upgrades a database of schema 0004 with data to uptime from incidents (0006)', async () => {
    const { file, db } = await databaseAt(root, 'schema-4-uptime', '0004_consensus');
    const now = T0 + DAY;
    await db
      .insertInto('monitors')
      .values(without(monitorToRow(makeMonitor('m1')), MONITOR_COLUMNS_0018))
      .execute();
    const paused = makeMonitor('m2', { paused: true, updatedAt: now - 2 * HOUR });
    await db
      .insertInto('monitors')
      .values(without(monitorToRow(paused), MONITOR_COLUMNS_0018))
      .execute();
    const down = { ...makeIncident('inc-1', 'm1', now - 4 * HOUR), status: 'resolved' as const };
    const regional = {
      ...makeIncident('inc-2', 'm1', now - HOUR),
      verdict: 'regional' as const,
      regions: ['eu-west'],
    };
    for (const incident of [
      { ...down, endedAt: now - 3 * HOUR, resolvedAt: now - 3 * HOUR, durationMs: HOUR },
      regional,
    ]) {
      await db
        .insertInto('incidents')
        .values(
          without(incidentToRow(incident), [
            ...INCIDENT_COLUMNS_0006,
            ...INCIDENT_COLUMNS_0007,
            ...INCIDENT_COLUMNS_0009,
            ...INCIDENT_COLUMNS_0012,
            ...INCIDENT_COLUMNS_0018,
            ...INCIDENT_COLUMNS_0021,
          ]),
        )
        .execute();
    }
    await db
      .insertInto('monitor_state')
      .values(
        without(stateToRow(makeState('m1')), [
          ...STATE_COLUMNS_0006,
          ...STATE_COLUMNS_0007,
          ...STATE_COLUMNS_0014,
        ]),
      )
      .execute();
    await db.destroy();

    const store = await openSqliteStore({ file });
    try {
      const figures = await store.uptime(['m1', 'm2'], [DAY], now);
      const [m1] = figures.get('m1') ?? [];
      assert.deepEqual([m1?.downMs, m1?.uptime], [HOUR, 1 - HOUR / DAY], 'down from its start');
      assert.deepEqual(
        m1?.regions.map((r) => [r.region, r.downMs]),
        [['eu-west', 2 * HOUR]],
      );
      // A monitor paused before the upgrade counts as paused since its last change.
      assert.equal(figures.get('m2')?.[0]?.observedMs, DAY - 2 * HOUR);
      assert.deepEqual(await store.listStates(), [makeState('m1')]);
      await store.updateMonitor({ ...paused, paused: false, updatedAt: now - HOUR });
      const [resumed] = (await store.uptime(['m2'], [DAY], now)).get('m2') ?? [];
      assert.equal(resumed?.observedMs, DAY - HOUR);
    } finally {
      await store.close();
    }
  });

  it('upgrades a database of schema 0006 with an open incident and its page to alert truth (0007)', async () => {
    const { file, db } = await databaseAt(root, 'schema-6', '0006_uptime');
    await db
      .insertInto('monitors')
      .values(without(monitorToRow(makeMonitor('m1')), MONITOR_COLUMNS_0018))
      .execute();
    await db
      .insertInto('incidents')
      .values(
        without(incidentToRow(makeIncident('inc-1', 'm1', T0)), [
          ...INCIDENT_COLUMNS_0007,
          ...INCIDENT_COLUMNS_0009,
          ...INCIDENT_COLUMNS_0012,
          ...INCIDENT_COLUMNS_0018,
          ...INCIDENT_COLUMNS_0021,
        ]),
      )
      .execute();
    const open = {
      id: 'inc-1',
      startedAt: T0,
      verdict: 'down' as const,
      regions: [],
      openedAt: T0,
      confirmedBy: [],
      pages: {},
    };
    await db
      .insertInto('monitor_state')
      .values(
        without(stateToRow(makeState('m1', { status: 'down', openIncident: open })), [
          ...STATE_COLUMNS_0007,
          ...STATE_COLUMNS_0014,
        ]),
      )
      .execute();
    await db
      .insertInto('alert_deliveries')
      .values(
        without(deliveryToRow(makeDelivery('d1', 'm1', { status: 'sent', sentAt: T0 })), [
          ...DELIVERY_COLUMNS_0007,
          ...DELIVERY_COLUMNS_0011,
        ]),
      )
      .execute();
    await db.destroy();

    const store = await openSqliteStore({ file });
    try {
      // No detail on record: dated from its start, confirmed by nobody, no page on record.
      assert.deepEqual((await store.listStates())[0]?.openIncident, open);
      const incident = await store.getIncident('inc-1');
      assert.deepEqual([incident?.retractedAt, incident?.retraction], [null, null]);
      // The old page's kind was read out of its event: a recovery now follows it.
      const event = makeDelivery('x', 'm1').event as MonitorAlertEvent;
      await store.commitBatch(
        batch({
          followUps: [
            {
              monitorId: 'm1',
              incidentId: 'inc-1',
              event: { ...event, kind: 'recovered', idempotencyKey: 'm1:inc-1:recovered' },
              idPrefix: 'rec',
              createdAt: T0 + HOUR,
            },
          ],
        }),
      );
      const due = await store.dueAlertDeliveries(T0 + HOUR, 10);
      assert.deepEqual(
        due.map((d) => [d.event.kind, d.followsId, d.followsStatus]),
        [['recovered', 'd1', 'sent']],
      );
    } finally {
      await store.close();
    }
  });
});
