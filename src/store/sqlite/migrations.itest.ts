import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { AlertEvent } from '../../domain/alert.ts';
import { makeRound } from '../contract/consensus-fixtures.ts';
import {
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
import type { Database } from '../sql/schema.ts';
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
const NEW_STATE_COLUMNS = [
  'open_incident_verdict',
  'open_incident_regions',
  'verdict',
  'verdict_at',
  'failing_regions',
  'failing_nodes',
  'flap_changes',
  'flapping_since',
  'last_ended_at',
  ...STATE_COLUMNS_0006,
  ...STATE_COLUMNS_0007,
  ...STATE_COLUMNS_0014,
];

/** Fills a database migrated up to 0003 with a row of every table 0004 changes. */
async function fillSchema3(db: Kysely<Database>): Promise<void> {
  for (const id of ['m1', 'm2']) {
    await db
      .insertInto('monitors')
      .values(
        without(monitorToRow(makeMonitor(id)), [
          'consensus',
          'regional_alerts',
          ...MONITOR_COLUMNS_0018,
        ]),
      )
      .execute();
  }
  const incidents = [
    makeIncident('inc-1', 'm1', T0),
    // Two open incidents of one monitor, which older builds could leave behind.
    makeIncident('inc-a', 'm2', T0),
    makeIncident('inc-b', 'm2', T0 + HOUR),
  ];
  for (const incident of incidents) {
    await db
      .insertInto('incidents')
      .values(
        without(incidentToRow(incident), [
          'verdict',
          'regions',
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
  const state = makeState('m1', {
    status: 'down',
    openIncident: {
      id: 'inc-1',
      startedAt: T0,
      verdict: 'down',
      regions: [],
      openedAt: T0,
      confirmedBy: [],
      pages: {},
    },
  });
  await db
    .insertInto('monitor_state')
    .values(without(stateToRow(state), NEW_STATE_COLUMNS))
    .execute();
  const old = makeDelivery('d1', 'm1');
  const {
    verdict: _v,
    regions: _r,
    evidence: _e,
    ...oldEvent
  } = old.event as AlertEvent & {
    verdict: unknown;
    regions: unknown;
    evidence: unknown;
  };
  await db
    .insertInto('alert_deliveries')
    .values(
      without({ ...deliveryToRow(old), event: JSON.stringify(oldEvent) }, [
        'reason',
        ...DELIVERY_COLUMNS_0007,
        ...DELIVERY_COLUMNS_0011,
      ]),
    )
    .execute();
  await db
    .insertInto('nodes')
    .values({
      id: 'n1',
      name: 'node-n1',
      role: 'agent',
      region: null,
      labels: '{}',
      version: '0.1.0',
      cert_serial: 'ab',
      cert_not_after: T0 + HOUR,
      enrolled_at: T0,
      last_seen: null,
      state: 'online',
      state_since: T0,
      clock_offset_ms: null,
      checks_per_second: null,
      outbox_backlog: null,
      remote_address: null,
      removed_at: null,
    })
    .execute();
}

describe('SQLite store migrations', () => {
  it('upgrades a database of schema 0003 with data to consensus (0004)', async () => {
    const { file, db } = await databaseAt(root, 'schema-3', '0003_node_alerts');
    await fillSchema3(db);
    await db.destroy();

    const store = await openSqliteStore({ file });
    try {
      const expected = makeMonitor('m1');
      const migrated = await store.getMonitor('m1');
      // 0013 turned the inline webhook route into a named target the route now refers to.
      const [route] = migrated?.alerts ?? [];
      assert.ok(route !== undefined && 'target' in route, 'the route names a target');
      assert.match(route.target, /^webhook-[0-9a-f]+$/);
      const target = await store.getAlertTarget(route.target);
      assert.deepEqual(
        [target?.type, target?.settings],
        ['webhook', { url: 'http://127.0.0.1:9/hook', retries: 3 }],
      );
      assert.deepEqual(
        migrated,
        {
          ...expected,
          alerts: [
            { target: route.target, events: null, repeatEveryMs: null, escalateAfterMs: null },
          ],
        },
        'default consensus',
      );
      assert.deepEqual(await store.getIncident('inc-1'), makeIncident('inc-1', 'm1', T0));
      // The older duplicate is closed where the newer one started.
      const superseded = await store.getIncident('inc-a');
      assert.deepEqual(
        [superseded?.status, superseded?.endedAt, superseded?.durationMs],
        ['resolved', T0 + HOUR, HOUR],
      );
      assert.equal((await store.getIncident('inc-b'))?.status, 'open');
      assert.deepEqual(await store.listStates(), [
        makeState('m1', {
          status: 'down',
          openIncident: {
            id: 'inc-1',
            startedAt: T0,
            verdict: 'down',
            regions: [],
            openedAt: T0,
            confirmedBy: [],
            pages: {},
          },
        }),
      ]);
      assert.equal((await store.getNode('n1'))?.impairedSince, null);
      assert.deepEqual(await store.listAlertDeliveries(), [
        { ...makeDelivery('d1', 'm1'), event: { ...makeDelivery('d1', 'm1').event, evidence: [] } },
      ]);

      // The new schema works on the upgraded data: one open incident per monitor, rounds
      // that go with their monitor.
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-2', 'm1', T0 + HOUR)],
          rounds: [makeRound('r1', 'm1', T0)],
        }),
      );
      assert.deepEqual(
        (await store.listIncidents({ monitorId: 'm1' })).map((i) => i.id),
        ['inc-1'],
      );
      assert.equal((await store.listRounds())[0]?.votes.length, 2);
      await store.deleteMonitor('m1');
      assert.deepEqual(await store.listRounds(), []);
    } finally {
      await store.close();
    }
  });

  it('upgrades a database of schema 0004 holding deliveries to the alert log (0005)', async () => {
    const { file, db } = await databaseAt(root, 'schema-4', '0004_consensus', {
      foreignKeys: true,
    });
    await db
      .insertInto('monitors')
      .values(without(monitorToRow(makeMonitor('m1')), MONITOR_COLUMNS_0018))
      .execute();
    await db
      .insertInto('incidents')
      .values(
        without(incidentToRow(makeIncident('inc-1', 'm1', T0)), [
          ...INCIDENT_COLUMNS_0006,
          ...INCIDENT_COLUMNS_0007,
          ...INCIDENT_COLUMNS_0009,
          ...INCIDENT_COLUMNS_0012,
          ...INCIDENT_COLUMNS_0018,
          ...INCIDENT_COLUMNS_0021,
        ]),
      )
      .execute();
    const sent = makeDelivery('sent', 'm1', { status: 'sent', sentAt: T0, createdAt: T0 });
    const failed = makeDelivery('failed', 'm1', {
      status: 'failed',
      attempts: 3,
      lastError: 'webhook answered 500',
      createdAt: T0 + 1,
    });
    const pending = makeDelivery('pending', 'm1', { createdAt: T0 + 2 });
    // Before 0005 a suppressed delivery's reason was stored in last_error.
    const held = makeDelivery('held', 'm1', {
      status: 'suppressed',
      lastError: 'within-cooldown',
      createdAt: T0 + 3,
    });
    for (const delivery of [sent, failed, pending, held]) {
      await db
        .insertInto('alert_deliveries')
        .values(
          without(deliveryToRow(delivery), [
            'reason',
            ...DELIVERY_COLUMNS_0007,
            ...DELIVERY_COLUMNS_0011,
          ]),
        )
        .execute();
    }
    await db.destroy();

    const store = await openSqliteStore({ file });
    try {
      assert.deepEqual(await store.listAlertDeliveries(), [
        { ...held, reason: 'within-cooldown', lastError: null },
        pending,
        failed,
        sent,
      ]);
      assert.deepEqual(
        (await store.listAlertDeliveries({ incidentId: 'inc-1', since: T0 + 2 })).map((d) => d.id),
        ['held', 'pending'],
      );
      await store.updateAlertDelivery(
        'pending',
        { status: 'sent', attempts: 1, nextAttemptAt: T0, lastError: null, sentAt: T0 + 5 },
        { attempt: 1, at: T0 + 5, outcome: 'sent', error: null, httpStatus: null },
      );
      // The foreign key to monitors is gone: the log outlives the monitor.
      await store.deleteMonitor('m1');
      assert.deepEqual(
        (await store.listAlertDeliveries()).map((d) => [d.id, d.status]),
        [
          ['held', 'suppressed'],
          ['pending', 'sent'],
          ['failed', 'failed'],
          ['sent', 'sent'],
        ],
      );
      assert.equal((await store.listAlertAttempts(['pending'])).get('pending')?.length, 1);
    } finally {
      await store.close();
    }
  });
});
