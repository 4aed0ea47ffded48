// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertDelivery } from '../../domain/alert.ts';
import type { MakeStore } from './fixtures.ts';
import {
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeMonitor,
  rejectsWithCode,
  withStore,
} from './fixtures.ts';

/** Alert deliveries: stored with their batch, due selection, updates. */
export function deliveryContract(makeStore: MakeStore): void {
  it('round-trips a delivery with its settings and event JSON', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const delivery = makeDelivery('d1', 'm1');
      await store.commitBatch(batch({ alerts: [delivery] }));
      assert.deepEqual(await store.listAlertDeliveries(), [delivery]);
    }));

  it('selects pending deliveries that are due, earliest first, up to the limit', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          alerts: [
            makeDelivery('later', 'm1', { nextAttemptAt: T0 + 2 * MINUTE }),
            makeDelivery('first', 'm1', { nextAttemptAt: T0 }),
            makeDelivery('second', 'm1', { nextAttemptAt: T0 + MINUTE }),
            makeDelivery('future', 'm1', { nextAttemptAt: T0 + 10 * MINUTE }),
            makeDelivery('sent', 'm1', { status: 'sent', sentAt: T0 }),
            makeDelivery('failed', 'm1', { status: 'failed' }),
          ],
        }),
      );
      const now = T0 + 2 * MINUTE;
      const due = async (limit: number) =>
        (await store.dueAlertDeliveries(now, limit)).map((d) => d.id);
      assert.deepEqual(await due(10), ['first', 'second', 'later']);
      assert.deepEqual(await due(2), ['first', 'second']);
    }));

  it('records attempts; a delivery no longer pending is no longer due', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ alerts: [makeDelivery('d1', 'm1')] }));

      await store.updateAlertDelivery('d1', {
        status: 'pending',
        attempts: 1,
        nextAttemptAt: T0 + 5 * MINUTE,
        lastError: 'HTTP 503',
        sentAt: null,
      });
      assert.deepEqual(await store.dueAlertDeliveries(T0 + MINUTE, 10), []);
      const retried = await store.dueAlertDeliveries(T0 + 5 * MINUTE, 10);
      assert.equal(retried[0]?.attempts, 1);
      assert.equal(retried[0]?.lastError, 'HTTP 503');

      await store.updateAlertDelivery('d1', {
        status: 'sent',
        attempts: 2,
        nextAttemptAt: T0 + 5 * MINUTE,
        lastError: null,
        sentAt: T0 + 6 * MINUTE,
      });
      assert.deepEqual(await store.dueAlertDeliveries(T0 + 60 * MINUTE, 10), []);
      const [stored] = await store.listAlertDeliveries({ monitorId: 'm1' });
      const expected: Partial<AlertDelivery> = {
        status: 'sent',
        attempts: 2,
        lastError: null,
        sentAt: T0 + 6 * MINUTE,
      };
      assert.deepEqual(
        {
          status: stored?.status,
          attempts: stored?.attempts,
          lastError: stored?.lastError,
          sentAt: stored?.sentAt,
        },
        expected,
      );
      await rejectsWithCode(
        store.updateAlertDelivery('missing', {
          status: 'sent',
          attempts: 1,
          nextAttemptAt: T0,
          lastError: null,
          sentAt: T0,
        }),
        'NOT_FOUND',
      );
    }));

  it('lists deliveries newest first with a monitor filter and a limit', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      await store.commitBatch(
        batch({
          alerts: [
            makeDelivery('old', 'm1', { createdAt: T0 }),
            makeDelivery('new', 'm1', { createdAt: T0 + MINUTE }),
            makeDelivery('other', 'm2', { createdAt: T0 + 2 * MINUTE }),
          ],
        }),
      );
      const ids = async (filter?: { monitorId?: string; limit?: number }) =>
        (await store.listAlertDeliveries(filter)).map((d) => d.id);
      assert.deepEqual(await ids(), ['other', 'new', 'old']);
      assert.deepEqual(await ids({ monitorId: 'm1' }), ['new', 'old']);
      assert.deepEqual(await ids({ limit: 1 }), ['other']);
    }));
}
