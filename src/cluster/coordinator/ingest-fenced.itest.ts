import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { isAppError } from '../../lib/errors.ts';
import type { Store } from '../../store/types.ts';
import { capturedLogger } from '../../../test/helpers/captured-logger.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createIngestor } from './ingest.ts';

// Issue #17: once this coordinator no longer leads, the store refuses its batches (FENCED).
// The ingestor says so once, drops the batch instead of retrying it, and hands agents' batches
// back unacknowledged (they stay in their outboxes for the new leader); nothing crashes.

const MONITOR: Monitor = {
  id: 'mon_fenced',
  name: 'Fenced target',
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
  alerts: [],
  regionalAlerts: [],
  consensus: DEFAULT_CONSENSUS,
  nodes: { regions: [], labels: {} },
  alertCooldownMs: 0,
  dependsOn: [],
  createdAt: 0,
  updatedAt: 0,
};

describe('ingest after the lease is lost', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let seq = 0;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertMonitor(MONITOR);
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await cleanup();
  });

  function result(at: number): RecordedResult {
    seq++;
    return {
      id: `res-${seq}`,
      monitorId: MONITOR.id,
      nodeId: 'node_agent',
      checkedAt: at,
      status: 'up',
      latencyMs: 3,
      timings: {},
      message: 'connected',
      details: {},
    };
  }

  it('refuses the batch once, logs it once at warn, does not retry, and leaves agents unacknowledged', async () => {
    const clock = new FakeClock();
    const { logger, lines } = capturedLogger();
    let leading = true;
    store.fenceLeaderWrites({ epoch: () => (leading ? 1 : null) });
    let commits = 0;
    const counted: Store = Object.create(store, {
      commitBatch: {
        value: (batch: Parameters<Store['commitBatch']>[0]) => {
          commits++;
          return store.commitBatch(batch);
        },
      },
    }) as Store;
    const ingest = createIngestor({
      store: counted,
      clock,
      logger,
      lookupMonitor: (id) => (id === MONITOR.id ? MONITOR : undefined),
      flushIntervalMs: 200,
    });
    await ingest.load();

    const first = ingest.submitAndWait([result(clock.now())]);
    await clock.advance(1_000);
    await first;
    assert.equal(commits, 1);

    leading = false;
    const agentBatch = assert.rejects(
      ingest.submitAndWait([result(clock.now()), result(clock.now())]),
      (error) => isAppError(error) && error.code === 'FENCED',
    );
    ingest.submit(result(clock.now()));
    await clock.advance(1_000);
    await agentBatch;
    assert.equal(commits, 2);

    // No retry of the refused batch, however long it waits.
    await clock.advance(60_000);
    assert.equal(commits, 2);
    // New work is tried (and refused) once more, but not reported again.
    ingest.submit(result(clock.now()));
    await clock.advance(1_000);
    assert.equal(commits, 3);

    const notLeader = lines.filter((l) => String(l['msg']).startsWith('not the leader any more'));
    assert.equal(notLeader.length, 1);
    assert.equal(notLeader[0]?.['level'], 40, 'warn, not error');
    assert.deepEqual(
      lines.filter((l) => Number(l['level']) >= 50),
      [],
      'nothing logged as an error',
    );
    assert.equal((await store.listResults({})).length, 1, 'only the write made while leading');
    assert.equal(ingest.stats().pending, 0, 'nothing held for a retry');
    await ingest.stop();
    assert.deepEqual(unhandled, []);
  });
});
