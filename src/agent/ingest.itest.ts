import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CheckStatus, RecordedResult } from '../domain/check-result.ts';
import { isMonitorAlert } from '../domain/alert.ts';
import type { Monitor } from '../domain/monitor.ts';
import { newId } from '../lib/ids.ts';
import { silentLogger } from '../observability/logger.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { createIngestor } from './ingest.ts';
import type { Ingestor } from './ingest.ts';

function monitor(overrides: Partial<Monitor> = {}): Monitor {
  return {
    id: 'mon_ingest',
    name: 'Ingest target',
    type: 'tcp',
    target: '127.0.0.1:1',
    intervalMs: 10_000,
    timeoutMs: 1_000,
    group: null,
    tags: [],
    options: {},
    failureThreshold: 2,
    recoveryThreshold: 2,
    degradedIsDown: false,
    paused: false,
    alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:1/hook' } }],
    nodes: { regions: [], labels: {} },
    alertCooldownMs: 300_000,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

describe('ingest pipeline over real SQLite', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let current: Monitor;
  let seq = 0;

  function ingestor(target: Store = store): Ingestor {
    return createIngestor({
      store: target,
      clock,
      logger: silentLogger(),
      lookupMonitor: (id) => (id === current.id ? current : undefined),
      newId: (prefix) => newId(prefix),
      flushIntervalMs: 200,
    });
  }

  function result(status: CheckStatus): RecordedResult {
    seq++;
    return {
      id: `res-${seq}`,
      monitorId: current.id,
      nodeId: 'node_test',
      checkedAt: clock.now(),
      status,
      latencyMs: 3,
      timings: {},
      message: status === 'down' ? 'connection refused' : 'connected',
      details: {},
      ...(status === 'down' ? { errorKind: 'refused' as const } : {}),
    };
  }

  async function feed(ingest: Ingestor, statuses: CheckStatus[]): Promise<void> {
    for (const status of statuses) {
      ingest.submit(result(status));
      await clock.advance(10_000);
    }
    await ingest.flush();
  }

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    current = monitor();
    await store.insertMonitor(current);
  });
  afterEach(() => cleanup());

  it('stores results, opens then resolves one incident, and queues one delivery per transition', async () => {
    const ingest = ingestor();
    await ingest.load();
    await feed(ingest, ['up', 'down', 'down', 'down']);
    const [open] = await store.listIncidents({ active: true });
    assert.ok(open);
    assert.equal(open.cause, 'connection refused');
    assert.equal(ingest.state(current.id).status, 'down');

    await feed(ingest, ['up', 'up']);
    const [resolved] = await store.listIncidents({});
    assert.equal(resolved?.status, 'resolved');
    assert.equal(resolved?.durationMs, 30_000);

    const deliveries = await store.listAlertDeliveries({ monitorId: current.id });
    assert.deepEqual(deliveries.map((d) => d.event.kind).sort(), ['down', 'recovered']);
    assert.ok(deliveries.every((d) => d.status === 'pending' && d.deliveryKey.endsWith(':0')));
    const recovered = deliveries.find((d) => d.event.kind === 'recovered');
    assert.ok(recovered && isMonitorAlert(recovered.event));
    assert.equal(recovered.event.incident.cause, 'connection refused');
    assert.equal((await store.listResults({ monitorId: current.id })).length, 6);
  });

  it('after a restart it continues the open incident instead of opening another', async () => {
    const first = ingestor();
    await first.load();
    await feed(first, ['down', 'down']);
    await first.stop();

    const second = ingestor();
    await second.load();
    assert.equal(second.state(current.id).status, 'down');
    await feed(second, ['down', 'down', 'up', 'up']);
    const incidents = await store.listIncidents({});
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]?.status, 'resolved');
  });

  it('drops results of paused and unknown monitors', async () => {
    const ingest = ingestor();
    await ingest.load();
    current = { ...current, paused: true };
    await feed(ingest, ['down', 'down', 'down']);
    assert.equal((await store.listResults({})).length, 0);
    assert.equal(ingest.stats().dropped, 3);
  });

  it('keeps a batch the store refused and writes it on the next flush', async () => {
    let failNext = true;
    let calls = 0;
    // Fault injection around the real store: only the first commit fails.
    const commitOnce: Store['commitBatch'] = async (batch) => {
      calls++;
      if (failNext) {
        failNext = false;
        throw new Error('disk full (injected)');
      }
      return store.commitBatch(batch);
    };
    const flaky = new Proxy(store, {
      get(target, property) {
        if (property === 'commitBatch') return commitOnce;
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function'
          ? (value as (...args: unknown[]) => unknown).bind(target)
          : value;
      },
    });
    const ingest = ingestor(flaky);
    await ingest.load();
    ingest.submit(result('down'));
    await ingest.flush();
    assert.equal(calls, 1);
    assert.equal((await store.listResults({})).length, 0, 'the first write failed');
    // The retry timer writes the kept batch together with newer results.
    await clock.advance(10_000);
    await feed(ingest, ['down']);
    assert.ok(calls >= 2);
    assert.equal((await store.listResults({})).length, 2, 'nothing lost, nothing twice');
    assert.equal((await store.listIncidents({})).length, 1);
    assert.equal((await store.listAlertDeliveries({})).length, 1);
  });
});
