import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import { capturedLogger } from '../../test/helpers/captured-logger.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { systemClock } from '../lib/clock.ts';
import { batch, makeMonitor } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { createAlertDispatcher } from './dispatcher.ts';
import type { AlertDispatcherOptions } from './dispatcher.ts';
import { findChannel } from './registry.ts';
import { pendingDelivery } from './testing/memory-delivery-store.ts';

// Issue #17: the dispatcher asks the lease right before each send. A coordinator that lost it
// sends nothing and records nothing — the delivery stays due for the new leader — and a record
// the store refuses (FENCED) after a send is reported once, not retried.

async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  for (let waited = 0; waited <= timeoutMs; waited += 10) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('dispatcher: the lease check before each send', () => {
  let receiver: WebhookReceiver;
  let store: Store;
  let cleanup: () => Promise<void>;
  const now = Date.now();

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertMonitor(makeMonitor('mon-1'));
    const due = ['d1', 'd2', 'd3'].map((id) =>
      pendingDelivery(id, now, { settings: { url: receiver.url } }),
    );
    await store.commitBatch(batch({ alerts: due }));
  });
  afterEach(async () => {
    await cleanup();
    await receiver.close();
  });

  function dispatcher(extra: Partial<AlertDispatcherOptions>) {
    return createAlertDispatcher({
      store,
      clock: systemClock,
      logger: capturedLogger().logger,
      channels: findChannel,
      // One slot: whether a pass goes on after a "no" shows in how often the lease is asked.
      concurrency: 1,
      pollIntervalMs: 60_000,
      sendTimeoutMs: 2000,
      ...extra,
    });
  }

  it('sends nothing and leaves every delivery due while the lease is not held, then sends each once', async () => {
    let held = false;
    let checks = 0;
    const options = {
      beforeSend: () => {
        checks++;
        return Promise.resolve(held);
      },
    };
    const before = await store.listAlertDeliveries();
    const lost = dispatcher(options);
    lost.start();
    await waitFor(() => checks > 0, 'the lease check');
    await lost.stop();
    assert.equal(checks, 1, 'the pass ended at the first "no"');
    assert.equal(receiver.requests.length, 0, 'nothing reached the receiver');
    assert.deepEqual(await store.listAlertDeliveries(), before, 'every delivery due as it was');
    const attempts = await store.listAlertAttempts(['d1', 'd2', 'd3']);
    assert.deepEqual([...attempts.values()].flat(), [], 'no attempt recorded');

    held = true;
    const leader = dispatcher(options);
    leader.start();
    await waitFor(
      async () => (await store.listAlertDeliveries()).every((d) => d.status === 'sent'),
      'every delivery to be sent',
    );
    await leader.stop();
    assert.equal(receiver.requests.length, 3, 'each sent once');
  });

  it('reports a refused record (FENCED) once at warn and records nothing', async () => {
    const { logger, lines } = capturedLogger();
    store.fenceLeaderWrites({ epoch: () => null });
    const before = await store.listAlertDeliveries();
    const paused = createAlertDispatcher({
      store,
      clock: systemClock,
      logger,
      channels: findChannel,
      concurrency: 1,
      pollIntervalMs: 60_000,
      sendTimeoutMs: 2000,
      // The lease was still held at the check: the pause came between check and record.
      beforeSend: () => Promise.resolve(true),
    });
    paused.start();
    await waitFor(
      () => lines.some((l) => String(l['msg']).startsWith('not the leader any more')),
      'the refusal to be logged',
    );
    await paused.stop();
    assert.equal(receiver.requests.length, 1, 'one send, then the pass ended');
    assert.deepEqual(await store.listAlertDeliveries(), before);
    const refusals = lines.filter((l) => String(l['msg']).startsWith('not the leader any more'));
    assert.equal(refusals.length, 1);
    assert.equal(refusals[0]?.['level'], 40);
    assert.deepEqual(
      lines.filter((l) => Number(l['level']) >= 50),
      [],
    );
  });
});
