import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../domain/node.ts';
import type { IncidentUpdate, StatusPage } from '../domain/status-page.ts';
import type { MonitorUptime } from '../domain/uptime.ts';
import { makeIncident, makeMonitor, makeState } from '../store/contract/fixtures.ts';
import { latencyBadge, statusBadge, uptimeBadge } from './badge.ts';
import type { PageInputs } from './build-model.ts';
import { BAR_DAYS, DAY_MS, buildPageModel, dayBars } from './build-model.ts';
import { renderAtom, renderRss } from './render-feed.ts';
import { renderStatusPage } from './render-page.ts';
import { pageSummary } from './summary.ts';

const NOW = Date.UTC(2026, 5, 1, 12);
const SECRETS = ['10.9.8.7:8443', 'ECONNREFUSED from-secret-error', 'node-secret-fra', 'cause-xyz'];

function page(overrides: Partial<StatusPage> = {}): StatusPage {
  return {
    id: 'sp-1',
    slug: 'acme',
    title: 'Acme <script>alert(1)</script>',
    description: 'Fish & "chips"',
    customDomains: [],
    groups: [{ name: 'Web & API', monitorIds: ['m1', 'gone'] }],
    showRegions: false,
    showDetails: false,
    badgeMonitorIds: [],
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function update(id: string, overrides: Partial<IncidentUpdate>): IncidentUpdate {
  return {
    id,
    incidentId: 'inc-1',
    status: 'identified',
    message: 'public <b>words</b>',
    public: true,
    author: 'alice',
    createdAt: NOW - 1_000,
    ...overrides,
  };
}

/** Steady uptime: every k-day window fully observed, 30 min down inside the last day. */
function figures(): MonitorUptime[] {
  return Array.from({ length: BAR_DAYS }, (_, i) => {
    const observedMs = (i + 1) * DAY_MS;
    const downMs = 1_800_000;
    return { observedMs, downMs, uptime: 1 - downMs / observedMs, regions: [] };
  });
}

function inputs(p: StatusPage): PageInputs {
  const monitor = makeMonitor('m1', { name: 'Shop <main>', target: 'https://10.9.8.7:8443/' });
  const node = { id: 'n-1', name: 'node-secret-fra', region: 'eu-west' } as ClusterNode;
  return {
    page: p,
    monitors: [monitor],
    states: new Map([
      [
        'm1',
        makeState('m1', {
          status: 'regional',
          lastMessage: 'ECONNREFUSED from-secret-error',
          lastLatencyMs: 123,
          failingNodes: ['n-1'],
          failingRegions: ['eu-west'],
          openIncident: {
            id: 'inc-1',
            startedAt: NOW - 3_600_000,
            verdict: 'regional',
            regions: ['ap-south'],
            openedAt: NOW - 3_500_000,
            confirmedBy: ['n-1'],
            pages: {},
          },
        }),
      ],
    ]),
    uptime: new Map([['m1', figures()]]),
    incidents: [
      {
        ...makeIncident('inc-1', 'm1', NOW - 3_600_000),
        verdict: 'regional',
        regions: ['ap-south'],
        cause: 'cause-xyz',
      },
    ],
    updates: [
      update('u1', {}),
      update('u2', { public: false, message: 'internal-note-xyz', createdAt: NOW - 500 }),
    ],
    windows: [],
    nodes: [node],
  };
}

describe('status page rendering', () => {
  it('stays current through its script, never a meta refresh (it reloads under readers)', () => {
    const html = renderStatusPage(buildPageModel(inputs(page()), NOW));
    assert.doesNotMatch(html, /http-equiv="refresh"/);
    assert.match(html, /<script src="\/status-assets\/live\.js" defer><\/script>/);
  });

  it('escapes every text it shows', () => {
    const html = renderStatusPage(buildPageModel(inputs(page()), NOW));
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /Acme &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /Fish &amp; &quot;chips&quot;/);
    assert.match(html, /Shop &lt;main&gt;/);
    assert.match(html, /public &lt;b&gt;words&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>words/);
  });

  it('shows no node name, error, target or cause unless the page opts in', () => {
    const model = buildPageModel(inputs(page()), NOW);
    const outputs = [
      renderStatusPage(model),
      renderRss(model, 'http://x'),
      renderAtom(model, 'http://x'),
      JSON.stringify(pageSummary(model)),
    ];
    for (const output of outputs)
      for (const secret of SECRETS) assert.ok(!output.includes(secret), `${secret} leaked`);

    const detailed = renderStatusPage(buildPageModel(inputs(page({ showDetails: true })), NOW));
    for (const secret of SECRETS) assert.ok(detailed.includes(secret), `${secret} not shown`);
  });

  it('never publishes internal notes', () => {
    const model = buildPageModel(inputs(page({ showDetails: true })), NOW);
    for (const output of [renderStatusPage(model), renderRss(model, 'http://x')])
      assert.ok(!output.includes('internal-note-xyz'));
    assert.equal(model.activeIncidents[0]?.status, 'identified');
  });

  it('breaks state down by region only when the page asks', () => {
    const plain = buildPageModel(inputs(page()), NOW);
    assert.deepEqual(plain.groups[0]?.monitors[0]?.regions, []);
    assert.doesNotMatch(renderStatusPage(plain), /ap-south/);
    const regional = buildPageModel(inputs(page({ showRegions: true })), NOW);
    assert.deepEqual(regional.groups[0]?.monitors[0]?.regions, [
      { region: 'ap-south', status: 'down' },
      { region: 'eu-west', status: 'degraded' },
    ]);
    const html = renderStatusPage(regional);
    assert.match(html, /down in ap-south, degraded in eu-west/);
    assert.equal(regional.overall, 'partial-outage');
  });

  it('skips monitors that no longer exist', () => {
    const model = buildPageModel(inputs(page()), NOW);
    assert.deepEqual(
      model.groups[0]?.monitors.map((m) => m.id),
      ['m1'],
    );
  });

  it('draws 90 day bars from nested windows, the last day holding the downtime', () => {
    const bars = dayBars(figures(), NOW);
    assert.equal(bars.length, BAR_DAYS);
    assert.equal(bars[0]?.from, NOW - BAR_DAYS * DAY_MS);
    assert.equal(bars.at(-1)?.to, NOW);
    assert.equal(bars.at(-1)?.downMs, 1_800_000);
    assert.ok(bars.slice(0, -1).every((b) => b.downMs === 0 && b.uptime === 1));
    assert.deepEqual(dayBars([], NOW)[0], {
      from: NOW - BAR_DAYS * DAY_MS,
      to: NOW - (BAR_DAYS - 1) * DAY_MS,
      uptime: null,
      downMs: 0,
    });
  });

  it('writes well-formed feeds with the public updates', () => {
    const model = buildPageModel(inputs(page()), NOW);
    const rss = renderRss(model, 'https://status.acme.test');
    assert.match(rss, /^<\?xml version="1\.0" encoding="utf-8"\?>\s*<rss[^>]*version="2\.0"/);
    assert.match(
      rss,
      /<item>[\s\S]*<title><!\[CDATA\[Regional outage: Shop <main> — Identified\]\]><\/title>/,
    );
    assert.match(rss, /https:\/\/status\.acme\.test\/status\/acme#inc-1/);
    const atom = renderAtom(model, 'https://status.acme.test');
    assert.match(
      atom,
      /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">[\s\S]*<entry>[\s\S]*<\/entry>\s*<\/feed>\s*$/,
    );
  });

  it('draws badges with escaped text', () => {
    const model = buildPageModel(inputs(page()), NOW);
    const monitor = model.groups[0]?.monitors[0];
    assert.ok(monitor);
    const status = statusBadge(monitor);
    assert.match(status, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(status, /Shop &lt;main&gt;: partial outage/);
    assert.match(uptimeBadge(monitor, '24h'), /uptime 24h: 97\.91%/);
    assert.match(latencyBadge(monitor), /latency: 123 ms/);
  });
});
