import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../../src/cli/api-client.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import { dataDirPaths } from '../../src/config/data-dir.ts';
import { waitFor } from '../helpers/cli.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { metricsText, waitForMonitorStatus } from '../helpers/local-api.ts';
import { loopbackCluster } from '../helpers/loopback-cluster.ts';
import {
  dashboardExpressions,
  promqlMetricNames,
  promtool,
  promtoolMissing,
  ruleExpressions,
  scrapedNames,
} from '../helpers/prometheus.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

// A coordinator and an agent on loopback, a monitor that goes down by quorum and pages a
// webhook; then what Prometheus would scrape is linted with promtool, and every metric the
// shipped Grafana dashboard and alert rules query must be in it.

const ROOT = path.resolve(import.meta.dirname, '../..');
const RULES = path.join(ROOT, 'packaging/prometheus/alerts.yml');
const DASHBOARD = path.join(ROOT, 'packaging/grafana/crosscheck.json');
const skip = promtoolMissing() ?? false;
const cluster = loopbackCluster({ graceCount: 5 });

describe('Prometheus metrics, rules and dashboard', { skip }, () => {
  let target: TestServer;
  let healthy = true;
  let receiver: WebhookReceiver;
  let coordinator: ApiClient;
  let agent: ApiClient;
  let agentDir: string;
  let monitor: Monitor;
  const scrapes: { coordinator: string; agent: string } = { coordinator: '', agent: '' };

  before(async () => {
    target = await startHttpServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end(healthy ? 'ok' : 'unavailable');
    });
    receiver = await startWebhookReceiver();
    coordinator = (await cluster.startCoordinator('coord', 'eu')).api;
    const joined = await cluster.joinAgent(coordinator, 'us-1', 'us');
    agent = joined.api;
    agentDir = joined.dataDir;
    monitor = await coordinator.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'shop',
      type: 'http',
      target: `${target.origin}/`,
      intervalMs: 1_000,
      timeoutMs: 500,
      alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
    });
    await waitForMonitorStatus(coordinator, monitor.id, 'up');
    healthy = false;
    const [page] = await receiver.waitForRequests(1, 15_000);
    assert.equal(page?.headers['x-crosscheck-event'], 'down');
    // The sent delivery and an agent heartbeat since the agent ran checks are both in.
    scrapes.coordinator = await waitFor(
      async () => {
        const text = await metricsText(coordinator);
        // Any rate above 0: an agent checking once a second may report 0.95 after a late check.
        const agentRate =
          /crosscheck_node_checks_per_second\{node_id="[^"]+",region="us"\} ([0-9.e+-]+)/.exec(
            text,
          )?.[1];
        return /crosscheck_alert_deliveries_total\{outcome="sent",reason=""\} [1-9]/.test(text) &&
          Number(agentRate) > 0
          ? text
          : undefined;
      },
      20_000,
      () => 'alert sent and agent heartbeat in the metrics',
      200,
    );
    scrapes.agent = await metricsText(agent);
  });

  after(async () => {
    await cluster.cleanup();
    await receiver.close();
    await target.close();
  });

  it('serves /metrics only with credentials; a read-only token is enough', async () => {
    for (const api of [coordinator, agent]) {
      const response = await fetch(`${api.baseUrl}/metrics`);
      assert.equal(response.status, 401, `${api.baseUrl}/metrics without a token`);
    }
    // What docs/metrics.md tells Prometheus to use on the coordinator: a read-only API token.
    const { token } = await coordinator.request<{ token: string }>('POST', '/api/v1/tokens', {
      name: 'prometheus',
      access: 'read',
    });
    const scrape = await fetch(`${coordinator.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(scrape.status, 200);
    assert.match(await scrape.text(), /^crosscheck_build_info\{version="[^"]+"\} 1$/m);
    // On an agent: the scrape-only token in its data dir reads /metrics and nothing else.
    const file = dataDirPaths(agentDir).metricsToken;
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const headers = { authorization: `Bearer ${fs.readFileSync(file, 'utf8').trim()}` };
    const agentScrape = await fetch(`${agent.baseUrl}/metrics`, { headers });
    assert.equal(agentScrape.status, 200);
    assert.match(await agentScrape.text(), /^crosscheck_outbox_results \d+$/m);
    for (const url of ['/api/v1/health', '/api/v1/monitors']) {
      const refused = await fetch(`${agent.baseUrl}${url}`, { headers });
      assert.equal(refused.status, 401, `the metrics token on ${url}`);
    }
  });

  it('passes promtool check metrics on the coordinator and on the agent', () => {
    for (const [node, text] of Object.entries(scrapes)) {
      const { status, output } = promtool(['check', 'metrics'], text);
      assert.equal(output.trim(), '', `promtool on the ${node}'s metrics`);
      assert.equal(status, 0);
    }
  });

  it('shows the monitor down by quorum, its votes, its page and both nodes', () => {
    const text = scrapes.coordinator;
    const id = monitor.id;
    assert.match(text, new RegExp(`crosscheck_monitor_up\\{monitor_id="${id}"\\} 0`));
    assert.match(text, new RegExp(`crosscheck_monitor_info\\{monitor_id="${id}",name="shop"`));
    assert.match(
      text,
      new RegExp(`crosscheck_monitor_latency_seconds_count\\{monitor_id="${id}"\\} [1-9]`),
    );
    assert.match(
      text,
      new RegExp(`crosscheck_monitor_uptime_ratio\\{monitor_id="${id}",window="24h"\\} `),
    );
    assert.match(text, /crosscheck_rounds_total\{verdict="down"\} [1-9]/);
    assert.match(text, /crosscheck_votes_total\{vote="fail"\} [2-9]/);
    assert.match(text, /crosscheck_region_nodes\{region="us",state="online"\} 1/);
    assert.match(text, /crosscheck_node_info\{node_id="[^"]+",name="us-1",region="us"\} 1/);
    assert.match(text, /crosscheck_node_outbox_results\{node_id="[^"]+",region="us"\} \d+/);
    assert.match(text, /crosscheck_node_last_seen_age_seconds\{node_id="[^"]+",region="us"\} /);
    assert.doesNotMatch(text, new RegExp(target.origin), 'no target URL in any label');
    assert.match(scrapes.agent, /crosscheck_outbox_results \d+/);
    assert.match(scrapes.agent, /crosscheck_checks_total\{type="http",status="down"\} [1-9]/);
  });

  it('documents every Crosscheck metric family in docs/metrics.md', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/metrics.md'), 'utf8');
    const families = new Set(
      [...`${scrapes.coordinator}${scrapes.agent}`.matchAll(/^# TYPE crosscheck_(\w+) /gm)]
        .map((m) => m[1] ?? '')
        .filter((name) => !/^(process|nodejs)_/.test(name)),
    );
    assert.ok(families.size >= 25, `${families.size} families`);
    const undocumented = [...families].filter((name) => !doc.includes(`| \`${name}\``));
    assert.deepEqual(undocumented, []);
  });

  it('passes promtool check rules on the shipped alert rules', () => {
    const { status, output } = promtool(['check', 'rules', RULES]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS: \d+ rules found/);
  });

  it('queries in the dashboard and the rules only name metrics the nodes expose', () => {
    const exposed = new Set([...scrapedNames(scrapes.coordinator), ...scrapedNames(scrapes.agent)]);
    const queries = [...dashboardExpressions(DASHBOARD), ...ruleExpressions(RULES)];
    assert.ok(queries.length >= 30, `${queries.length} expressions found`);
    const missing: string[] = [];
    let names = 0;
    for (const { where, expr } of queries) {
      const used = promqlMetricNames(expr);
      assert.ok(used.length > 0, `${where} selects no metric: ${expr}`);
      names += used.length;
      for (const name of used) if (!exposed.has(name)) missing.push(`${where}: ${name}`);
    }
    assert.deepEqual(missing, [], 'every queried metric is exposed');
    assert.ok(names >= queries.length);
  });
});

describe('PromQL name extraction', () => {
  it('finds selectors, not functions, labels or Grafana variables, and rejects bad syntax', () => {
    assert.deepEqual(
      promqlMetricNames(
        'sum by (le) (rate(a_bucket{x="$v"}[$__rate_interval])) * on (id) group_left (name) b_info',
      ),
      ['a_bucket', 'b_info'],
    );
    assert.throws(() => promqlMetricNames('sum(rate(a[5m])'), /syntax error/);
  });
});
