import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { AlertEvent, MonitorAlertEvent } from '../../domain/alert.ts';
import { makeRound } from '../contract/consensus-fixtures.ts';
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
import { migrationProvider } from '../migrations/index.ts';
import { deliveryToRow, incidentToRow, monitorToRow, stateToRow } from '../sql/rows.ts';
import type { Database } from '../sql/schema.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

let root = '';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'crosscheck-migrate-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A new database file migrated up to `migration` (an older schema), for a test to fill. */
async function databaseAt(
  dir: string,
  migration: string,
  options: { foreignKeys?: boolean } = {},
): Promise<{ file: string; db: Kysely<Database> }> {
  const file = join(root, dir, 'crosscheck.db');
  await mkdir(join(file, '..'), { recursive: true });
  const handle = new BetterSqlite3(file);
  if (options.foreignKeys === true) handle.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  const migrated = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo(
    migration,
  );
  assert.equal(migrated.error, undefined);
  return { file, db };
}

/** A row as an older schema had it: the given (newer) columns left out. */
function without<T extends object>(row: T, columns: readonly string[]): never {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !columns.includes(k))) as never;
}

/** Columns migration 0007 (alert truth) adds, by table. */
const STATE_COLUMNS_0007 = ['open_incident_detail'];
const INCIDENT_COLUMNS_0007 = ['retracted_at', 'retraction'];
const DELIVERY_COLUMNS_0007 = ['kind', 'follows_id'];
/** Columns migration 0006 (uptime) adds, by table. */
const STATE_COLUMNS_0006 = ['last_node_id'];
const INCIDENT_COLUMNS_0006 = ['down_since', 'named_regions'];

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
];

/** Fills a database migrated up to 0003 with a row of every table 0004 changes. */
async function fillSchema3(db: Kysely<Database>): Promise<void> {
  for (const id of ['m1', 'm2']) {
    await db
      .insertInto('monitors')
      .values(without(monitorToRow(makeMonitor(id)), ['consensus', 'regional_alerts']))
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
    const { file, db } = await databaseAt('schema-3', '0003_node_alerts');
    await fillSchema3(db);
    await db.destroy();

    const store = await openSqliteStore({ file });
    try {
      assert.deepEqual(await store.getMonitor('m1'), makeMonitor('m1'), 'default consensus');
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
    const { file, db } = await databaseAt('schema-4', '0004_consensus', { foreignKeys: true });
    await db
      .insertInto('monitors')
      .values(monitorToRow(makeMonitor('m1')))
      .execute();
    await db
      .insertInto('incidents')
      .values(
        without(incidentToRow(makeIncident('inc-1', 'm1', T0)), [
          ...INCIDENT_COLUMNS_0006,
          ...INCIDENT_COLUMNS_0007,
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
        .values(without(deliveryToRow(delivery), ['reason', ...DELIVERY_COLUMNS_0007]))
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

  it('upgrades a database of schema 0006 with an open incident and its page to alert truth (0007)', async () => {
    const { file, db } = await databaseAt('schema-6', '0006_uptime');
    await db
      .insertInto('monitors')
      .values(monitorToRow(makeMonitor('m1')))
      .execute();
    await db
      .insertInto('incidents')
      .values(without(incidentToRow(makeIncident('inc-1', 'm1', T0)), INCIDENT_COLUMNS_0007))
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
        without(
          stateToRow(makeState('m1', { status: 'down', openIncident: open })),
          STATE_COLUMNS_0007,
        ),
      )
      .execute();
    await db
      .insertInto('alert_deliveries')
      .values(
        without(
          deliveryToRow(makeDelivery('d1', 'm1', { status: 'sent', sentAt: T0 })),
          DELIVERY_COLUMNS_0007,
        ),
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

  it('upgrades a database of schema 0004 with data to uptime from incidents (0006)', async () => {
    const { file, db } = await databaseAt('schema-4-uptime', '0004_consensus');
    const now = T0 + DAY;
    await db
      .insertInto('monitors')
      .values(monitorToRow(makeMonitor('m1')))
      .execute();
    const paused = makeMonitor('m2', { paused: true, updatedAt: now - 2 * HOUR });
    await db.insertInto('monitors').values(monitorToRow(paused)).execute();
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
          without(incidentToRow(incident), [...INCIDENT_COLUMNS_0006, ...INCIDENT_COLUMNS_0007]),
        )
        .execute();
    }
    await db
      .insertInto('monitor_state')
      .values(without(stateToRow(makeState('m1')), [...STATE_COLUMNS_0006, ...STATE_COLUMNS_0007]))
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
});
