import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertDelivery } from '../../domain/alert.ts';
import type { Incident } from '../../domain/incident.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type { IncidentUpdate } from '../../domain/status-page.ts';
import type { IngestBatch } from '../../store/types.ts';
import { createEventSources } from './event-sources.ts';
import type { CrosscheckEvent } from './event-types.ts';

const T = 1_700_000_000_000;

function monitor(id: string, group: string | null): Monitor {
  return { id, group, createdAt: T, updatedAt: T } as Monitor;
}

function batch(part: Partial<IngestBatch>): IngestBatch {
  return {
    results: [],
    states: [],
    incidentsOpened: [],
    incidentsResolved: [],
    alerts: [],
    ...part,
  };
}

function setup() {
  const published: CrosscheckEvent[][] = [];
  const sources = createEventSources({
    sink: { publish: (events) => published.push([...events]) },
    monitors: [monitor('m1', 'web')],
    states: [
      {
        ...initialRuntimeState('m1'),
        status: 'down',
        openIncident: {
          id: 'inc-old',
          startedAt: T,
          verdict: 'down',
          regions: [],
          openedAt: T,
          confirmedBy: ['n1'],
          pages: { 'x:down': T },
        },
      },
    ],
  });
  return { sources, published };
}

const delivery: AlertDelivery = {
  id: 'dlv-1',
  deliveryKey: 'k:0',
  monitorId: 'm1',
  incidentId: 'inc-old',
  nodeId: null,
  followsId: null,
  target: null,
  providerRef: null,
  channel: 'webhook',
  settings: { url: 'https://hooks.example/secret-token' },
  event: {
    kind: 'down',
    idempotencyKey: 'k',
    monitor: { id: 'm1', name: 'shop', type: 'http', target: 'x', group: 'web', tags: [] },
    incident: null,
    verdict: 'down',
    regions: [],
    evidence: [],
    message: 'down',
    occurredAt: T,
  },
  status: 'suppressed',
  attempts: 0,
  nextAttemptAt: T,
  reason: 'within-cooldown',
  lastError: null,
  createdAt: T,
  sentAt: null,
};

describe('event sources', () => {
  it('a committed batch publishes its results, incident changes and state changes at once', () => {
    const { sources, published } = setup();
    const opened = {
      id: 'inc-2',
      monitorId: 'm1',
      verdict: 'regional',
      regions: ['eu'],
      openedAt: T + 5,
    };
    sources.batchCommitted(
      batch({
        results: [
          {
            id: 'r1',
            monitorId: 'm1',
            nodeId: 'n1',
            checkedAt: T + 1,
            status: 'up',
            latencyMs: 12,
            timings: {},
            message: 'ok',
            details: {},
          },
        ],
        states: [{ ...initialRuntimeState('m1'), status: 'up', statusSince: T + 1, verdict: 'up' }],
        incidentsResolved: [{ id: 'inc-old', endedAt: T, resolvedAt: T + 2, durationMs: 1 }],
        incidentsOpened: [opened as Incident],
        incidentsUpdated: [{ id: 'inc-2', verdict: 'down', regions: [], at: T + 6 }],
      }),
      T + 10,
    );
    assert.equal(published.length, 1);
    assert.deepEqual(published[0], [
      {
        type: 'result',
        monitorId: 'm1',
        group: 'web',
        resultId: 'r1',
        nodeId: 'n1',
        status: 'up',
        latencyMs: 12,
        at: T + 1,
      },
      {
        type: 'incident.opened',
        monitorId: 'm1',
        group: 'web',
        incidentId: 'inc-2',
        verdict: 'regional',
        regions: ['eu'],
        at: T + 5,
      },
      {
        type: 'incident.updated',
        monitorId: 'm1',
        group: 'web',
        incidentId: 'inc-2',
        verdict: 'down',
        regions: [],
        at: T + 6,
      },
      {
        type: 'incident.resolved',
        monitorId: 'm1',
        group: 'web',
        incidentId: 'inc-old',
        verdict: 'down',
        regions: [],
        at: T + 2,
        outcome: 'recovered',
      },
      {
        type: 'monitor.state',
        monitorId: 'm1',
        group: 'web',
        from: 'down',
        to: 'up',
        verdict: 'up',
        at: T + 1,
      },
    ]);
  });

  it('an unchanged status publishes no state event', () => {
    const { sources, published } = setup();
    sources.batchCommitted(
      batch({ states: [{ ...initialRuntimeState('m1'), status: 'down' }] }),
      T,
    );
    assert.deepEqual(published, []);
  });

  it('a new verdict under the same status is a state event (from equals to)', () => {
    const { sources, published } = setup();
    const state = {
      ...initialRuntimeState('m1'),
      status: 'down' as const,
      verdict: 'local' as const,
    };
    sources.batchCommitted(batch({ states: [state] }), T);
    sources.batchCommitted(batch({ states: [state] }), T);
    assert.deepEqual(published, [
      [
        {
          type: 'monitor.state',
          monitorId: 'm1',
          group: 'web',
          from: 'down',
          to: 'down',
          verdict: 'local',
          at: T,
        },
      ],
    ]);
  });

  it('monitor changes say created, updated and deleted, with the group', () => {
    const { sources, published } = setup();
    sources.monitorChanged({ type: 'upserted', monitor: monitor('m2', 'db') }, T);
    sources.monitorChanged(
      { type: 'upserted', monitor: { ...monitor('m2', 'db'), updatedAt: T + 1 } },
      T + 1,
    );
    sources.monitorChanged({ type: 'removed', id: 'm2' }, T + 2);
    assert.deepEqual(
      published
        .flat()
        .map((e) => (e.type === 'monitor.changed' ? [e.change, e.group, e.at] : e.type)),
      [
        ['created', 'db', T],
        ['updated', 'db', T + 1],
        ['deleted', 'db', T + 2],
      ],
    );
  });

  it('alert decisions name the route by channel only, never its settings', () => {
    const { sources, published } = setup();
    sources.batchCommitted(
      batch({ alerts: [delivery, { ...delivery, id: 'dlv-2', status: 'pending' }] }),
      T,
    );
    sources.alertDecided(
      delivery,
      { status: 'pending', attempts: 1, nextAttemptAt: T, lastError: 'x', sentAt: null },
      T,
    );
    sources.alertDecided(
      delivery,
      {
        status: 'failed',
        attempts: 3,
        nextAttemptAt: T,
        lastError: 'webhook answered 500',
        sentAt: null,
      },
      T + 3,
    );
    const events = published.flat();
    assert.deepEqual(
      events.map((e) =>
        e.type === 'alert.decision' ? [e.alertId, e.outcome, e.reason, e.route, e.group] : e.type,
      ),
      [
        ['dlv-1', 'suppressed', 'within-cooldown', 'webhook', 'web'],
        ['dlv-1', 'failed', 'webhook answered 500', 'webhook', 'web'],
      ],
    );
    assert.equal(JSON.stringify(events).includes('secret-token'), false);
  });

  it('node transitions become node.state events', () => {
    const { sources, published } = setup();
    sources.nodeTransition({ nodeId: 'n2', from: 'online', to: 'grace', at: T });
    assert.deepEqual(published, [
      [{ type: 'node.state', nodeId: 'n2', from: 'online', to: 'grace', at: T }],
    ]);
  });

  it('announces an incident update or note with its monitor’s group, never its text', () => {
    const { sources, published } = setup();
    const update: IncidentUpdate = {
      id: 'upd-1',
      incidentId: 'inc-old',
      status: 'identified',
      message: 'the shop backend answers 503',
      public: false,
      author: 'ada',
      createdAt: T + 5,
    };
    sources.incidentUpdatePosted(update, 'm1');
    assert.deepEqual(published, [
      [
        {
          type: 'incident.update.posted',
          monitorId: 'm1',
          group: 'web',
          incidentId: 'inc-old',
          updateId: 'upd-1',
          status: 'identified',
          public: false,
          at: T + 5,
        },
      ],
    ]);
  });
});
