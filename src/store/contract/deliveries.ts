// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertAttempt, AlertDelivery } from '../../domain/alert.ts';
import type { MakeStore } from './fixtures.ts';
import {
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  rejectsWithCode,
  withStore,
} from './fixtures.ts';

function attempt(n: number, outcome: AlertAttempt['outcome'], at = T0 + n * MINUTE): AlertAttempt {
  return outcome === 'sent'
    ? { attempt: n, at, outcome, error: null, httpStatus: null }
    : { attempt: n, at, outcome, error: 'webhook answered 503: busy', httpStatus: 503 };
}

/** Alert deliveries: stored with their batch, due selection, updates, attempts, the log. */
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

      await store.updateAlertDelivery(
        'd1',
        {
          status: 'pending',
          attempts: 1,
          nextAttemptAt: T0 + 5 * MINUTE,
          lastError: 'HTTP 503',
          sentAt: null,
        },
        attempt(1, 'retry'),
      );
      assert.deepEqual(await store.dueAlertDeliveries(T0 + MINUTE, 10), []);
      const retried = await store.dueAlertDeliveries(T0 + 5 * MINUTE, 10);
      assert.equal(retried[0]?.attempts, 1);
      assert.equal(retried[0]?.lastError, 'HTTP 503');

      await store.updateAlertDelivery(
        'd1',
        {
          status: 'sent',
          attempts: 2,
          nextAttemptAt: T0 + 5 * MINUTE,
          lastError: null,
          sentAt: T0 + 6 * MINUTE,
        },
        attempt(2, 'sent'),
      );
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
        store.updateAlertDelivery(
          'missing',
          { status: 'sent', attempts: 1, nextAttemptAt: T0, lastError: null, sentAt: T0 },
          attempt(1, 'sent'),
        ),
        'NOT_FOUND',
      );
      const attempts = await store.listAlertAttempts(['d1', 'missing']);
      assert.deepEqual(attempts.get('d1'), [attempt(1, 'retry'), attempt(2, 'sent')]);
      assert.deepEqual(attempts.get('missing'), [], 'no attempt is recorded for a missing one');
    }));

  it('keeps the policy reason apart from the provider error', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const held = makeDelivery('held', 'm1', {
        status: 'suppressed',
        reason: 'within-cooldown',
      });
      const failed = makeDelivery('failed', 'm1', {
        status: 'failed',
        reason: 'first-down',
        lastError: 'webhook answered 410: gone',
      });
      await store.commitBatch(batch({ alerts: [held, failed] }));
      const byId = new Map((await store.listAlertDeliveries()).map((d) => [d.id, d]));
      assert.deepEqual(byId.get('held'), held);
      assert.deepEqual(byId.get('failed'), failed);
    }));

  it('filters the log by monitor, incident and time, newest first; node alerts included', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      await store.commitBatch(
        batch({
          alerts: [
            makeDelivery('a', 'm1', { incidentId: 'i1', createdAt: T0 }),
            makeDelivery('b', 'm1', { incidentId: 'i2', createdAt: T0 + MINUTE }),
            makeDelivery('c', 'm2', { incidentId: 'i3', createdAt: T0 + 2 * MINUTE }),
          ],
        }),
      );
      const node = makeDelivery('n', 'm1', {
        monitorId: null,
        incidentId: null,
        nodeId: 'node-1',
        createdAt: T0 + 3 * MINUTE,
        deliveryKey: 'node-key',
      });
      await store.applyNodeStateChanges([], [node]);
      const ids = async (filter?: Parameters<typeof store.listAlertDeliveries>[0]) =>
        (await store.listAlertDeliveries(filter)).map((d) => d.id);
      assert.deepEqual(await ids(), ['n', 'c', 'b', 'a']);
      assert.deepEqual(await ids({ monitorId: 'm1' }), ['b', 'a']);
      assert.deepEqual(await ids({ incidentId: 'i2' }), ['b']);
      assert.deepEqual(await ids({ since: T0 + MINUTE }), ['n', 'c', 'b'], 'since is inclusive');
      assert.deepEqual(await ids({ monitorId: 'm1', since: T0 + MINUTE, limit: 5 }), ['b']);
      assert.deepEqual(await ids({ incidentId: 'nope' }), []);
    }));

  it('keeps the deliveries and attempts of a deleted monitor; unsent ones become suppressed', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
          alerts: [
            makeDelivery('sent', 'm1', { status: 'sent', reason: 'first-down', sentAt: T0 }),
            makeDelivery('retrying', 'm1', { reason: 'first-down', createdAt: T0 + MINUTE }),
          ],
        }),
      );
      await store.updateAlertDelivery(
        'retrying',
        {
          status: 'pending',
          attempts: 1,
          nextAttemptAt: T0 + 5 * MINUTE,
          lastError: 'webhook answered 503: busy',
          sentAt: null,
        },
        attempt(1, 'retry'),
      );
      assert.equal(await store.deleteMonitor('m1'), true);
      const log = await store.listAlertDeliveries({ monitorId: 'm1' });
      assert.deepEqual(
        log.map((d) => [d.id, d.status, d.reason, d.lastError, d.attempts]),
        [
          ['retrying', 'suppressed', 'monitor-deleted', 'webhook answered 503: busy', 1],
          ['sent', 'sent', 'first-down', null, 0],
        ],
      );
      assert.equal(log[0]?.event.kind === 'down' && log[0].event.monitor.name, 'Monitor m1');
      assert.deepEqual(await store.dueAlertDeliveries(T0 + 60 * MINUTE, 10), []);
      assert.deepEqual((await store.listAlertAttempts(['retrying'])).get('retrying'), [
        attempt(1, 'retry'),
      ]);
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
