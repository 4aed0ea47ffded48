import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AlertDelivery } from '../../domain/alert.ts';
import type { AlertRule, TargetRoute } from '../../domain/alert-target.ts';
import type { Incident } from '../../domain/incident.ts';
import type { InMaintenance, MaintenanceRef } from '../../domain/maintenance.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { RoutingSnapshot } from '../../alerts/routing.ts';
import { makeIncident, makeMonitor } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createIngestor, type Ingestor } from './ingest.ts';
import { createTimedPagesRunner, type TimedPagesRunner } from './timed-pages-runner.ts';

// Re-notify and escalation through the runner, the real ingest writer and SQLite, on a fake
// clock: what is stored, when, and never twice.

const MIN = 60_000;
const WINDOW: MaintenanceRef = { id: 'mw_1', name: 'deploy' };

function to(target: string, timing: Partial<TargetRoute> = {}): TargetRoute {
  return { target, events: null, repeatEveryMs: null, escalateAfterMs: null, ...timing };
}

describe('timed pages runner (ingest, SQLite, fake clock)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let ingestor: Ingestor;
  let monitors: Map<string, Monitor>;
  let routing: RoutingSnapshot;
  let flapping: Set<string>;
  let maintenance: MaintenanceRef | null;
  let runners: TimedPagesRunner[];
  let openedAt: number;
  let ids: number;

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    monitors = new Map();
    flapping = new Set();
    maintenance = null;
    runners = [];
    ids = 0;
    const now = clock.now();
    for (const name of ['ops', 'manager']) {
      await store.insertAlertTarget({
        id: `tgt_${name}`,
        name,
        type: 'webhook',
        settings: { url: `http://127.0.0.1:9/${name}` },
        template: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    routing = {
      rules: [],
      targets: new Map((await store.listAlertTargets()).map((t) => [t.name, t])),
    };
    ingestor = createIngestor({
      store,
      clock,
      logger: silentLogger(),
      lookupMonitor: (id) => monitors.get(id),
      flushIntervalMs: 200,
    });
    await ingestor.load();
  });
  afterEach(async () => {
    for (const runner of runners) runner.stop();
    await ingestor.stop();
    await cleanup();
  });

  async function addMonitor(overrides: Partial<Monitor>): Promise<Monitor> {
    const monitor = makeMonitor('mon_1', { group: 'web', tags: ['prod'], ...overrides });
    monitors.set(monitor.id, monitor);
    await store.insertMonitor(monitor);
    return monitor;
  }

  /** Opens an incident confirmed now (the first page went out with it). */
  async function openIncident(overrides: Partial<Incident> = {}): Promise<Incident> {
    openedAt = clock.now();
    const incident: Incident = {
      ...makeIncident('inc_1', 'mon_1', openedAt - MIN),
      openedAt,
      ...overrides,
    };
    ingestor.decide({ states: [], incidentsOpened: [incident] });
    await ingestor.flush();
    return incident;
  }

  function startRunner(inMaintenance?: InMaintenance): TimedPagesRunner {
    const runner = createTimedPagesRunner({
      store,
      clock,
      logger: silentLogger(),
      monitors: () => monitors,
      routing: () => routing,
      flapping: (id) => flapping.has(id),
      decide: (decision) => ingestor.decide(decision),
      newId: () => `dlv_${++ids}`,
      ...(inMaintenance === undefined ? {} : { inMaintenance }),
    });
    runners.push(runner);
    runner.start();
    return runner;
  }

  /** Moves the clock to `ms` after the incident opened, letting the runner tick on its timer. */
  async function at(ms: number, runner: TimedPagesRunner): Promise<void> {
    await clock.advance(openedAt + ms - clock.now());
    // Its own timer ticked meanwhile; one more look makes the outcome independent of how
    // many of those ticks the SQLite reads let finish inside the fake clock's advance.
    await runner.tick();
    await ingestor.flush();
  }

  async function pages(): Promise<AlertDelivery[]> {
    const all = await store.listAlertDeliveries({ incidentId: 'inc_1' });
    return all.sort(
      (a, b) => a.createdAt - b.createdAt || a.deliveryKey.localeCompare(b.deliveryKey),
    );
  }

  const summary = (list: AlertDelivery[]) => list.map((d) => `${d.target}:${d.reason}`);

  it('re-pages at the interval while open and unacknowledged, once per interval', async () => {
    await addMonitor({ alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
    await openIncident();
    const runner = startRunner();
    await at(9 * MIN, runner);
    assert.deepEqual(await pages(), []);
    await at(10 * MIN, runner);
    const first = await pages();
    assert.deepEqual(summary(first), ['ops:repeat-unacknowledged']);
    assert.equal(first[0]?.status, 'pending');
    assert.equal(first[0]?.channel, 'webhook');
    assert.match(
      first[0]?.event.message ?? '',
      /^Still down after .*reminder 1 \(connection refused\)/,
    );
    await at(19 * MIN, runner);
    assert.equal((await pages()).length, 1, 'ticks every 5 s store the reminder once');
    await at(20 * MIN, runner);
    await at(30 * MIN, runner);
    const all = await pages();
    assert.equal(all.length, 3);
    assert.equal(new Set(all.map((d) => d.deliveryKey)).size, 3);
    assert.equal(new Set(all.map((d) => d.event.idempotencyKey)).size, 3);
  });

  it('stops after an acknowledgement', async () => {
    await addMonitor({ alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
    await openIncident();
    const runner = startRunner();
    await at(10 * MIN, runner);
    await store.acknowledgeIncident('inc_1', { at: clock.now(), by: 'root', note: null });
    await at(60 * MIN, runner);
    assert.deepEqual(summary(await pages()), ['ops:repeat-unacknowledged']);
  });

  it('stops after the incident is resolved', async () => {
    await addMonitor({ alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
    await openIncident();
    const runner = startRunner();
    await at(10 * MIN, runner);
    ingestor.decide({
      states: [],
      incidentsResolved: [
        { id: 'inc_1', endedAt: clock.now(), resolvedAt: clock.now(), durationMs: 11 * MIN },
      ],
    });
    await ingestor.flush();
    await at(60 * MIN, runner);
    assert.equal((await pages()).length, 1);
  });

  it('an escalation step pages once after its delay, only while unacknowledged', async () => {
    await addMonitor({
      alerts: [to('ops'), to('manager', { escalateAfterMs: 15 * MIN })],
    });
    await openIncident();
    const runner = startRunner();
    await at(14 * MIN, runner);
    assert.deepEqual(await pages(), [], 'the plain route gets no reminders, the step waits');
    await at(15 * MIN, runner);
    await at(45 * MIN, runner);
    const stored = await pages();
    assert.deepEqual(summary(stored), ['manager:escalation-unacknowledged']);
    assert.match(stored[0]?.event.message ?? '', /^Escalated: down for 16m/);
  });

  it('a cause group gets one reminder per route for all its members; a linked child none', async () => {
    for (const id of ['mon_1', 'mon_2', 'mon_3']) {
      const monitor = makeMonitor(id, { alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
      monitors.set(id, monitor);
      await store.insertMonitor(monitor);
    }
    openedAt = clock.now();
    const group = {
      id: 'grp_1',
      cause: { kind: 'host' as const, value: '127.0.0.1' },
      verdict: 'down' as const,
      regions: [],
      state: 'paged' as const,
      openedAt,
      decideBy: openedAt,
      pagedAt: openedAt,
      lastJoinAt: openedAt,
      closedAt: null,
      pagedRoutes: ['ops'],
    };
    const member = (id: string, monitorId: string): Incident => ({
      ...makeIncident(id, monitorId, openedAt - MIN),
      openedAt,
      groupId: 'grp_1',
    });
    const child: Incident = {
      ...makeIncident('inc_3', 'mon_3', openedAt - MIN),
      openedAt,
      causedBy: { incidentId: 'inc_1', monitorId: 'mon_1', monitorName: 'Monitor mon_1' },
    };
    ingestor.decide({
      states: [],
      incidentsOpened: [member('inc_1', 'mon_1'), member('inc_2', 'mon_2'), child],
      grouping: { groups: [group], joined: [], released: [], alerts: [], followUps: [] },
    });
    await ingestor.flush();
    const runner = startRunner();
    await at(10 * MIN, runner);
    await at(20 * MIN, runner);
    const groupPages = await store.listAlertDeliveries({ incidentId: 'grp_1' });
    assert.deepEqual(summary(groupPages).sort(), [
      'ops:repeat-unacknowledged',
      'ops:repeat-unacknowledged',
    ]);
    assert.match(groupPages[0]?.event.message ?? '', /^Still 2 monitors down on 127\.0\.0\.1/);
    for (const id of ['inc_1', 'inc_2', 'inc_3'])
      assert.deepEqual(await store.listAlertDeliveries({ incidentId: id }), [], id);
    // Someone on any member is on the shared outage: the reminders stop.
    await store.acknowledgeIncident('inc_2', { at: clock.now(), by: 'root', note: null });
    await at(40 * MIN, runner);
    assert.equal((await store.listAlertDeliveries({ incidentId: 'grp_1' })).length, 2);
    // A group that dissolved: its members paged on their own and are reminded on their own.
    ingestor.decide({
      states: [],
      grouping: {
        groups: [{ ...group, state: 'dissolved', closedAt: clock.now() }],
        joined: [],
        released: [],
        alerts: [],
        followUps: [],
      },
    });
    await ingestor.flush();
    await at(50 * MIN, runner);
    // The reminder due when it dissolved (40 min) and the next (50 min).
    assert.deepEqual(summary(await store.listAlertDeliveries({ incidentId: 'inc_1' })), [
      'ops:repeat-unacknowledged',
      'ops:repeat-unacknowledged',
    ]);
    assert.deepEqual(await store.listAlertDeliveries({ incidentId: 'inc_2' }), [], 'acknowledged');
  });

  it('an escalation step from a group rule is not paged once acknowledged', async () => {
    await addMonitor({ alerts: [to('ops')] });
    const rule: AlertRule = {
      id: 'rule_1',
      scope: { kind: 'group', group: 'web' },
      createdAt: clock.now(),
      ...to('manager', { escalateAfterMs: 15 * MIN }),
    };
    routing = { ...routing, rules: [rule] };
    await openIncident();
    const runner = startRunner();
    await at(10 * MIN, runner);
    await store.acknowledgeIncident('inc_1', { at: clock.now(), by: 'root', note: 'on it' });
    await at(30 * MIN, runner);
    assert.deepEqual(await pages(), []);
  });

  it('a restarted runner pages nothing twice and sends only the latest missed reminder', async () => {
    await addMonitor({ alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
    await openIncident();
    const first = startRunner();
    await at(10 * MIN, first);
    first.stop();
    // A restart at the same moment finds the same page due: the delivery key absorbs it.
    const second = startRunner();
    await at(10 * MIN, second);
    assert.equal((await pages()).length, 1);
    second.stop();
    // Down for 35 minutes, back: one "still down" page, not the three it missed.
    await clock.advance(35 * MIN);
    const third = startRunner();
    await at(46 * MIN, third);
    assert.deepEqual(
      (await pages()).map((d) => d.deliveryKey.split(':').at(-2)),
      ['repeat-1', 'repeat-4'],
    );
  });

  it('paused and flapping monitors get no reminders', async () => {
    const monitor = await addMonitor({ alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
    await openIncident();
    flapping.add('mon_1');
    const runner = startRunner();
    await at(10 * MIN, runner);
    flapping.clear();
    monitors.set('mon_1', { ...monitor, paused: true });
    await at(20 * MIN, runner);
    assert.deepEqual(await pages(), []);
  });

  it('an incident opened in a maintenance window gets no reminders or escalations', async () => {
    await addMonitor({
      alerts: [
        to('ops', { repeatEveryMs: 10 * MIN }),
        to('manager', { escalateAfterMs: 15 * MIN }),
      ],
    });
    await openIncident({ maintenance: WINDOW });
    const runner = startRunner();
    await at(60 * MIN, runner);
    assert.deepEqual(await pages(), []);
  });

  it('nothing pages while a window covers the monitor; reminders resume after it', async () => {
    await addMonitor({ alerts: [to('ops', { repeatEveryMs: 10 * MIN })] });
    await openIncident();
    const subjects: unknown[] = [];
    const runner = startRunner((subject) => {
      subjects.push(subject);
      return maintenance;
    });
    maintenance = WINDOW;
    await at(25 * MIN, runner);
    assert.deepEqual(await pages(), []);
    assert.deepEqual(subjects[0], { kind: 'monitor', id: 'mon_1', group: 'web', tags: ['prod'] });
    maintenance = null;
    await at(26 * MIN, runner);
    const after = await pages();
    assert.deepEqual(summary(after), ['ops:repeat-unacknowledged'], 'one "still down" page');
    assert.match(after[0]?.deliveryKey ?? '', /:repeat-2:ops$/);
    await at(31 * MIN, runner);
    assert.equal((await pages()).length, 2, 'then on the interval again');
  });
});
