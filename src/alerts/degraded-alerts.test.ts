import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRoute, TargetRoute } from '../domain/alert-target.ts';
import { makeMonitor } from '../store/contract/fixtures.ts';
import { alertDedupKey, alertSeverity, alertStatus, renderAlertMessage } from './kit/message.ts';
import { monitorRoutes, type RoutingSnapshot } from './routing.ts';
import { SAMPLE_EVENTS } from './testing/sample-alerts.ts';

// Degraded alerts: opt-in per route, rendered like every other monitor alert, and one
// provider dedup key per episode so its end resolves its start.

function route(target: string, events: TargetRoute['events']): AlertRoute {
  return { target, events, repeatEveryMs: null, escalateAfterMs: null };
}

const ROUTING: RoutingSnapshot = { rules: [], targets: new Map() };

describe('degraded alerts', () => {
  it('a route hears degraded events only when it names them', () => {
    const monitor = makeMonitor('m1', {
      alerts: [route('chat', null), route('pager', ['down', 'degraded', 'degraded-ended'])],
    });
    const names = (kind: 'degraded' | 'degraded-ended' | 'down') =>
      monitorRoutes(monitor, kind, ROUTING).map((r) => r.key);
    assert.deepEqual(names('degraded'), ['pager']);
    assert.deepEqual(names('degraded-ended'), ['pager']);
    assert.deepEqual(names('down'), ['chat', 'pager']);
    const startOnly = makeMonitor('m2', { alerts: [route('pager', ['degraded'])] });
    assert.deepEqual(monitorRoutes(startOnly, 'degraded-ended', ROUTING), []);
  });

  it('start fires and end resolves under one dedup key per episode', () => {
    const { degraded, degradedEnded } = SAMPLE_EVENTS;
    assert.equal(alertStatus(degraded), 'firing');
    assert.equal(alertStatus(degradedEnded), 'resolved');
    assert.equal(alertSeverity(degraded), 'warning');
    assert.equal(alertDedupKey(degraded), 'crosscheck-mon-api-dgr-0193b1');
    assert.equal(alertDedupKey(degradedEnded), alertDedupKey(degraded));
    const other = { ...degraded, idempotencyKey: 'mon-api:dgr-0193b2:degraded' };
    assert.notEqual(alertDedupKey(other), alertDedupKey(degraded), 'a new episode, a new key');
  });

  it('renders a title, the text and each node’s evidence, linking to the monitor', () => {
    const message = renderAlertMessage(SAMPLE_EVENTS.degraded, 'https://crosscheck.test');
    assert.equal(message.title, 'DEGRADED: Checkout API');
    assert.match(message.text, /^Degraded: 2 of 3 nodes/);
    assert.equal(message.evidence.length, 3);
    assert.equal(message.url, 'https://crosscheck.test/monitors/mon-api');
    const ended = renderAlertMessage(SAMPLE_EVENTS.degradedEnded, null);
    assert.equal(ended.title, 'NO LONGER DEGRADED: Checkout API');
  });
});
