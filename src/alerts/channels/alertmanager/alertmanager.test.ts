import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_EVENTS, sampleOutgoing } from '../../testing/sample-alerts.ts';
import { alertmanagerSettingsSchema, postableAlert } from './index.ts';
import { alertLabels } from './labels.ts';

const NOW = Date.UTC(2026, 11, 4, 4, 0, 0);
const settings = { labels: { team: 'payments' }, holdMinutes: 60 };

describe('alertmanager labels', () => {
  it('labels a down alert with its name, severity, monitor and dedup key', () => {
    assert.deepEqual(alertLabels(sampleOutgoing(SAMPLE_EVENTS.down), { team: 'payments' }), {
      team: 'payments',
      alertname: 'CrosscheckMonitorDown',
      severity: 'critical',
      monitor: 'Checkout API',
      monitor_id: 'mon-api',
      dedup_key: 'crosscheck-mon-api-inc-0193a1',
    });
  });

  it('resolves with exactly the labels the opening sent, even if the monitor was renamed', () => {
    const opened = {
      alertname: 'CrosscheckRegionalOutage',
      severity: 'warning',
      monitor: 'Old name',
    };
    const closing = sampleOutgoing(SAMPLE_EVENTS.recovered, JSON.stringify(opened));
    assert.deepEqual(alertLabels(closing, { team: 'other' }), opened);
  });

  it('derives the opening labels when the reference is missing or unreadable', () => {
    for (const ref of [null, 'not json', '{"severity":"critical"}', '{"alertname":3}']) {
      const labels = alertLabels(sampleOutgoing(SAMPLE_EVENTS.recovered, ref), {});
      assert.equal(labels['alertname'], 'CrosscheckMonitorDown', String(ref));
      assert.equal(labels['severity'], 'critical');
    }
    const nodeBack = alertLabels(sampleOutgoing(SAMPLE_EVENTS.nodeOnline), {});
    assert.equal(nodeBack['alertname'], 'CrosscheckNodeMissing');
    assert.equal(nodeBack['node'], 'fra-1');
  });
});

describe('alertmanager postable alert', () => {
  it('holds a firing alert open and ends a resolved one now', () => {
    const firing = postableAlert(sampleOutgoing(SAMPLE_EVENTS.down), settings, NOW);
    assert.equal(firing['endsAt'], new Date(NOW + 60 * 60_000).toISOString());
    assert.equal(firing['startsAt'], new Date(Date.UTC(2026, 11, 4, 3, 0, 0)).toISOString());
    const resolved = postableAlert(sampleOutgoing(SAMPLE_EVENTS.recovered), settings, NOW);
    assert.equal(resolved['endsAt'], new Date(NOW).toISOString());
  });

  it('takes Basic or Bearer authentication, not both, and a password only with a user', () => {
    const url = 'http://am.test:9093';
    assert.ok(alertmanagerSettingsSchema.safeParse({ url }).success);
    assert.ok(alertmanagerSettingsSchema.safeParse({ url, username: 'u', password: 'p' }).success);
    assert.ok(alertmanagerSettingsSchema.safeParse({ url, bearerToken: 't' }).success);
    assert.ok(!alertmanagerSettingsSchema.safeParse({ url, password: 'p' }).success);
    assert.ok(
      !alertmanagerSettingsSchema.safeParse({ url, username: 'u', password: 'p', bearerToken: 't' })
        .success,
    );
    assert.ok(!alertmanagerSettingsSchema.safeParse({ url, labels: { 'bad-name': 'x' } }).success);
  });
});
