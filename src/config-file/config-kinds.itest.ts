import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../store/types.ts';
import { configFile, issuesOf, tempConfigService } from '../../test/helpers/config-apply.ts';
import type { ConfigService } from './config-service.ts';
import { loadConfigText } from './load.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import { summarizePlan } from './plan.ts';

const SOURCE = 'crosscheck.yaml';
const options = { source: SOURCE, prune: false, dryRun: false };
const file = configFile;

const ops = {
  name: 'ops',
  type: 'webhook',
  settings: { url: 'http://127.0.0.1:9/hook', headers: { Authorization: 'Bearer s3cret' } },
};
const FULL = file({
  alertTargets: [ops, { name: 'team', type: 'webhook', settings: { url: 'http://127.0.0.1:9/t' } }],
  alertRules: [
    { scope: 'group', value: 'core', target: 'ops', events: ['down'] },
    { key: 'fallback', scope: 'default', target: 'team' },
  ],
  monitors: [
    {
      name: 'api',
      type: 'tcp',
      target: '127.0.0.1:80',
      group: 'core',
      alerts: [{ target: 'ops' }],
    },
  ],
  maintenance: [
    {
      name: 'deploy',
      monitors: ['api'],
      groups: ['core'],
      startsAt: '2027-01-01T00:00:00Z',
      endsAt: '2027-01-01T02:00:00+01:00',
    },
    {
      key: 'weekly',
      name: 'Weekly backup',
      nodes: ['eu-1'],
      cron: '0 3 * * 0',
      durationMs: '2h',
      timezone: 'Europe/Berlin',
      reason: 'backups',
    },
  ],
  statusPages: [
    {
      slug: 'public',
      title: 'Acme',
      description: 'Our services',
      customDomains: ['status.acme.test'],
      groups: [{ name: 'Core', monitors: ['api'] }],
      showRegions: true,
      badgeMonitors: ['api'],
    },
  ],
});

describe('config service: every kind on a real SQLite store', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let service: ConfigService;
  let reloads = 0;

  before(async () => {
    ({ store, service, cleanup } = await tempConfigService(() => reloads++));
  });
  after(() => cleanup());

  it('writes targets, rules and monitors with their managed records, then changes nothing', async () => {
    const first = await service.apply(FULL, options);
    assert.equal(first.written, true);
    assert.equal(reloads, 1);
    assert.deepEqual(
      (await store.listManagedObjects()).map((r) => `${r.kind} ${r.key}`),
      [
        'alert-rule fallback',
        'alert-rule group/core/ops',
        'alert-target ops',
        'alert-target team',
        'maintenance deploy',
        'maintenance weekly',
        'monitor api',
        'status-page public',
      ],
    );
    const [api] = await store.listMonitors();
    const deploy = await store.getMaintenanceWindowByName('deploy');
    assert.deepEqual(deploy?.scope.monitors, [api?.id]);
    const page = await store.getStatusPageBySlug('public');
    assert.deepEqual(
      [page?.groups, page?.badgeMonitorIds],
      [[{ name: 'Core', monitorIds: [api?.id] }], [api?.id]],
    );
    const [rule] = await store.listAlertRules();
    assert.deepEqual(
      [rule?.scope, rule?.target, rule?.events],
      [{ kind: 'default' }, 'team', null],
    );
    const second = await service.apply(FULL, options);
    assert.equal(second.written, false);
    assert.equal(reloads, 1);
  });

  it('restores an edited target and page, and a rule removed elsewhere', async () => {
    const page = await store.getStatusPageBySlug('public');
    assert.ok(page);
    await store.updateStatusPage({ ...page, title: 'Edited', showDetails: true });
    const target = await store.getAlertTarget('ops');
    assert.ok(target);
    await store.updateAlertTarget({ ...target, settings: { url: 'http://127.0.0.1:9/edited' } });
    const rules = await store.listAlertRules();
    const grouped = rules.find((r) => r.scope.kind === 'group');
    assert.ok(grouped);
    await store.deleteAlertRule(grouped.id);
    assert.equal(await store.getManagedObject('alert-rule', grouped.id), undefined);
    const outcome = await service.apply(FULL, options);
    assert.deepEqual(
      outcome.plan.alertTargets.update.map((u) => [u.key, u.fields]),
      [['ops', ['settings.headers', 'settings.url']]],
    );
    assert.deepEqual(
      outcome.plan.alertRules.create.map((c) => c.key),
      ['group/core/ops'],
    );
    assert.deepEqual((await store.getAlertTarget('ops'))?.settings, ops.settings);
    assert.deepEqual(
      outcome.plan.statusPages.update.map((u) => [u.key, u.fields]),
      [['public', ['showDetails', 'title']]],
    );
    assert.equal((await store.getStatusPageBySlug('public'))?.title, 'Acme');
    assert.equal((await store.listAlertRules()).length, 2);
  });

  it('names every broken reference at once and writes nothing', async () => {
    const broken = file({
      alertTargets: [ops],
      alertRules: [{ scope: 'tag', value: 'prod', target: 'nope' }],
      monitors: [
        { name: 'api', type: 'tcp', target: '127.0.0.1:80', alerts: [{ target: 'gone' }] },
      ],
      maintenance: [{ name: 'x', monitors: ['api', 'ghost'], cron: '0 3 * * *', durationMs: '1h' }],
      statusPages: [{ slug: 'p', title: 'P', groups: [{ name: 'G', monitors: ['api', 'nope'] }] }],
    });
    const before = await store.listManagedObjects();
    assert.deepEqual(await issuesOf(service.apply(broken, { ...options, prune: true })), [
      'document.monitors.0.alerts.0.target: no alert target named "gone"',
      'document.alertRules.0.target: no alert target named "nope"',
      'document.maintenance.0.monitors.1: no monitor with key "ghost" in this file',
      'document.statusPages.0.groups.0.monitors.1: no monitor with key "nope" in this file',
    ]);
    assert.deepEqual(await store.listManagedObjects(), before);
  });

  it('refuses to prune a target something it keeps still routes to', async () => {
    await store.setNodeAlertRoutes([
      { target: 'team', events: null, repeatEveryMs: null, escalateAfterMs: null },
    ]);
    const withoutTeam = file({
      alertTargets: [ops],
      alertRules: FULL.alertRules?.filter((r) => r.target === 'ops'),
      monitors: FULL.monitors,
      maintenance: FULL.maintenance,
      statusPages: FULL.statusPages,
    });
    assert.deepEqual(await issuesOf(service.apply(withoutTeam, { ...options, prune: true })), [
      'document.alertTargets: alert target "team" (no longer in the file) is still used by node alerts',
    ]);
    await store.setNodeAlertRoutes([]);
    const pruned = await service.apply(withoutTeam, { ...options, prune: true });
    assert.deepEqual(
      pruned.plan.alertTargets.delete.map((d) => d.key),
      ['team'],
    );
    assert.deepEqual(
      pruned.plan.alertRules.delete.map((d) => d.key),
      ['fallback'],
    );
    assert.deepEqual(
      (await store.listAlertTargets()).map((t) => t.name),
      ['ops'],
    );
  });

  it('prunes only what the file manages and refuses a target another file manages', async () => {
    await store.insertAlertTarget({
      id: 'tgt-manual',
      name: 'manual',
      type: 'webhook',
      settings: { url: 'http://127.0.0.1:9/m' },
      template: null,
      createdAt: 1,
      updatedAt: 1,
    });
    assert.deepEqual(
      await issuesOf(
        service.apply(file({ alertTargets: [ops] }), { ...options, source: 'third.yaml' }),
      ),
      [
        'document.alertTargets.0.name: alert target "ops" already exists, managed by another config file or under another key',
      ],
    );
    const empty = await service.apply(file({}), { ...options, prune: true });
    assert.deepEqual(
      summarizePlan(empty.plan).delete.map((d) => `${d.kind} ${d.key}`),
      [
        'alert-target ops',
        'alert-rule group/core/ops',
        'monitor api',
        'maintenance deploy',
        'maintenance weekly',
        'status-page public',
      ],
    );
    assert.deepEqual(
      (await store.listAlertTargets()).map((t) => t.name),
      ['manual'],
    );
    assert.deepEqual(await store.listManagedObjects(), []);
  });

  it('exports every kind (inline channels as targets) and an empty store applies it to the same text', async () => {
    await service.apply(FULL, options);
    const inline = buildMonitor(
      {
        name: 'legacy',
        type: 'tcp',
        target: '127.0.0.1:81',
        alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/inline' } }],
      },
      'mon-legacy',
      1,
    );
    await store.insertMonitor(inline);
    const exported = await service.export({ includeSecrets: false });
    assert.doesNotMatch(exported.text, /s3cret/);
    assert.match(
      exported.text,
      /Authorization: \$\{CROSSCHECK_SECRET_ALERT_TARGET_OPS_SETTINGS_HEADERS_AUTHORIZATION\}/,
    );
    const inlineTarget = /- name: (webhook-[0-9a-f]{8})\n/.exec(exported.text)?.[1];
    assert.ok(inlineTarget, exported.text);
    assert.match(exported.text, new RegExp(`alerts:\\n\\s+- target: ${inlineTarget}`));
    assert.deepEqual(exported.warnings, []);

    const env: Record<string, string> = {
      CROSSCHECK_SECRET_ALERT_TARGET_OPS_SETTINGS_HEADERS_AUTHORIZATION: 'Bearer s3cret',
    };
    const loaded = await loadConfigText('exported.yaml', exported.text, (name) => env[name]);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const empty = await tempConfigService();
    try {
      const other = empty.service;
      await other.apply(loaded.config, { ...options, source: 'exported.yaml' });
      assert.equal((await other.export({ includeSecrets: false })).text, exported.text);
      assert.equal(
        (await other.export({ includeSecrets: true })).text,
        (await service.export({ includeSecrets: true })).text,
      );
    } finally {
      await empty.cleanup();
    }
  });
});
