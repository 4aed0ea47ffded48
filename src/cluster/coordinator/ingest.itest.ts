import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { isAppError } from '../../lib/errors.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { capturedLogger } from '../../../test/helpers/captured-logger.ts';
import { fillingStore } from '../../../test/helpers/filling-store.ts';
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
    regionalAlerts: [],
    consensus: DEFAULT_CONSENSUS,
    nodes: { regions: [], labels: {} },
    alertCooldownMs: 300_000,
    dependsOn: [],
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
      ...(status === 'error'
        ? { errorKind: 'node' as const, message: 'too many open files on this node (EMFILE)' }
        : {}),
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

  it('results move a monitor between pending, up and degraded only; failures never mark it down', async () => {
    const ingest = ingestor();
    await ingest.load();
    assert.equal(ingest.state(current.id).status, 'pending');
    await feed(ingest, ['up']);
    assert.equal(ingest.state(current.id).status, 'up');
    await feed(ingest, ['degraded']);
    assert.equal(ingest.state(current.id).status, 'degraded');
    await feed(ingest, ['down', 'down', 'down']);
    const state = ingest.state(current.id);
    assert.equal(state.status, 'degraded', 'only a confirmation round can say down');
    assert.equal(state.consecutiveFailures, 3);
    assert.equal(state.lastResultStatus, 'down');
    assert.equal(state.lastErrorKind, 'refused');
    assert.equal((await store.listIncidents({})).length, 0);
    assert.equal((await store.listResults({ monitorId: current.id })).length, 5);
    const [stored] = await store.listStates();
    assert.equal(stored?.consecutiveFailures, 3);
  });

  it('a node error is stored but moves no status, streak or latest observation', async () => {
    const ingest = ingestor();
    await ingest.load();
    await feed(ingest, ['error']);
    assert.equal(ingest.state(current.id).status, 'pending', 'an error is no observation');
    await feed(ingest, ['down', 'error', 'error']);
    let state = ingest.state(current.id);
    assert.equal(state.status, 'pending');
    assert.equal(state.consecutiveFailures, 1, 'errors neither extend nor break a streak');
    assert.equal(state.lastResultStatus, 'down');
    assert.equal(state.lastMessage, 'connection refused');
    await feed(ingest, ['up', 'error']);
    state = ingest.state(current.id);
    assert.deepEqual(
      [state.status, state.consecutiveSuccesses, state.lastResultStatus],
      ['up', 1, 'up'],
    );
    const stored = await store.listResults({ monitorId: current.id });
    assert.equal(stored.filter((r) => r.status === 'error').length, 4, 'errors are kept as data');
    assert.equal(stored.find((r) => r.status === 'error')?.errorKind, 'node');
    assert.equal((await store.listIncidents({})).length, 0);
  });

  it('a decision is written at once with its round, incident, alert and state; a restart keeps it', async () => {
    const ingest = ingestor();
    await ingest.load();
    await feed(ingest, ['up']);
    const at = clock.now();
    const round = {
      id: 'rnd_1',
      monitorId: current.id,
      incidentId: 'inc_1',
      purpose: 'confirm' as const,
      triggeredBy: 'node_test',
      openedAt: at,
      deadlineAt: at + 3_000,
      decidedAt: at,
      verdict: 'down' as const,
      regions: [],
      votes: [
        {
          nodeId: 'node_test',
          nodeName: 'test',
          region: null,
          outcome: 'fail' as const,
          status: 'down' as const,
          latencyMs: 1,
          errorKind: 'refused' as const,
          message: 'connection refused',
          timings: {},
          checkedAt: at,
          answeredAt: at,
          late: false,
          setAside: null,
        },
      ],
    };
    ingest.decide({
      states: [
        {
          monitorId: current.id,
          patch: {
            status: 'down',
            openIncident: {
              id: 'inc_1',
              startedAt: at,
              verdict: 'down',
              regions: [],
              openedAt: at,
              confirmedBy: [],
              pages: {},
            },
            verdict: 'down',
            verdictAt: at,
          },
        },
      ],
      rounds: [round],
      incidentsOpened: [
        {
          id: 'inc_1',
          monitorId: current.id,
          status: 'open',
          startedAt: at,
          openedAt: at,
          endedAt: null,
          resolvedAt: null,
          durationMs: null,
          errorKind: 'refused',
          cause: 'connection refused',
          verdict: 'down',
          regions: [],
          retractedAt: null,
          retraction: null,
          acknowledgement: null,
          maintenance: null,
          causedBy: null,
          groupId: null,
        },
      ],
    });
    // No flush call: a decision schedules its own immediate write.
    await clock.advance(0);
    await ingest.flush();
    assert.equal((await store.listIncidents({ active: true })).length, 1);
    assert.equal((await store.listRounds({ incidentId: 'inc_1' }))[0]?.votes.length, 1);
    await ingest.stop();

    const again = ingestor();
    await again.load();
    assert.equal(again.state(current.id).status, 'down');
    assert.equal(again.state(current.id).openIncident?.id, 'inc_1');
    assert.equal(again.state(current.id).lastResultStatus, 'up', 'observation fields kept');
  });

  it('submitAndWait resolves only once the results are durable', async () => {
    const ingest = ingestor();
    await ingest.load();
    let stored = -1;
    const done = ingest.submitAndWait([result('up'), result('down')]).then(async () => {
      stored = (await store.listResults({ monitorId: current.id })).length;
    });
    await clock.advance(200);
    await done;
    assert.equal(stored, 2);
  });

  it('drops results checked after a pause and of unknown monitors, keeps those checked before', async () => {
    const ingest = ingestor();
    await ingest.load();
    const before = result('up');
    await clock.advance(1_000);
    current = { ...current, paused: true, updatedAt: clock.now() };
    // Checked before the pause, arriving after it (an agent's outbox): kept.
    const stored = ingest.submitAndWait([before]);
    await clock.advance(200);
    await stored;
    await feed(ingest, ['down', 'down', 'down']);
    ingest.submit({ ...result('up'), monitorId: 'mon_deleted' });
    await ingest.flush();
    assert.deepEqual(
      (await store.listResults({})).map((r) => r.id),
      [before.id],
    );
    assert.equal(ingest.stats().dropped, 4);
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
  });

  it("bounds the backlog while the store fails: agents' batches wait unacknowledged, own results are shed, all stored once it recovers", async () => {
    const disk = fillingStore(store);
    const { logger, lines } = capturedLogger();
    const ingest = createIngestor({
      store: disk.store,
      clock,
      logger,
      lookupMonitor: (id) => (id === current.id ? current : undefined),
      flushIntervalMs: 200,
      maxPendingResults: 100,
    });
    await ingest.load();
    const acked: number[] = [];
    const agentIds: string[] = [];
    for (let b = 0; b < 10; b++) {
      const batch = Array.from({ length: 30 }, () => result('up'));
      agentIds.push(...batch.map((r) => r.id));
      void ingest.submitAndWait(batch).then(() => acked.push(b));
    }
    // Ten minutes of the coordinator's own checks, a result a second, against a full disk.
    for (let s = 0; s < 600; s++) {
      ingest.submit(result('up'));
      await clock.advance(1_000);
      assert.ok(ingest.stats().pending <= 100, `pending ${ingest.stats().pending}`);
    }
    const stats = ingest.stats();
    assert.equal(stats.limit, 100);
    assert.equal(stats.waiting, 7 * 30, 'three batches fit; seven wait in the agent outbox');
    assert.ok(stats.shed > 500, `shed ${stats.shed}`);
    assert.deepEqual(acked, [], 'nothing acknowledged before it is stored');
    const full = lines.filter((l) => String(l['msg']).startsWith('result backlog full'));
    assert.ok(full.length >= 10 && full.length <= 11, `${full.length} lines`);
    assert.ok(Number(full.at(-1)?.['suppressedRepeats']) > 0);

    disk.full.now = false;
    await clock.advance(5_000);
    assert.deepEqual(acked, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'acknowledged in order');
    const storedIds = (await store.listResults({ limit: 10_000 })).map((r) => r.id);
    assert.equal(new Set(storedIds).size, storedIds.length, 'nothing stored twice');
    const storedSet = new Set(storedIds);
    assert.ok(
      agentIds.every((id) => storedSet.has(id)),
      'every agent result is stored',
    );
    assert.equal(ingest.stats().waiting, 0);
    await ingest.stop();
  });

  it(
    "refuses agents' waiting batches at shutdown, so they stay in the agents' outboxes",
    { timeout: 20_000 },
    async () => {
      const disk = fillingStore(store);
      const ingest = createIngestor({
        store: disk.store,
        clock,
        logger: silentLogger(),
        lookupMonitor: (id) => (id === current.id ? current : undefined),
        flushIntervalMs: 200,
        maxPendingResults: 10,
      });
      await ingest.load();
      void ingest.submitAndWait(Array.from({ length: 10 }, () => result('up')));
      const refused = ingest.submitAndWait([result('up')]);
      await clock.advance(1_000);
      await ingest.stop();
      await assert.rejects(refused, (error) => isAppError(error) && error.code === 'UNAVAILABLE');
    },
  );
});
