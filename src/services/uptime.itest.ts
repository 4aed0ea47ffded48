import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIngestor } from '../cluster/coordinator/ingest.ts';
import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { CheckStatus } from '../domain/check-result.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { ClusterNode } from '../domain/node.ts';
import { silentLogger } from '../observability/logger.ts';
import { makeRound, makeVote } from '../store/contract/consensus-fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { createMonitorChangeBus } from './events.ts';
import { createMonitorService } from './monitors/monitor-service.ts';
import type { MonitorService } from './monitors/monitor-service.ts';
import type { QueryService } from './status-service.ts';
import { createQueryService } from './status-service.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function clusterNode(id: string, name: string, region: string, now: number): ClusterNode {
  return {
    id,
    name,
    role: 'agent',
    region,
    labels: {},
    version: 'test',
    certSerial: `serial-${id}`,
    certNotAfter: now + 86_400_000,
    enrolledAt: now,
    lastSeen: now,
    state: 'online',
    stateSince: now,
    clockOffsetMs: 0,
    checksPerSecond: 1,
    outboxBacklog: 0,
    remoteAddress: '127.0.0.1',
    removedAt: null,
    impairedSince: null,
  };
}

/**
 * Uptime means confirmed downtime, end to end over real SQLite: results go through the ingest
 * pipeline, decisions (rounds, incidents) through `decide`, pauses through the monitor service,
 * and figures come out of the query service that `status`, `history` and the API use.
 */
describe('uptime from confirmed downtime (ingest, monitor service, query service)', () => {
  const start = Date.UTC(2026, 0, 1);
  const clock = new FakeClock(start);
  let store: Store;
  let cleanup: () => Promise<void>;
  let monitors: MonitorService;
  let ingest: Ingestor;
  let queries: QueryService;
  let monitor: Monitor;
  let seq = 0;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    for (const [id, name, region] of [
      ['n-fra', 'fra-1', 'eu-west'],
      ['n-ams', 'ams-1', 'eu-west'],
      ['n-nyc', 'nyc-1', 'us-east'],
    ] as const) {
      await store.insertNode(clusterNode(id, name, region, start));
    }
    monitors = createMonitorService({
      store,
      clock,
      changes: createMonitorChangeBus(),
      newId: () => 'mon_api',
    });
    monitor = await monitors.create({ name: 'API', type: 'tcp', target: '127.0.0.1:1' });
    ingest = createIngestor({
      store,
      clock,
      logger: silentLogger(),
      lookupMonitor: (id) => (id === monitor.id ? monitor : undefined),
      flushIntervalMs: 1_000,
    });
    await ingest.load();
    queries = createQueryService({
      store,
      clock,
      states: (ids) => Promise.resolve(new Map(ids.map((id) => [id, ingest.state(id)]))),
    });
  });
  after(async () => {
    await ingest.stop();
    await cleanup();
  });

  function submit(nodeId: string, status: CheckStatus, at: number): void {
    ingest.submit({
      id: `res-${++seq}`,
      monitorId: monitor.id,
      nodeId,
      checkedAt: at,
      status,
      latencyMs: 10,
      timings: {},
      message: status === 'down' ? 'connection refused' : 'connected',
      details: {},
      ...(status === 'down' ? { errorKind: 'refused' as const } : {}),
    });
  }

  function incident(id: string, startedAt: number, endedAt: number, regions: string[]): Incident {
    return {
      id,
      monitorId: monitor.id,
      status: 'resolved',
      startedAt,
      openedAt: startedAt + MINUTE,
      endedAt,
      resolvedAt: endedAt + MINUTE,
      durationMs: endedAt - startedAt,
      errorKind: 'refused',
      cause: 'connection refused',
      verdict: regions.length > 0 ? 'regional' : 'down',
      regions,
      retractedAt: null,
      retraction: null,
      acknowledgement: null,
      maintenance: null,
      causedBy: null,
      groupId: null,
    };
  }

  async function status() {
    const [row] = await queries.status();
    assert.ok(row);
    return row;
  }

  it("keeps 24h uptime at 100 % when one node fails alone, and names that node's failures", async () => {
    await clock.advance(HOUR);
    for (let i = 10; i > 0; i--) {
      const at = clock.now() - i * MINUTE;
      submit('n-ams', 'up', at);
      submit('n-nyc', 'up', at);
      submit('n-fra', 'down', at + 1);
    }
    const local = [1, 2, 3].map((i) =>
      makeRound(`r-local-${i}`, monitor.id, clock.now() - i * MINUTE, {
        votes: [makeVote('n-fra', 'fail'), makeVote('n-ams', 'ok'), makeVote('n-nyc', 'ok')],
      }),
    );
    ingest.decide({
      states: [{ monitorId: monitor.id, patch: { verdict: 'local', failingNodes: ['n-fra'] } }],
      rounds: local,
    });
    await ingest.flush();

    // The count-based figure this replaces: a third of all results failed.
    const [counts] = (await store.resultCounts([monitor.id], [24 * HOUR], clock.now())).get(
      monitor.id,
    ) ?? [{ total: 0, failures: 0 }];
    assert.deepEqual(counts, { total: 30, failures: 10 });

    const row = await status();
    assert.equal(row.status, 'up');
    assert.deepEqual(row.uptime, { '24h': 1, '7d': 1, '30d': 1, '90d': 1 });
    assert.deepEqual(row.lastNode, { id: 'n-fra', name: 'fra-1', region: 'eu-west' });
    assert.equal(row.lastResult, 'failed');
    const fra = row.nodes.find((n) => n.nodeId === 'n-fra');
    assert.deepEqual(
      [fra?.checks, fra?.failures, fra?.passing, fra?.localFailures],
      [10, 10, 0, 3],
    );
    assert.equal(row.nodes.find((n) => n.nodeId === 'n-nyc')?.passing, 1);
  });

  it('lowers uptime by exactly a confirmed incident: 1 − length ÷ observed', async () => {
    const at = clock.now();
    ingest.decide({
      states: [],
      incidentsOpened: [{ ...incident('inc-down', at, 0, []), status: 'open', endedAt: null }],
    });
    await clock.advance(30 * MINUTE);
    ingest.decide({
      states: [],
      incidentsResolved: [
        {
          id: 'inc-down',
          endedAt: at + 30 * MINUTE,
          resolvedAt: clock.now(),
          durationMs: 30 * MINUTE,
        },
      ],
    });
    await ingest.flush();
    await clock.advance(30 * MINUTE);
    // Two hours observed since the monitor was created, thirty minutes of them down.
    const view = await queries.uptime(monitor.id, 24 * HOUR);
    assert.deepEqual([view.observedMs, view.downMs, view.uptime], [2 * HOUR, 30 * MINUTE, 0.75]);
    assert.equal((await status()).uptime['24h'], 0.75);
  });

  it("lowers only the named region's uptime for a regional incident", async () => {
    const at = clock.now();
    ingest.decide({
      states: [],
      incidentsOpened: [incident('inc-eu', at, at + 12 * MINUTE, ['eu-west'])],
    });
    await ingest.flush();
    await clock.advance(HOUR);
    const view = await queries.uptime(monitor.id, 24 * HOUR);
    assert.equal(view.uptime, 1 - 30 / 180);
    assert.deepEqual(
      view.regions.map((r) => [r.region, r.nodes, r.downMs, r.uptime]),
      [
        ['eu-west', 2, 42 * MINUTE, 1 - 42 / 180],
        ['us-east', 1, 30 * MINUTE, 1 - 30 / 180],
      ],
    );
    const row = await status();
    assert.deepEqual(
      row.regionUptime.map((r) => [r.region, r.uptime['24h']]),
      [['eu-west', 1 - 42 / 180]],
    );
  });

  it('leaves a paused hour out of the observed time', async () => {
    monitor = await monitors.pause(monitor.id);
    await clock.advance(HOUR);
    monitor = await monitors.resume(monitor.id);
    const view = await queries.uptime(monitor.id, 24 * HOUR);
    assert.deepEqual([view.observedMs, view.downMs], [3 * HOUR, 30 * MINUTE]);
    assert.equal(view.uptime, 1 - 30 / 180);
  });
});
