import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { waitUntil } from '../../test/helpers/lease-lab.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../test/helpers/postgres-server.ts';
import type { TestPostgres } from '../../test/helpers/postgres-server.ts';
import { busApplicationName } from '../cluster/bus/listen-connection.ts';
import { createPostgresBus } from '../cluster/bus/postgres-bus.ts';
import type { ClusterBus } from '../cluster/bus/types.ts';
import type { MonitorChange } from '../domain/monitor-change.ts';
import type { Monitor } from '../domain/monitor.ts';
import { systemClock } from '../lib/clock.ts';
import { silentLogger } from '../observability/logger.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import type { CrosscheckEvent } from '../services/events/event-types.ts';
import {
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
} from '../store/contract/fixtures.ts';
import { openPostgresStore } from '../store/postgres/open-postgres-store.ts';
import type { AlertDeliveryUpdate, Store } from '../store/types.ts';
import { createCoordinatorEvents } from './coordinator-events.ts';
import type { CoordinatorEvents } from './coordinator-events.ts';
import { createCoordinatorOverview } from './coordinator-overview.ts';
import type { CoordinatorOverview } from './coordinator-overview.ts';
import { startFollowerSync } from './follower-sync.ts';
import type { FollowerSync } from './follower-sync.ts';
import { createLeaderPublisher, publishingChangeSink } from './leader-publisher.ts';
import type { LeaderPublisher } from './leader-publisher.ts';

// A "leader" and a follower coordinator on one real PostgreSQL database, each with its own
// store and bus: what the leader writes and announces reaches the follower's change sink,
// overview and event hub, as the leader's own live views would have shown it.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

interface Follower {
  store: Store;
  bus: ClusterBus;
  events: CoordinatorEvents;
  overview: CoordinatorOverview;
  sync: FollowerSync;
  monitors: Map<string, Monitor>;
  changes: MonitorChange[];
  /** Times its calendar would have been re-read. */
  calendarReloads: number;
  /** Times its alert routing would have been re-read. */
  routingReloads: number;
  /** Push monitors whose stored state it was told to re-read. */
  pinged: string[];
}

/** The events a hub published after `mark`, without their stamps. */
function eventsSince(events: CoordinatorEvents, mark: string): CrosscheckEvent[] {
  const answer = events.hub.since(mark);
  assert.equal(answer.kind, 'events');
  return answer.events.map((stamped) => stamped.data);
}

void describe('follower sync over the cluster bus', { skip, timeout: 120_000 }, () => {
  let server: TestPostgres;
  let database: { url: string; drop(): Promise<void> };
  let leaderStore: Store;
  let leaderBus: ClusterBus;
  let leaderSink: ReturnType<typeof publishingChangeSink>;
  let publisher: LeaderPublisher;
  let follower: Follower;

  async function startFollower(): Promise<Follower> {
    const store = await openPostgresStore({ url: database.url });
    const bus = createPostgresBus({
      target: { url: database.url },
      nodeId: 'follower',
      logger: silentLogger(),
      coalesceMs: 20,
      backoff: { firstMs: 50, maxMs: 500 },
    });
    const held = await store.listMonitors();
    const startStates = await store.listStates();
    const monitors = new Map(held.map((monitor) => [monitor.id, monitor]));
    const events = createCoordinatorEvents({
      clock: systemClock,
      monitors: held,
      states: startStates,
    });
    const overview = createCoordinatorOverview({
      store,
      now: () => T0,
      logger: silentLogger(),
      monitors: held,
      states: startStates,
    });
    const changes: MonitorChange[] = [];
    // As coordinator-node.ts subscribes its parts to the node's own change sink.
    const sink = createMonitorChangeBus();
    sink.subscribe((change) => {
      changes.push(change);
      overview.monitorChanged(change);
      events.sources.monitorChanged(change, T0);
      if (change.type === 'removed') monitors.delete(change.id);
      else monitors.set(change.monitor.id, change.monitor);
    });
    const sync = startFollowerSync({
      bus,
      store,
      overview,
      events: events.sources,
      changes: sink,
      monitors: () => monitors.values(),
      maintenanceChanged: () => {
        made.calendarReloads += 1;
        return Promise.resolve();
      },
      alertingChanged: () => {
        made.routingReloads += 1;
      },
      pushPinged: (monitorId) => {
        made.pinged.push(monitorId);
        return Promise.resolve();
      },
      now: () => T0,
      logger: silentLogger(),
    });
    const made: Follower = {
      store,
      bus,
      events,
      overview,
      sync,
      monitors,
      changes,
      calendarReloads: 0,
      routingReloads: 0,
      pinged: [],
    };
    await bus.start();
    return made;
  }

  before(async () => {
    server = await startPostgres();
    database = await createTestDatabase(server, 'follower_sync');
    leaderStore = await openPostgresStore({ url: database.url });
    leaderBus = createPostgresBus({
      target: { url: database.url },
      nodeId: 'leader',
      logger: silentLogger(),
      coalesceMs: 20,
    });
    await leaderBus.start();
    leaderSink = publishingChangeSink(createMonitorChangeBus(), leaderBus);
    publisher = createLeaderPublisher(leaderBus);
    await leaderStore.insertMonitor(makeMonitor('m1', { group: 'shop' }));
    follower = await startFollower();
  });

  after(async () => {
    follower.sync.stop();
    await follower.bus.stop();
    await follower.store.close();
    await leaderBus.stop();
    await leaderStore.close();
    await database.drop();
    await server.stop();
  });

  it('brings a monitor created through another coordinator to the change sink and overview', async () => {
    const mark = follower.events.hub.headId();
    const created = makeMonitor('m2', { name: 'Checkout', group: 'shop' });
    await leaderStore.insertMonitor(created);
    leaderSink.publish({ type: 'upserted', monitor: created });
    await waitUntil(() => follower.changes.length === 1, 10_000, 'the change');
    await follower.sync.idle();
    assert.deepEqual(follower.changes, [{ type: 'upserted', monitor: created }]);
    const rows = follower.overview.index.rows().map((row) => row.monitor.name);
    assert.ok(rows.includes('Checkout'));
    assert.deepEqual(eventsSince(follower.events, mark), [
      {
        type: 'monitor.changed',
        monitorId: 'm2',
        group: 'shop',
        change: 'created',
        at: created.updatedAt,
      },
    ]);
  });

  it('shows a committed batch as the same events the leader emits', async () => {
    // The leader's own live events, started from the same facts as the follower's.
    const leaderEvents = createCoordinatorEvents({
      clock: systemClock,
      monitors: await leaderStore.listMonitors(),
      states: await leaderStore.listStates(),
    });
    const leaderMark = leaderEvents.hub.headId();
    const followerMark = follower.events.hub.headId();
    const incident = makeIncident('inc-1', 'm1', T0);
    const committed = batch({
      results: [makeResult('m1', T0 + 60_000, 'down'), makeResult('m2', T0 + 60_000, 'up')],
      states: [
        makeState('m1', { status: 'down', statusSince: T0 + 60_000, openIncident: null }),
        makeState('m2'),
      ],
      incidentsOpened: [incident],
      alerts: [makeDelivery('al-1', 'm1', { status: 'suppressed', reason: 'within-cooldown' })],
    });
    await leaderStore.commitBatch(committed);
    leaderEvents.sources.batchCommitted(committed, T0);
    publisher.batchCommitted(committed);
    const expected = eventsSince(leaderEvents, leaderMark);
    assert.deepEqual(
      new Set(expected.map((event) => event.type)),
      new Set(['result', 'incident.opened', 'monitor.state', 'alert.decision']),
    );
    await waitUntil(
      () => eventsSince(follower.events, followerMark).length >= expected.length,
      10_000,
      'the follower events',
    );
    await follower.sync.idle();
    assert.deepEqual(eventsSince(follower.events, followerMark), expected);
    const m1 = follower.overview.index.rows().find((row) => row.monitor.id === 'm1');
    assert.equal(m1?.state, 'down');
  });

  it('relays alert target changes and push pings to the parts that re-read them', async () => {
    publisher.alertingChanged();
    publisher.pushPinged('m1');
    await waitUntil(() => follower.pinged.length === 1, 10_000, 'the push ping relayed');
    assert.equal(follower.routingReloads, 1, 'the routing re-read once');
    assert.deepEqual(follower.pinged, ['m1']);
  });

  it('relays node transitions, alert decisions, incident updates and maintenance changes', async () => {
    const mark = follower.events.hub.headId();
    publisher.nodeTransition({ nodeId: 'agent-1', from: 'online', to: 'missing', at: T0 });
    const sent: AlertDeliveryUpdate = {
      status: 'sent',
      attempts: 1,
      nextAttemptAt: T0,
      lastError: null,
      sentAt: T0 + 5,
      reason: 'new-incident',
    };
    publisher.alertDecided(makeDelivery('al-2', 'm1'), sent, T0 + 5);
    publisher.incidentUpdatePosted(
      { id: 'up-1', incidentId: 'inc-1', status: 'identified', public: true, createdAt: T0 + 6 },
      'm1',
    );
    publisher.maintenanceChanged();
    await waitUntil(() => follower.calendarReloads === 1, 10_000, 'the calendar re-read');
    assert.deepEqual(
      eventsSince(follower.events, mark).map((event) => event.type),
      ['node.state', 'alert.decision', 'incident.update.posted'],
    );
  });

  it('reloads after its listening session was lost, catching up on what it missed', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const mark = follower.events.hub.headId();
      const { rows } = await admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [busApplicationName('follower')],
      );
      await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
      // Written while nobody told the follower (and announced to nobody).
      await leaderStore.deleteMonitor('m2');
      await leaderStore.commitBatch(batch({ states: [makeState('m1', { status: 'up' })] }));
      await waitUntil(() => !follower.monitors.has('m2'), 20_000, 'the deletion caught up');
      await follower.sync.idle();
      assert.deepEqual(
        follower.overview.index.rows().map((row) => [row.monitor.id, row.state]),
        [['m1', 'up']],
      );
      const types = eventsSince(follower.events, mark).map((event) => event.type);
      assert.deepEqual(types.sort(), ['monitor.changed', 'monitor.state']);
    } finally {
      await admin.end();
    }
  });
});
