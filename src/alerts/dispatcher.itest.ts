import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import { systemClock } from '../lib/clock.ts';
import type { AlertAttempt } from '../domain/alert.ts';
import type { AlertDeliveryUpdate } from '../store/types.ts';
import { createAlertDispatcher, type AlertDispatcher } from './dispatcher.ts';
import { findChannel } from './registry.ts';
import { MemoryDeliveryStore, pendingDelivery } from './testing/memory-delivery-store.ts';

const SECRET = 'dispatcher-itest-secret';

/** Polls `check` every 10 ms until it holds; fails after `timeoutMs`. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; waited <= timeoutMs; waited += 10) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Fails the next `count` updates, as a crash between the send and its record would lose them. */
class LossyStore extends MemoryDeliveryStore {
  dropUpdates = 0;
  override updateAlertDelivery(
    id: string,
    update: AlertDeliveryUpdate,
    attempt: AlertAttempt,
  ): Promise<void> {
    if (this.dropUpdates > 0) {
      this.dropUpdates--;
      return Promise.reject(new Error('store unavailable'));
    }
    return super.updateAlertDelivery(id, update, attempt);
  }
}

describe('dispatcher with the real webhook channel', () => {
  let receiver: WebhookReceiver;
  let store: LossyStore;
  let dispatcher: AlertDispatcher;

  before(async () => {
    receiver = await startWebhookReceiver();
    store = new LossyStore();
    dispatcher = createAlertDispatcher({
      store,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      channels: findChannel,
      pollIntervalMs: 60_000,
      sendTimeoutMs: 2000,
      // Short real delays (10–20 ms) keep this test fast; the schedule itself is unit-tested.
      retry: { baseMs: 20, mode: 'equal', jitter: () => 0, maxAttempts: 3 },
    });
    dispatcher.start();
  });
  after(async () => {
    await dispatcher.stop();
    await receiver.close();
  });

  it('retries a 500 and delivers once, both tries with the same idempotency key', async () => {
    const first = receiver.requests.length;
    receiver.failNext(1, 500);
    store.add(
      pendingDelivery('retry-500', Date.now(), { settings: { url: receiver.url, secret: SECRET } }),
    );
    dispatcher.kick();
    await waitFor(() => store.get('retry-500')?.status === 'sent', 'the delivery to be sent');
    const requests = receiver.requests.slice(first);
    assert.equal(requests.length, 2);
    assert.deepEqual(
      requests.map((r) => r.headers['x-crosscheck-idempotency-key']),
      ['mon-1:inc-1:down', 'mon-1:inc-1:down'],
    );
    assert.ok(requests.every((r) => receiver.verifySignature(r, SECRET)));
    const row = store.get('retry-500');
    assert.equal(row?.attempts, 2);
    assert.equal(row?.lastError, 'Webhook answered 500: planned failure 500');
    const attempts = store.attemptsOf('retry-500');
    assert.deepEqual(
      attempts.map(({ at: _at, ...rest }) => rest),
      [
        {
          attempt: 1,
          outcome: 'retry',
          error: 'Webhook answered 500: planned failure 500',
          httpStatus: 500,
        },
        { attempt: 2, outcome: 'sent', error: null, httpStatus: null },
      ] satisfies Omit<AlertAttempt, 'at'>[],
    );
    assert.ok(attempts.every((a, i) => i === 0 || a.at >= (attempts[i - 1]?.at ?? 0)));
  });

  it('does not retry a 400: the delivery fails after one request', async () => {
    const first = receiver.requests.length;
    receiver.failNext(1, 400);
    store.add(pendingDelivery('final-400', Date.now(), { settings: { url: receiver.url } }));
    dispatcher.kick();
    await waitFor(() => store.get('final-400')?.status === 'failed', 'the delivery to fail');
    // Longer than any retry delay this policy could pick, to show none follows.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(receiver.requests.length, first + 1);
    assert.equal(store.get('final-400')?.attempts, 1);
    assert.deepEqual(
      store.attemptsOf('final-400').map(({ at: _at, ...rest }) => rest),
      [
        {
          attempt: 1,
          outcome: 'failed',
          error: 'Webhook answered 400: planned failure 400',
          httpStatus: 400,
        },
      ],
    );
  });

  it('records a network error as the answer of a failed attempt, with no HTTP status', async () => {
    const closed = await startWebhookReceiver();
    const url = closed.url;
    await closed.close();
    store.add(pendingDelivery('refused', Date.now(), { settings: { url } }));
    dispatcher.kick();
    await waitFor(() => store.get('refused')?.status === 'failed', 'the retries to run out');
    const attempts = store.attemptsOf('refused');
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.outcome, a.httpStatus]),
      [
        [1, 'retry', null],
        [2, 'retry', null],
        [3, 'failed', null],
      ],
    );
    assert.ok(
      attempts.every((a) => a.error?.startsWith('Webhook request to ')),
      attempts[0]?.error ?? '',
    );
  });

  it('re-sends with the same key when the "sent" record was lost (at-least-once)', async () => {
    const first = receiver.requests.length;
    store.dropUpdates = 1;
    store.add(pendingDelivery('lost-record', Date.now(), { settings: { url: receiver.url } }));
    dispatcher.kick();
    await waitFor(() => receiver.requests.length === first + 1, 'the first request');
    await waitFor(() => store.dropUpdates === 0, 'the lost update');
    dispatcher.kick();
    await waitFor(() => store.get('lost-record')?.status === 'sent', 'the re-send to be recorded');
    const keys = receiver.requests
      .slice(first)
      .map((r) => r.headers['x-crosscheck-idempotency-key']);
    assert.deepEqual(keys, ['mon-1:inc-1:down', 'mon-1:inc-1:down']);
  });
});
