import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Vote } from '../domain/consensus.ts';
import type { NodeMetricSource } from './cluster-metrics.ts';
import { alertOutcome, registerClusterMetrics } from './cluster-metrics.ts';

const nodes: NodeMetricSource[] = [
  {
    id: 'node_c',
    name: 'coord',
    region: 'eu',
    state: 'online',
    impaired: false,
    lastSeen: 10_000,
    checksPerSecond: 2.5,
    outboxBacklog: null,
  },
  {
    id: 'node_u',
    name: 'us-1',
    region: 'us',
    state: 'missing',
    impaired: true,
    lastSeen: 4_000,
    checksPerSecond: 1,
    outboxBacklog: 12,
  },
  {
    id: 'node_n',
    name: 'new',
    region: null,
    state: 'grace',
    impaired: false,
    lastSeen: null,
    checksPerSecond: null,
    outboxBacklog: null,
  },
];

function vote(outcome: Vote['outcome'], setAside: Vote['setAside'] = null) {
  return { outcome, setAside };
}

describe('cluster metrics', () => {
  it('exposes each node by id and region, with its name in the info series only', async () => {
    const registry = new Registry();
    registerClusterMetrics(
      registry,
      () => nodes,
      () => 10_000,
    );
    const text = await registry.metrics();
    assert.match(text, /crosscheck_node_info\{node_id="node_u",name="us-1",region="us"\} 1/);
    assert.match(text, /crosscheck_node_state\{node_id="node_u",region="us",state="missing"\} 1/);
    assert.match(text, /crosscheck_node_state\{node_id="node_u",region="us",state="online"\} 0/);
    assert.match(text, /crosscheck_node_impaired\{node_id="node_u",region="us"\} 1/);
    assert.match(text, /crosscheck_node_checks_per_second\{node_id="node_c",region="eu"\} 2.5/);
    assert.match(text, /crosscheck_node_outbox_results\{node_id="node_u",region="us"\} 12/);
    assert.doesNotMatch(text, /crosscheck_node_outbox_results\{node_id="node_c"/);
    assert.match(text, /crosscheck_node_last_seen_age_seconds\{node_id="node_u",region="us"\} 6/);
    assert.doesNotMatch(text, /crosscheck_node_last_seen_age_seconds\{node_id="node_n"/);
    assert.match(text, /crosscheck_region_nodes\{region="us",state="missing"\} 1/);
    assert.match(text, /crosscheck_region_nodes\{region="",state="grace"\} 1/);
    assert.match(text, /crosscheck_region_nodes\{region="eu",state="missing"\} 0/);
    assert.doesNotMatch(text, /crosscheck_node_(state|impaired)\{[^}]*name=/);
  });

  it('counts rounds by verdict, votes by vote and alerts by outcome with bounded reasons', async () => {
    const registry = new Registry();
    const metrics = registerClusterMetrics(
      registry,
      () => [],
      () => 0,
    );
    metrics.observeRound({
      verdict: 'down',
      openedAt: 0,
      decidedAt: 1_500,
      votes: [vote('fail'), vote('fail'), vote('no-answer'), vote('fail', 'impaired')],
    });
    metrics.observeAlert(alertOutcome({ status: 'sent' }), 'new-incident');
    metrics.observeAlert(alertOutcome({ status: 'pending' }), null);
    metrics.observeAlert('suppressed', 'maintenance');
    metrics.observeAlert('suppressed', 'Connection refused by 10.1.2.3');
    const text = await registry.metrics();
    assert.match(text, /crosscheck_rounds_total\{verdict="down"\} 1/);
    assert.match(text, /crosscheck_rounds_total\{verdict="up"\} 0/);
    assert.match(text, /crosscheck_round_duration_seconds_sum 1.5/);
    assert.match(text, /crosscheck_votes_total\{vote="fail"\} 2/);
    assert.match(text, /crosscheck_votes_total\{vote="no-answer"\} 1/);
    assert.match(text, /crosscheck_votes_total\{vote="set-aside"\} 1/);
    assert.match(text, /crosscheck_alert_deliveries_total\{outcome="sent",reason=""\} 1/);
    assert.match(text, /crosscheck_alert_deliveries_total\{outcome="retry",reason=""\} 1/);
    assert.match(text, /crosscheck_alert_deliveries_total\{outcome="failed",reason=""\} 0/);
    assert.match(
      text,
      /crosscheck_alert_deliveries_total\{outcome="suppressed",reason="maintenance"\} 1/,
    );
    assert.match(
      text,
      /crosscheck_alert_deliveries_total\{outcome="suppressed",reason="other"\} 1/,
    );
  });
});
