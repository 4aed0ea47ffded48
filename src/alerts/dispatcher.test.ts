import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { z } from 'zod';
import { FakeClock, flushMicrotasks } from '../../test/helpers/fake-clock.ts';
import type { AlertEvent } from '../domain/alert.ts';
import { createAlertDispatcher, type AlertDispatcherOptions } from './dispatcher.ts';
import type { AnyAlertChannel } from './registry.ts';
import { MemoryDeliveryStore, pendingDelivery } from './testing/memory-delivery-store.ts';
import { ChannelError, type ChannelContext, type SendReceipt } from './types.ts';

type Step = 'ok' | 'hang' | ChannelError;

interface SendCall {
  at: number;
  event: AlertEvent;
  ctx: ChannelContext;
  /** Settles a `hang` step. */
  finish: (error?: Error) => void;
}

/** A channel whose answers the test scripts in order; after the script it answers `fallback`. */
function scriptedChannel(clock: FakeClock, steps: Step[], fallback: Step = 'ok') {
  const calls: SendCall[] = [];
  const channel: AnyAlertChannel = {
    type: 'webhook',
    title: 'Scripted',
    description: 'scripted test channel',
    category: 'webhook',
    docsUrl: 'https://crosscheck.test/docs',
    settingsSchema: z.strictObject({ token: z.string().min(4) }),
    secrets: { token: 'secret' },
    send({ event }, _settings, ctx) {
      const step = steps.shift() ?? fallback;
      const { promise, resolve, reject } = Promise.withResolvers<SendReceipt>();
      calls.push({
        at: clock.now(),
        event,
        ctx,
        finish: (error) => (error ? reject(error) : resolve({ status: 200, answer: '' })),
      });
      if (step === 'ok') resolve({ status: 200, answer: '' });
      else if (step instanceof ChannelError) reject(step);
      return promise;
    },
  };
  return { channel, calls };
}

const settings = { token: 'tok-secret-value' };

function setup(steps: Step[], options: Partial<AlertDispatcherOptions> = {}, fallback?: Step) {
  const clock = new FakeClock();
  const store = new MemoryDeliveryStore();
  const { channel, calls } = scriptedChannel(clock, steps, fallback);
  const logs: string[] = [];
  const dispatcher = createAlertDispatcher({
    store,
    clock,
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
    channels: (name) => (name === 'webhook' ? channel : undefined),
    pollIntervalMs: 60_000,
    retry: { baseMs: 1000, factor: 2, mode: 'equal', jitter: () => 0.5, maxAttempts: 4 },
    ...options,
  });
  return { clock, store, calls, dispatcher, logs };
}

const retryable = () => new ChannelError('webhook answered 503', { retryable: true, status: 503 });

describe('alert dispatcher', () => {
  it('start() sends deliveries already due, e.g. left over from a crash', async () => {
    const { clock, store, calls, dispatcher } = setup([]);
    store.add(pendingDelivery('d1', clock.now() - 5000, { settings }));
    dispatcher.start();
    await flushMicrotasks();
    assert.equal(calls.length, 1);
    const row = store.get('d1');
    assert.equal(row?.status, 'sent');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.sentAt, clock.now());
    await dispatcher.stop();
  });

  it('kick() sends a new delivery at once; without it the next poll does', async () => {
    const { clock, store, calls, dispatcher } = setup([]);
    dispatcher.start();
    await flushMicrotasks();
    await clock.advance(1000);
    store.add(pendingDelivery('kicked', clock.now(), { settings }));
    dispatcher.kick();
    await flushMicrotasks();
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.at, clock.now());

    store.add(pendingDelivery('polled', clock.now(), { settings }));
    await clock.advance(30_000);
    assert.equal(store.get('polled')?.status, 'pending', 'not sent before the poll');
    await clock.advance(30_000);
    assert.equal(store.get('polled')?.status, 'sent');
    assert.equal(calls.length, 2);
    await dispatcher.stop();
  });

  it('retries at the backoff times and then records the delivery sent', async () => {
    const { clock, store, calls, dispatcher } = setup([retryable(), retryable(), 'ok']);
    const t0 = clock.now();
    store.add(pendingDelivery('d1', t0, { settings }));
    dispatcher.start();
    await flushMicrotasks();
    assert.equal(store.get('d1')?.nextAttemptAt, t0 + 750, 'equal jitter 0.5 of a 1 s cap');
    assert.equal(store.get('d1')?.lastError, 'webhook answered 503');

    await clock.advance(749);
    assert.equal(calls.length, 1);
    await clock.advance(1);
    assert.equal(calls.length, 2);
    await clock.advance(1499);
    assert.equal(calls.length, 2);
    await clock.advance(1);
    assert.deepEqual(
      calls.map((call) => call.at - t0),
      [0, 750, 2250],
    );
    const row = store.get('d1');
    assert.equal(row?.status, 'sent');
    assert.equal(row?.attempts, 3);
    assert.ok(calls.every((call) => call.event.idempotencyKey === row.event.idempotencyKey));
    // Every attempt is on record, at the time it was made, with the state it led to.
    assert.deepEqual(
      store.attemptsOf('d1').map((a) => [a.attempt, a.at - t0, a.outcome, a.error, a.httpStatus]),
      [
        [1, 0, 'retry', 'webhook answered 503', 503],
        [2, 750, 'retry', 'webhook answered 503', 503],
        [3, 2250, 'sent', null, null],
      ],
    );
    await dispatcher.stop();
  });

  it('gives up after maxAttempts and never tries again', async () => {
    const { clock, store, calls, dispatcher } = setup([], {}, retryable());
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    await flushMicrotasks();
    await clock.advance(600_000);
    assert.equal(calls.length, 4);
    const row = store.get('d1');
    assert.equal(row?.status, 'failed');
    assert.equal(row?.attempts, 4);
    assert.equal(row?.lastError, 'webhook answered 503 (gave up after 4 attempts)');
    await clock.advance(3_600_000);
    assert.equal(calls.length, 4);
    await dispatcher.stop();
  });

  it('fails a non-retryable error after one attempt', async () => {
    const refused = new ChannelError('webhook answered 400', { retryable: false, status: 400 });
    const { clock, store, calls, dispatcher } = setup([refused]);
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    await flushMicrotasks();
    await clock.advance(600_000);
    assert.equal(calls.length, 1);
    assert.equal(store.get('d1')?.status, 'failed');
    assert.equal(store.get('d1')?.lastError, 'webhook answered 400');
    await dispatcher.stop();
  });

  it('fails unknown channels and invalid stored settings without sending or echoing values', async () => {
    const { clock, store, calls, dispatcher } = setup([]);
    store.add(
      pendingDelivery('gone', clock.now(), { channel: 'pager', settings }),
      pendingDelivery('bad', clock.now(), { settings: { token: 'xy' } }),
    );
    dispatcher.start();
    await flushMicrotasks();
    assert.equal(calls.length, 0);
    assert.equal(store.get('gone')?.status, 'failed');
    assert.equal(store.get('gone')?.lastError, 'unknown alert channel "pager"');
    assert.equal(store.get('bad')?.status, 'failed');
    assert.equal(store.get('bad')?.lastError, 'invalid channel settings at token');
    assert.deepEqual(
      store.attemptsOf('gone').map((a) => [a.attempt, a.outcome, a.error, a.httpStatus]),
      [[1, 'failed', 'unknown alert channel "pager"', null]],
    );
    await dispatcher.stop();
  });

  it('never sends one delivery twice at once, however often it is kicked or polled', async () => {
    const { clock, store, calls, dispatcher } = setup(['hang']);
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    dispatcher.kick();
    dispatcher.kick();
    await flushMicrotasks();
    await clock.advance(180_000);
    dispatcher.kick();
    await flushMicrotasks();
    assert.equal(calls.length, 1);
    calls[0]?.finish();
    await flushMicrotasks();
    assert.equal(store.get('d1')?.status, 'sent');
    assert.equal(store.updates.length, 1);
    await dispatcher.stop();
  });

  it('keeps at most `concurrency` sends in flight and fills freed slots from the backlog', async () => {
    const { clock, store, calls, dispatcher } = setup(['hang', 'hang', 'hang', 'hang', 'hang'], {
      concurrency: 2,
    });
    for (let i = 0; i < 5; i++) store.add(pendingDelivery(`d${i}`, clock.now() + i, { settings }));
    await clock.advance(10);
    dispatcher.start();
    await flushMicrotasks();
    assert.equal(calls.length, 2);
    calls[0]?.finish();
    calls[1]?.finish();
    await flushMicrotasks();
    assert.equal(calls.length, 4, 'freed slots refilled without waiting for the poll');
    calls[2]?.finish();
    calls[3]?.finish();
    await flushMicrotasks();
    assert.equal(calls.length, 5);
    calls[4]?.finish();
    await flushMicrotasks();
    assert.deepEqual(
      ['d0', 'd1', 'd2', 'd3', 'd4'].map((id) => store.get(id)?.status),
      ['sent', 'sent', 'sent', 'sent', 'sent'],
    );
    await dispatcher.stop();
  });

  it('stop() waits for a send in flight and records its outcome', async () => {
    const { clock, store, calls, dispatcher } = setup(['hang']);
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    await flushMicrotasks();
    let stopped = false;
    const stopping = dispatcher.stop().then(() => (stopped = true));
    await flushMicrotasks();
    assert.equal(stopped, false);
    calls[0]?.finish();
    await stopping;
    assert.equal(store.get('d1')?.status, 'sent');
    assert.equal(calls[0]?.ctx.signal.aborted, false);
    assert.equal(clock.pendingTimers(), 0, 'no timers left behind');
  });

  it('stop() is bounded: it aborts a stuck send and leaves the delivery pending', async () => {
    const { clock, store, calls, dispatcher } = setup(['hang'], { stopTimeoutMs: 5000 });
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    await flushMicrotasks();
    let stopped = false;
    const stopping = dispatcher.stop().then(() => (stopped = true));
    await clock.advance(4999);
    assert.equal(stopped, false);
    await clock.advance(1);
    assert.equal(calls[0]?.ctx.signal.aborted, true);
    await clock.advance(1000);
    await stopping;
    assert.equal(stopped, true);
    // Settling after shutdown records nothing: the next start sends it again, same key.
    calls[0]?.finish();
    await flushMicrotasks();
    const row = store.get('d1');
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 0);
    assert.equal(store.updates.length, 0);
  });

  it('does not count a send aborted by shutdown as an attempt', async () => {
    const { clock, store, calls, dispatcher } = setup(['hang'], { stopTimeoutMs: 100 });
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    await flushMicrotasks();
    calls[0]?.ctx.signal.addEventListener('abort', () =>
      calls[0]?.finish(new ChannelError('send aborted', { retryable: true })),
    );
    const stopping = dispatcher.stop();
    await clock.advance(100);
    await stopping;
    assert.equal(store.get('d1')?.status, 'pending');
    assert.equal(store.get('d1')?.attempts, 0);
  });

  it('logs delivery ids and attempts but never the settings', async () => {
    const { clock, store, dispatcher, logs } = setup([retryable(), 'ok']);
    store.add(pendingDelivery('d1', clock.now(), { settings }));
    dispatcher.start();
    await flushMicrotasks();
    await clock.advance(10_000);
    await dispatcher.stop();
    const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const retry = lines.find((line) => line['msg'] === 'alert send failed; will retry');
    const sent = lines.find((line) => line['msg'] === 'alert sent');
    assert.deepEqual(
      { ...retry, time: 0, pid: 0, hostname: '' },
      {
        level: 40,
        time: 0,
        pid: 0,
        hostname: '',
        component: 'alerts/dispatcher',
        monitorId: 'mon-1',
        incidentId: 'inc-1',
        deliveryId: 'd1',
        channel: 'webhook',
        attempt: 1,
        kind: 'down',
        error: 'webhook answered 503',
        nextAttemptAt: store.updates[0]?.update.nextAttemptAt,
        msg: 'alert send failed; will retry',
      },
    );
    assert.equal(sent?.['attempt'], 2);
    assert.ok(!logs.join('\n').includes(settings.token));
  });
});
