import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { z } from 'zod';
import { FakeClock, flushMicrotasks } from '../../test/helpers/fake-clock.ts';
import type { AlertDelivery, AlertEvent, MonitorAlertEvent } from '../domain/alert.ts';
import { createAlertDispatcher } from './dispatcher.ts';
import type { AnyAlertChannel } from './registry.ts';
import { MemoryDeliveryStore, pendingDelivery } from './testing/memory-delivery-store.ts';
import { ChannelError } from './types.ts';

// Closing alerts (recovered, retracted) in the dispatcher: sent only after the opening they
// follow reached the route, never before it, and recorded (not dropped) otherwise.

const settings = { token: 'tok-secret-value' };

function setup(answers: ('ok' | 'fail')[]) {
  const clock = new FakeClock();
  const store = new MemoryDeliveryStore();
  const sent: AlertEvent['kind'][] = [];
  const channel: AnyAlertChannel = {
    type: 'webhook',
    title: 'Test',
    description: 'test channel',
    category: 'webhook',
    docsUrl: 'https://crosscheck.test/docs',
    settingsSchema: z.strictObject({ token: z.string() }),
    secrets: { token: 'secret' },
    send({ event }) {
      const answer = answers.shift() ?? 'ok';
      if (answer === 'fail') {
        return Promise.reject(new ChannelError('webhook answered 400', { retryable: false }));
      }
      sent.push(event.kind);
      return Promise.resolve({ status: 200, answer: '' });
    },
  };
  const dispatcher = createAlertDispatcher({
    store,
    clock,
    logger: pino({ level: 'silent' }),
    channels: (name) => (name === 'webhook' ? channel : undefined),
    pollIntervalMs: 60_000,
    retry: { baseMs: 1000, factor: 2, mode: 'equal', jitter: () => 0.5, maxAttempts: 2 },
  });
  return { clock, store, sent, dispatcher };
}

function pair(now: number) {
  const opening = pendingDelivery('open', now, { settings });
  const base = pendingDelivery('close', now, { settings, followsId: 'open' });
  const closing: AlertDelivery = {
    ...base,
    event: { ...(base.event as MonitorAlertEvent), kind: 'recovered' },
  };
  return { opening, closing };
}

describe('alert dispatcher: closing alerts follow their openings', () => {
  it('a recovery waits for its opening and goes out right after it', async () => {
    const { clock, store, sent, dispatcher } = setup(['ok', 'ok']);
    const { opening, closing } = pair(clock.now());
    store.add(closing, opening);
    dispatcher.start();
    await flushMicrotasks();
    await flushMicrotasks();
    assert.deepEqual(sent, ['down', 'recovered'], 'never the recovery first');
    assert.equal(store.get('close')?.status, 'sent');
    await dispatcher.stop();
  });

  it('a recovery whose opening failed is recorded as suppressed, not sent', async () => {
    const { clock, store, sent, dispatcher } = setup(['fail']);
    const { opening, closing } = pair(clock.now());
    store.add(opening, closing);
    dispatcher.start();
    await flushMicrotasks();
    await flushMicrotasks();
    assert.deepEqual(sent, []);
    assert.equal(store.get('open')?.status, 'failed');
    assert.deepEqual(
      [store.get('close')?.status, store.get('close')?.reason],
      ['suppressed', 'opening-failed'],
    );
    await dispatcher.stop();
  });

  it('a recovery after a suppressed opening is recorded with that reason', async () => {
    const { clock, store, sent, dispatcher } = setup([]);
    const { opening, closing } = pair(clock.now());
    store.add({ ...opening, status: 'suppressed', reason: 'flapping' }, closing);
    dispatcher.start();
    await flushMicrotasks();
    assert.deepEqual(sent, []);
    assert.equal(store.get('close')?.reason, 'opening-suppressed');
    await dispatcher.stop();
  });
});
