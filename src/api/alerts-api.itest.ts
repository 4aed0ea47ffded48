import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NodeAlertEvent } from '../domain/alert.ts';
import type { AlertLogEntry } from '../services/alert-log-service.ts';
import {
  MINUTE,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
} from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { ApiErrorBody } from './errors.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';

describe('GET /api/v1/alerts: the alert log', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof testApiServer>;
  const clock = new FakeClock();
  const now = clock.now();

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertMonitor(makeMonitor('m1', { name: 'API' }));
    await store.insertMonitor(makeMonitor('m2', { name: 'Web' }));
    const settings = {
      url: 'http://127.0.0.1:9/hook?token=abc',
      secret: 'a-very-long-secret-value',
      headers: { authorization: 'Bearer xyz' },
    };
    await store.commitBatch(
      batch({
        incidentsOpened: [makeIncident('inc-1', 'm1', now - 60 * MINUTE)],
        alerts: [
          makeDelivery('sent', 'm1', {
            settings,
            reason: 'first-down',
            createdAt: now - 50 * MINUTE,
          }),
          makeDelivery('held', 'm1', {
            settings,
            status: 'suppressed',
            reason: 'within-cooldown',
            createdAt: now - 40 * MINUTE,
          }),
          makeDelivery('other', 'm2', {
            settings,
            incidentId: 'inc-2',
            reason: 'first-down',
            createdAt: now - 30 * MINUTE,
          }),
        ],
      }),
    );
    await store.updateAlertDelivery(
      'sent',
      {
        status: 'pending',
        attempts: 1,
        nextAttemptAt: now - 49 * MINUTE,
        lastError: 'webhook answered 500: boom',
        sentAt: null,
      },
      {
        attempt: 1,
        at: now - 50 * MINUTE,
        outcome: 'retry',
        error: 'webhook answered 500: boom',
        httpStatus: 500,
      },
    );
    await store.updateAlertDelivery(
      'sent',
      {
        status: 'sent',
        attempts: 2,
        nextAttemptAt: now - 49 * MINUTE,
        lastError: 'webhook answered 500: boom',
        sentAt: now - 49 * MINUTE,
      },
      { attempt: 2, at: now - 49 * MINUTE, outcome: 'sent', error: null, httpStatus: null },
    );
    const nodeEvent: NodeAlertEvent = {
      kind: 'node-missing',
      idempotencyKey: 'node:n1:e1:missing',
      node: { id: 'n1', name: 'agent-eu', region: 'eu' },
      from: 'grace',
      to: 'missing',
      message: 'agent-eu is missing',
      occurredAt: now - 10 * MINUTE,
    };
    await store.applyNodeStateChanges(
      [],
      [
        makeDelivery('node', 'm1', {
          monitorId: null,
          incidentId: null,
          nodeId: 'n1',
          deliveryKey: 'node-key',
          event: nodeEvent,
          reason: 'node-missing',
          createdAt: now - 10 * MINUTE,
        }),
      ],
    );
    api = testApiServer(storeOperationServices(store, clock));
  });
  after(() => cleanup());

  async function log(query = ''): Promise<AlertLogEntry[]> {
    const res = await api.inject({ method: 'GET', url: `/api/v1/alerts${query}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ items: AlertLogEntry[] }>().items;
  }

  it('lists every decision newest first: node alerts, suppressed, sent after a retry', async () => {
    const entries = await log();
    assert.deepEqual(
      entries.map((e) => [e.id, e.kind, e.status, e.reason]),
      [
        ['node', 'node-missing', 'pending', 'node-missing'],
        ['other', 'down', 'pending', 'first-down'],
        ['held', 'down', 'suppressed', 'within-cooldown'],
        ['sent', 'down', 'sent', 'first-down'],
      ],
    );
    const node = entries[0];
    assert.deepEqual(node?.node, { id: 'n1', name: 'agent-eu' });
    assert.equal(node?.monitor, null);
    const sent = entries[3];
    assert.deepEqual(sent?.monitor, { id: 'm1', name: 'Monitor m1' });
    assert.equal(sent?.incidentId, 'inc-1');
    assert.equal(sent?.attempts, 2);
    assert.equal(sent?.nextAttemptAt, null);
    assert.deepEqual(
      sent?.attemptHistory.map((a) => [a.attempt, a.outcome, a.httpStatus, a.error]),
      [
        [1, 'retry', 500, 'webhook answered 500: boom'],
        [2, 'sent', null, null],
      ],
    );
  });

  it('never shows route secrets: the channel redacts its settings', async () => {
    const [entry] = await log('?monitor=m1&limit=1');
    assert.deepEqual(entry?.route, {
      channel: 'webhook',
      settings: {
        url: 'http://127.0.0.1:9/hook?token=***',
        secret: '***',
        headers: { authorization: '***' },
      },
    });
  });

  it('filters by monitor, incident, since and limit', async () => {
    const ids = async (query: string) => (await log(query)).map((e) => e.id);
    assert.deepEqual(await ids('?monitor=m1'), ['held', 'sent']);
    assert.deepEqual(await ids('?incident=inc-2'), ['other']);
    assert.deepEqual(await ids('?since=35m'), ['node', 'other']);
    assert.deepEqual(await ids(`?since=${now - 40 * MINUTE}`), ['node', 'other', 'held']);
    assert.deepEqual(await ids(`?since=${new Date(now - 15 * MINUTE).toISOString()}`), ['node']);
    assert.deepEqual(await ids('?monitor=m1&limit=1'), ['held']);
    assert.deepEqual(await ids('?monitor=nope'), []);
  });

  it('answers 400 naming the field for a bad since, limit or unknown parameter', async () => {
    for (const [query, field] of [
      ['?since=10x', 'query.since'],
      ['?since=', 'query.since'],
      ['?limit=0', 'query.limit'],
      ['?limit=many', 'query.limit'],
      ['?verdict=down', 'query.verdict'],
    ] as const) {
      const res = await api.inject({ method: 'GET', url: `/api/v1/alerts${query}` });
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      const body = res.json<ApiErrorBody>();
      assert.equal(body.error.code, 'VALIDATION');
      assert.ok(
        body.error.issues.some((issue) => issue.path === field),
        `${query}: ${JSON.stringify(body.error.issues)}`,
      );
    }
  });

  it('still lists the alerts of a deleted monitor, by its name at the time', async () => {
    await store.deleteMonitor('m2');
    const [entry] = await log('?monitor=m2');
    assert.equal(entry?.id, 'other');
    assert.deepEqual(entry?.monitor, { id: 'm2', name: 'Monitor m2' });
    assert.equal(entry?.status, 'suppressed');
    assert.equal(entry?.reason, 'monitor-deleted');
  });
});
