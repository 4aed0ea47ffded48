import { silentLogger } from '../../observability/logger.ts';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RoutingSnapshot } from '../../alerts/routing.ts';
import type { AlertTarget, RoutedEvent } from '../../domain/alert-target.ts';
import type { CheckStatus } from '../../domain/check-result.ts';
import type { MaintenanceRef } from '../../domain/maintenance.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { newId } from '../../lib/ids.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { createAlertDispatcher } from '../../alerts/dispatcher.ts';
import { findChannel } from '../../alerts/registry.ts';
import { systemClock } from '../../lib/clock.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { startWebhookReceiver } from '../../../test/helpers/webhook-receiver.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { ConsensusRunner } from './consensus-runner.ts';
import { createConsensusRunner } from './consensus-runner.ts';
import type { Ingestor } from './ingest.ts';
import { startTestIngestor, testRunnerDeps, voteEvidence } from './testing/runner-fixture.ts';

// Degraded episodes through the runner, the real ingest pipeline and real SQLite on a fake
// clock: three nodes see a monitor slow. A route naming the degraded events hears the start
// once and the end once; a route without them hears nothing; a restart in between resends
// nothing; an incident opening ends the episode without a page of its own.

const NODES = ['coord', 'a1', 'a2'].map((id) => ({ id, name: id, region: 'us', labels: {} }));
const INTERVAL = 1_000;

function target(name: string): AlertTarget {
  return {
    id: `tgt_${name}`,
    name,
    type: 'webhook',
    settings: { url: 'http://127.0.0.1:9/hook' },
    template: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

function route(name: string, events: RoutedEvent[] | null) {
  return { target: name, events, repeatEveryMs: null, escalateAfterMs: null };
}

const ROUTING: RoutingSnapshot = {
  rules: [],
  targets: new Map([
    ['pager', target('pager')],
    ['chat', target('chat')],
  ]),
};

describe('degraded episodes through the runner (ingest, SQLite, restart)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let ingestor: Ingestor;
  let runner: ConsensusRunner;
  let monitors: Map<string, Monitor>;
  let requests: { nodeId: string; roundId: string; monitorId: string }[];
  let maintenance: MaintenanceRef | null;

  async function startCoordinator(): Promise<void> {
    ingestor = await startTestIngestor({
      store,
      clock,
      monitors,
      onAccepted: (result) => runner.observeResult(result),
    });
    runner = createConsensusRunner(
      testRunnerDeps({
        clock,
        monitors: () => monitors,
        nodes: () => NODES,
        ingestor,
        requestVote: (nodeId, request) => requests.push({ nodeId, ...request }),
        routing: () => ROUTING,
        inMaintenance: () => maintenance,
        settleMs: 0,
      }),
    );
    runner.start();
  }

  async function stopCoordinator(): Promise<void> {
    runner.stop();
    await ingestor.stop();
  }

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    requests = [];
    maintenance = null;
    monitors = new Map();
    const opted = makeMonitor('mon_opt', {
      intervalMs: INTERVAL,
      timeoutMs: INTERVAL,
      alerts: [route('pager', ['down', 'recovered', 'degraded', 'degraded-ended'])],
    });
    const plain = makeMonitor('mon_plain', {
      intervalMs: INTERVAL,
      timeoutMs: INTERVAL,
      alerts: [route('chat', null)],
    });
    for (const monitor of [opted, plain]) {
      monitors.set(monitor.id, monitor);
      await store.insertMonitor(monitor);
    }
    await startCoordinator();
  });
  afterEach(async () => {
    await stopCoordinator();
    await cleanup();
  });

  /** Every node checks every monitor once, with this status, then a second passes. */
  async function cycle(status: CheckStatus, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      for (const node of NODES) {
        for (const monitorId of monitors.keys()) {
          ingestor.submit({
            id: newId('res'),
            monitorId,
            nodeId: node.id,
            checkedAt: clock.now(),
            status,
            latencyMs: status === 'degraded' ? 900 : 40,
            timings: {},
            message: status === 'degraded' ? 'slower than 500 ms' : 'HTTP 200',
            details: {},
            ...(status === 'down' ? { errorKind: 'refused' as const } : {}),
          });
        }
      }
      await clock.advance(INTERVAL);
    }
    await ingestor.flush();
  }

  async function kinds(monitorId: string): Promise<string[]> {
    const deliveries = await store.listAlertDeliveries({ monitorId });
    return deliveries
      .sort((a, b) => a.createdAt - b.createdAt || a.event.kind.localeCompare(b.event.kind))
      .map((d) => `${d.event.kind}:${d.status}:${d.reason ?? ''}`);
  }

  it('pages the start and the end once each, only on a route naming them', async () => {
    await cycle('degraded');
    assert.deepEqual(await kinds('mon_opt'), [], 'one slow round pages nobody');
    await cycle('degraded', 4);
    assert.deepEqual(await kinds('mon_opt'), ['degraded:pending:degraded-episode']);
    const episode = ingestor.state('mon_opt').degradedEpisode;
    assert.ok(episode !== null);
    await cycle('up', 3);
    assert.deepEqual(await kinds('mon_opt'), [
      'degraded:pending:degraded-episode',
      'degraded-ended:pending:episode-ended',
    ]);
    const deliveries = await store.listAlertDeliveries({ monitorId: 'mon_opt' });
    assert.deepEqual(
      deliveries.map((d) => d.event.idempotencyKey).sort(),
      [`mon_opt:${episode.id}:degraded`, `mon_opt:${episode.id}:degraded-ended`],
      'both keyed by the episode',
    );
    assert.match(
      deliveries.find((d) => d.event.kind === 'degraded')?.event.message ?? '',
      /^Degraded: 2 of 2 nodes see it degraded \(us 2\/2\); still up$/,
    );
    const start = deliveries.find((d) => d.event.kind === 'degraded');
    const end = deliveries.find((d) => d.event.kind === 'degraded-ended');
    assert.equal(end?.followsId, start?.id, 'the end follows the start on its route');
    assert.deepEqual(episode.openings, { pager: start?.id });
    assert.equal(ingestor.state('mon_opt').degradedEpisode, null);
    assert.deepEqual(await kinds('mon_plain'), [], 'a route without the events hears nothing');
  });

  it('the end goes where the start went, unless that route now leaves it out', async () => {
    await cycle('degraded', 3);
    const opted = monitors.get('mon_opt');
    assert.ok(opted !== undefined);
    // The route is removed mid-episode: the provider still hears the end of what it was told.
    monitors.set('mon_opt', { ...opted, alerts: [] });
    await cycle('up', 3);
    assert.deepEqual(await kinds('mon_opt'), [
      'degraded:pending:degraded-episode',
      'degraded-ended:pending:episode-ended',
    ]);
    // Next episode: the route now names `degraded` only, so its end is not wanted there.
    monitors.set('mon_opt', opted);
    await cycle('degraded', 3);
    monitors.set('mon_opt', { ...opted, alerts: [route('pager', ['degraded'])] });
    await cycle('up', 3);
    const ends = (await kinds('mon_opt')).filter((k) => k.startsWith('degraded-ended'));
    assert.equal(ends.length, 1);
  });

  it('a restart in the middle of an episode resends nothing and still ends it', async () => {
    await cycle('degraded', 3);
    assert.deepEqual(await kinds('mon_opt'), ['degraded:pending:degraded-episode']);
    const before = ingestor.state('mon_opt').degradedEpisode;
    await stopCoordinator();
    await startCoordinator();
    assert.deepEqual(ingestor.state('mon_opt').degradedEpisode, before, 'the episode was stored');
    await cycle('degraded', 4);
    assert.deepEqual(await kinds('mon_opt'), ['degraded:pending:degraded-episode']);
    await cycle('up', 3);
    assert.deepEqual(await kinds('mon_opt'), [
      'degraded:pending:degraded-episode',
      'degraded-ended:pending:episode-ended',
    ]);
  });

  it('an incident opening ends the episode in the same write, recorded and not paged', async () => {
    await cycle('degraded', 3);
    runner.signal('a1', {
      monitorId: 'mon_opt',
      kind: 'suspect',
      since: clock.now() - 2_000,
      evidence: voteEvidence(true, clock.now()),
      canariesFailing: false,
    });
    for (const request of requests.filter((q) => q.monitorId === 'mon_opt')) {
      runner.vote(request.nodeId, request.roundId, request.monitorId, {
        outcome: 'fail',
        evidence: voteEvidence(true, clock.now()),
        canariesFailing: false,
      });
    }
    await clock.advance(0);
    await ingestor.flush();
    assert.equal((await store.listIncidents({ active: true })).length, 1);
    assert.deepEqual((await kinds('mon_opt')).sort(), [
      'degraded-ended:suppressed:incident-opened',
      'degraded:pending:degraded-episode',
      'down:pending:new-incident',
    ]);
    const stored = (await store.listStates()).find((s) => s.monitorId === 'mon_opt');
    assert.equal(stored?.degradedEpisode, null, 'stored together with the incident');
  });

  it('the real dispatcher sends the start, then the end, once each to the webhook', async () => {
    const receiver = await startWebhookReceiver();
    const pager = { ...target('pager'), settings: { url: receiver.url } };
    // The dispatcher runs on the real clock: the fake one is in the past, so all is due.
    const dispatcher = createAlertDispatcher({
      store,
      clock: systemClock,
      logger: silentLogger(),
      channels: findChannel,
      pollIntervalMs: 60_000,
      targets: (name) => (name === 'pager' ? pager : undefined),
    });
    try {
      await cycle('degraded', 3);
      await cycle('up', 3);
      dispatcher.start();
      const requests = await receiver.waitForRequests(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      dispatcher.kick();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(receiver.requests.length, 2, 'nothing sent twice');
      assert.deepEqual(
        requests.map((r) => r.headers['x-crosscheck-event']),
        ['degraded', 'degraded-ended'],
        'the end after its start',
      );
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  });

  it('inside a maintenance window the start and its end are recorded suppressed', async () => {
    maintenance = { id: 'mw_1', name: 'upgrade' };
    await cycle('degraded', 3);
    maintenance = null;
    await cycle('up', 3);
    assert.deepEqual(await kinds('mon_opt'), [
      'degraded:suppressed:maintenance',
      'degraded-ended:suppressed:opening-suppressed',
    ]);
  });
});
