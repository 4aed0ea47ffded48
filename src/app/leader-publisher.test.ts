import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusBody } from '../cluster/bus/messages.ts';
import { busBodySchema } from '../cluster/bus/messages.ts';
import type { ClusterBus } from '../cluster/bus/types.ts';
import type { MonitorChange } from '../domain/monitor-change.ts';
import {
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
} from '../store/contract/fixtures.ts';
import { batchBody, monitorChangedBody, publishingChangeSink } from './leader-publisher.ts';

/** A bus that records what it is asked to publish. */
function recordingBus(): ClusterBus & { sent: BusBody[] } {
  const sent: BusBody[] = [];
  return {
    sent,
    publish: (body) => sent.push(body),
    subscribe: () => () => undefined,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    stats: () => ({ listening: true, sent: sent.length, received: 0, dropped: 0, reconnects: 0 }),
  };
}

void describe('leader publisher', () => {
  it('names each changed monitor once, by its last change', () => {
    const m1 = makeMonitor('m1');
    const changes: MonitorChange[] = [
      { type: 'upserted', monitor: m1 },
      { type: 'removed', id: 'm2' },
      { type: 'removed', id: 'm1' },
      { type: 'upserted', monitor: makeMonitor('m2') },
    ];
    assert.deepEqual(monitorChangedBody(changes), {
      type: 'monitor-changed',
      upserted: ['m2'],
      removed: ['m1'],
    });
  });

  it('tells the local sink and the bus, and the bus ids only', () => {
    const bus = recordingBus();
    const local: MonitorChange[] = [];
    const sink = publishingChangeSink(
      { publish: (c) => local.push(c), publishAll: (cs) => local.push(...cs) },
      bus,
    );
    const monitor = makeMonitor('m1', { options: { headers: { authorization: 'Bearer s3cret' } } });
    sink.publish({ type: 'upserted', monitor });
    sink.publishAll([]);
    assert.deepEqual(local, [{ type: 'upserted', monitor }]);
    assert.deepEqual(bus.sent, [{ type: 'monitor-changed', upserted: ['m1'], removed: [] }]);
    assert.ok(!JSON.stringify(bus.sent).includes('s3cret'));
  });

  it('announces a batch by ids and facts a receiver accepts, never alert settings', () => {
    const body = batchBody(
      batch({
        results: [makeResult('m1', T0, 'down')],
        states: [makeState('m1', { status: 'down' })],
        incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
        incidentsResolved: [{ id: 'inc-0', endedAt: T0, resolvedAt: T0 + 1, durationMs: 5 }],
        alerts: [
          makeDelivery('al-1', 'm1', { status: 'suppressed', reason: 'x'.repeat(5_000) }),
          makeDelivery('al-2', 'm1'),
        ],
      }),
    );
    assert.ok(busBodySchema.safeParse(body).success);
    assert.deepEqual(body.states, ['m1']);
    assert.deepEqual(body.incidentsOpened, ['inc-1']);
    assert.deepEqual(body.incidentsResolved, [{ id: 'inc-0', resolvedAt: T0 + 1 }]);
    assert.deepEqual(
      body.suppressed.map((fact) => [fact.alertId, fact.outcome, fact.route, fact.reason?.length]),
      [['al-1', 'suppressed', 'webhook', 1_000]],
    );
    assert.ok(!JSON.stringify(body).includes('x-token'));
  });
});
