// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { decideFollowUp } from '../../alerts/policy.ts';
import type { AlertDelivery, MonitorAlertEvent } from '../../domain/alert.ts';
import type { AlertFollowUp, Store } from '../types.ts';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  withStore,
} from './fixtures.ts';

const ROUTES = ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b', 'http://127.0.0.1:9/c'];

/** An opening delivery of `inc-1` to route `r` with the given status. */
function opening(
  id: string,
  route: number,
  status: AlertDelivery['status'],
  kind = 'down',
): AlertDelivery {
  const base = makeDelivery(id, 'm1');
  return {
    ...base,
    deliveryKey: `m1:inc-1:${kind}:main:${id}`,
    settings: { url: ROUTES[route] },
    event: { ...(base.event as MonitorAlertEvent), kind: kind as MonitorAlertEvent['kind'] },
    status,
    sentAt: status === 'sent' ? T0 : null,
  };
}

function recovery(at: number): AlertFollowUp {
  const base = makeDelivery('x', 'm1').event as MonitorAlertEvent;
  return {
    monitorId: 'm1',
    incidentId: 'inc-1',
    event: { ...base, kind: 'recovered', idempotencyKey: 'm1:inc-1:recovered' },
    idPrefix: 'dlv-rec',
    createdAt: at,
  };
}

async function closings(store: Store): Promise<AlertDelivery[]> {
  return (await store.listAlertDeliveries()).filter((d) => d.event.kind === 'recovered');
}

/** Closing alerts follow the openings per route; retractions close the incident with a reason. */
export function alertTruthContract(makeStore: MakeStore): void {
  it('a closing alert goes to each route an opening was stored for, following the best opening', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
          alerts: [
            opening('o-a1', 0, 'suppressed'),
            opening('o-a2', 0, 'sent', 'regional'),
            opening('o-b', 1, 'pending'),
            opening('o-c', 2, 'suppressed'),
          ],
        }),
      );
      await store.commitBatch(batch({ followUps: [recovery(T0 + MINUTE)] }));
      // A replay of the same decision adds nothing.
      await store.commitBatch(batch({ followUps: [recovery(T0 + MINUTE)] }));
      const rows = await closings(store);
      const byRoute = new Map(rows.map((d) => [d.settings['url'], d]));
      assert.equal(rows.length, 3);
      assert.equal(byRoute.get(ROUTES[0])?.followsId, 'o-a2', 'the sent one of route a');
      assert.equal(byRoute.get(ROUTES[1])?.followsId, 'o-b');
      assert.equal(byRoute.get(ROUTES[2])?.status, 'suppressed', 'route c never heard of it');
      // Due: route a's (opening sent); route b's waits for its pending opening.
      const due = await store.dueAlertDeliveries(T0 + MINUTE, 10);
      const dueClosings = due.filter((d) => d.event.kind === 'recovered');
      assert.deepEqual(
        dueClosings.map((d) => [d.settings['url'], d.followsStatus]),
        [[ROUTES[0], 'sent']],
      );
      await store.updateAlertDelivery('o-b', {
        status: 'failed',
        attempts: 10,
        nextAttemptAt: T0,
        lastError: 'HTTP 500',
        sentAt: null,
      });
      const later = (await store.dueAlertDeliveries(T0 + MINUTE, 10)).filter(
        (d) => d.event.kind === 'recovered',
      );
      assert.deepEqual(later.map((d) => [d.settings['url'], d.followsStatus]).sort(), [
        [ROUTES[0], 'sent'],
        [ROUTES[1], 'failed'],
      ]);
    }));

  it('a closing decided in the same batch as its opening follows it', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
          alerts: [opening('o-a', 0, 'pending')],
          followUps: [recovery(T0)],
        }),
      );
      assert.deepEqual(
        (await closings(store)).map((d) => d.followsId),
        ['o-a'],
      );
    }));

  it('property: a closing is released exactly when its opening was sent', () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2 }),
            fc.constantFrom('sent', 'pending', 'failed', 'suppressed' as const),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (openings) =>
          withStore(makeStore, async (store) => {
            await store.insertMonitor(makeMonitor('m1'));
            await store.commitBatch(
              batch({
                incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
                alerts: openings.map(([route, status], i) => opening(`o${i}`, route, status)),
              }),
            );
            await store.commitBatch(batch({ followUps: [recovery(T0 + MINUTE)] }));
            const due = (await store.dueAlertDeliveries(T0 + MINUTE, 100)).filter(
              (d) => d.event.kind === 'recovered',
            );
            const sendable = due.filter((d) => decideFollowUp(d.followsStatus).action === 'send');
            const routesSent = new Set(
              openings.filter(([, s]) => s === 'sent').map(([route]) => ROUTES[route]),
            );
            assert.deepEqual(sendable.map((d) => d.settings['url']).sort(), [...routesSent].sort());
            for (const closing of await closings(store)) {
              const routeStatuses = openings
                .filter(([route]) => ROUTES[route] === closing.settings['url'])
                .map(([, s]) => s);
              // Held back while the route's best opening is still pending.
              const pendingOnly =
                !routeStatuses.includes('sent') && routeStatuses.includes('pending');
              if (pendingOnly) assert.ok(!due.some((d) => d.id === closing.id));
            }
          }),
      ),
      { numRuns: 25 },
    ));

  it('a retraction closes an open incident with its reason, once', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      const retraction = {
        id: 'inc-1',
        retractedAt: T0 + MINUTE,
        reason: 'not confirmed: a set aside (vantage)',
      };
      await store.commitBatch(batch({ incidentsRetracted: [retraction] }));
      await store.commitBatch(
        batch({
          incidentsRetracted: [{ ...retraction, retractedAt: T0 + 9 * MINUTE, reason: 'replay' }],
        }),
      );
      const incident = await store.getIncident('inc-1');
      assert.deepEqual(
        [incident?.status, incident?.retractedAt, incident?.retraction, incident?.endedAt],
        ['retracted', T0 + MINUTE, 'not confirmed: a set aside (vantage)', null],
      );
      assert.deepEqual(await store.listIncidents({ active: true }), []);
      // A retracted incident is no downtime.
      const [day] = (await store.uptime(['m1'], [DAY], T0 + HOUR)).get('m1') ?? [];
      assert.equal(day?.downMs, 0);
      // The monitor is free for a new incident.
      await store.commitBatch(
        batch({ incidentsOpened: [makeIncident('inc-2', 'm1', T0 + 2 * MINUTE)] }),
      );
      assert.equal((await store.getIncident('inc-2'))?.status, 'open');
    }));
}
