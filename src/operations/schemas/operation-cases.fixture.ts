import assert from 'node:assert/strict';
import type { Principal } from '../kit.ts';
import type { HealthShape } from './world.fixture.ts';
import { SECRET, TOTP_SECRET } from './world.fixture.ts';
import { totpCode } from '../../services/auth/totp.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';

// The calls `schemas.itest.ts` makes: one or more per operation, in the order they run
// (destructive ones last), each with what its real output must show.

/** Module-wide so TOTP cases can compute codes at the world's time. */
export const clock = new FakeClock(Date.UTC(2026, 0, 1));

export const ADMIN: Principal = {
  userId: 'u-1',
  name: 'ada',
  role: 'admin',
  access: 'write',
  via: 'local',
};

/** One call of an operation with input, in the order the cases run (destructive ones last). */
export interface Case {
  op: string;
  input: (ids: { monitor: string; second: string }) => Record<string, unknown>;
  health?: HealthShape;
  /** What the output must show, so the schema is checked on real, non-empty data. */
  expect?: (output: unknown) => void;
}

function field(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) current = (current as Record<string | number, unknown>)[key];
  return current;
}

function nonEmpty(...keys: (string | number)[]) {
  return (output: unknown) => {
    const list = field(output, ...keys);
    assert.ok(Array.isArray(list) && list.length > 0, `${keys.join('.')} is empty`);
  };
}

/** The rule `alerts.rules.add` created, for `alerts.rules.delete` to remove. */
let addedRule = '';
let pushMonitor = '';
let pushPath = '';

export const CASES: Case[] = [
  { op: 'system.health', input: () => ({}), health: 'coordinator' },
  { op: 'system.health', input: () => ({}), health: 'agent' },
  { op: 'system.health', input: () => ({}), health: 'offline' },
  { op: 'monitors.list', input: () => ({}), expect: nonEmpty('items') },
  {
    op: 'monitors.get',
    input: ({ monitor }) => ({ id: monitor }),
    expect: (output) => {
      assert.match(String(field(output, 'alerts', 0, 'target')), /^webhook-/);
      assert.ok(!JSON.stringify(output).includes(SECRET));
    },
  },
  { op: 'alerts.channels.list', input: () => ({}), expect: nonEmpty('items') },
  { op: 'checks.types.list', input: () => ({}), expect: nonEmpty('items') },
  {
    op: 'alerts.targets.list',
    input: () => ({}),
    expect: (output) => {
      nonEmpty('items')(output);
      assert.ok(!JSON.stringify(output).includes(SECRET), 'secrets are masked');
    },
  },
  {
    op: 'alerts.targets.create',
    input: () => ({
      name: 'ops-slack',
      type: 'slack',
      settings: { webhookUrl: 'http://127.0.0.1:9/services/T0/B0/secret-path' },
      template: { title: '{{ monitor.name }} is {{ event }}' },
    }),
    expect: (output) => assert.equal(field(output, 'type'), 'slack'),
  },
  {
    op: 'alerts.targets.update',
    input: () => ({ name: 'ops-slack', template: null }),
    expect: (output) => assert.equal(field(output, 'template'), null),
  },
  {
    op: 'alerts.targets.get',
    input: () => ({ name: 'ops-slack' }),
    expect: (output) => assert.ok(!JSON.stringify(output).includes('secret-path')),
  },
  {
    // Port 9 on loopback refuses: the result reports the failure rather than throwing.
    op: 'alerts.targets.test',
    input: () => ({ name: 'ops-slack' }),
    expect: (output) => assert.equal(field(output, 'ok'), false),
  },
  {
    op: 'alerts.rules.add',
    input: () => ({ scope: 'tag', value: 'web', target: 'ops-slack', repeatEveryMs: 3_600_000 }),
    expect: (output) => {
      assert.deepEqual(field(output, 'scope'), { kind: 'tag', tag: 'web' });
      addedRule = String(field(output, 'id'));
    },
  },
  { op: 'alerts.rules.list', input: () => ({}), expect: nonEmpty('items') },
  { op: 'monitors.update', input: ({ second }) => ({ id: second, patch: { tags: ['b'] } }) },
  { op: 'monitors.pause', input: ({ second }) => ({ id: second }) },
  { op: 'monitors.resume', input: ({ second }) => ({ id: second }) },
  {
    op: 'monitors.status',
    input: () => ({}),
    expect: (output) => {
      const row = (field(output, 'items') as { id: string }[]).find(
        (r) => field(r, 'name') === 'Shop',
      );
      assert.equal(field(row, 'status'), 'regional');
      assert.ok(field(row, 'failing') !== null && field(row, 'lastNode') !== null);
      nonEmpty('nodes')(row);
      nonEmpty('regionUptime')(row);
    },
  },
  {
    op: 'monitors.overview',
    input: () => ({ sort: 'state', state: 'regional,up', limit: '10' }),
    expect: (output) => {
      const row = (field(output, 'items') as unknown[]).find((r) => field(r, 'name') === 'Shop');
      assert.equal(field(row, 'state'), 'regional');
      // The compact strip: one character per day, 90 days.
      assert.equal((field(field(row, 'bars'), 'days') as string).length, 90);
      nonEmpty('sparkline')(row);
      nonEmpty('regions')(row);
      nonEmpty('regions')(output);
    },
  },
  { op: 'incidents.list', input: () => ({}), expect: nonEmpty('items') },
  { op: 'incidents.get', input: () => ({ id: 'inc-1' }), expect: nonEmpty('evidence', 0, 'votes') },
  {
    op: 'incidents.explain',
    input: () => ({ id: 'inc-1' }),
    expect: nonEmpty('rounds', 0, 'nodes'),
  },
  {
    op: 'incidents.ack',
    input: () => ({ id: 'inc-1', note: 'failing over' }),
    expect: (output) => {
      assert.equal(field(output, 'acknowledgement', 'by'), 'alice', 'the first author stays');
      assert.equal(field(output, 'acknowledgement', 'note'), 'failing over');
    },
  },
  {
    op: 'maintenance.create',
    input: ({ monitor }) => ({
      name: 'nightly',
      monitors: [monitor],
      tags: ['web'],
      cron: '0 22 * * *',
      durationMs: '2h',
      timezone: 'Europe/Berlin',
      reason: 'backups',
    }),
    expect: (output) => assert.equal(field(output, 'schedule', 'kind'), 'recurring'),
  },
  {
    op: 'maintenance.create',
    input: () => ({
      name: 'upgrade',
      nodes: ['fra-1'],
      startsAt: '2099-01-01T00:00:00Z',
      endsAt: '2099-01-01T02:00:00+01:00',
    }),
    expect: (output) => assert.ok(field(output, 'next') !== null),
  },
  { op: 'maintenance.list', input: () => ({}), expect: nonEmpty('items') },
  {
    op: 'maintenance.get',
    input: () => ({ id: 'nightly' }),
    expect: (output) => assert.ok(field(output, 'next', 'start') !== undefined),
  },
  {
    op: 'statuspages.create',
    input: ({ monitor }) => ({
      slug: 'acme',
      title: 'Acme',
      description: 'Our services',
      customDomains: 'status.acme.test',
      groups: [{ name: 'Web', monitorIds: [monitor] }],
      showRegions: 'true',
    }),
    expect: (output) => assert.equal(field(output, 'showRegions'), true),
  },
  {
    op: 'statuspages.update',
    input: ({ second }) => ({ id: 'acme', badgeMonitorIds: [second], description: '' }),
    expect: (output) => assert.equal(field(output, 'description'), null),
  },
  { op: 'statuspages.list', input: () => ({}), expect: nonEmpty('items') },
  { op: 'statuspages.get', input: () => ({ id: 'acme' }), expect: nonEmpty('groups') },
  {
    op: 'incidents.updates.add',
    input: () => ({ incident: 'inc-1', status: 'identified', message: 'A bad deploy' }),
    expect: (output) => assert.equal(field(output, 'public'), true),
  },
  {
    op: 'incidents.updates.add',
    input: () => ({ incident: 'inc-1', status: 'monitoring', message: 'note', public: false }),
  },
  {
    op: 'monitors.status.get',
    input: ({ monitor }) => ({ id: monitor }),
    expect: (output) => assert.equal(field(output, 'name'), 'Shop'),
  },
  {
    op: 'incidents.updates.list',
    input: () => ({ incident: 'inc-1' }),
    expect: (output) => assert.equal((field(output, 'items') as unknown[]).length, 2),
  },
  { op: 'results.list', input: ({ monitor }) => ({ monitor }), expect: nonEmpty('items') },
  {
    op: 'monitors.uptime',
    input: ({ monitor }) => ({ id: monitor, window: '24h' }),
    expect: (output) => ['regions', 'nodes'].forEach((key) => nonEmpty(key)(output)),
  },
  { op: 'monitors.rounds', input: ({ monitor }) => ({ id: monitor }), expect: nonEmpty('items') },
  {
    op: 'alerts.log',
    input: () => ({}),
    expect: (output) => {
      const items = field(output, 'items') as { status: string; attemptHistory: unknown[] }[];
      const statuses = new Set(items.map((i) => i.status));
      for (const status of ['retrying', 'sent', 'suppressed', 'pending'])
        assert.ok(statuses.has(status), `no ${status} entry`);
      assert.ok(items.some((i) => i.attemptHistory.length > 0));
    },
  },
  { op: 'nodes.list', input: () => ({}), expect: nonEmpty('items') },
  {
    op: 'nodes.get',
    input: () => ({ id: 'n-nyc' }),
    expect: (output) => nonEmpty('events')(output),
  },
  { op: 'nodes.get', input: () => ({ id: 'n-fra' }), expect: nonEmpty('anomalies') },
  { op: 'cluster.overview', input: () => ({}), expect: nonEmpty('regions') },
  { op: 'cluster.joinTokens.create', input: () => ({ expires: '1h' }) },
  {
    op: 'cluster.alerts.set',
    input: () => ({ alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/n' } }] }),
  },
  { op: 'cluster.alerts.get', input: () => ({}), expect: nonEmpty('alerts') },
  {
    op: 'probe.run',
    input: () => ({ type: 'http', target: 'http://127.0.0.1:9/', options: { headers: ['A: 1'] } }),
    expect: nonEmpty('nodes'),
  },
  { op: 'monitors.probe', input: ({ second }) => ({ id: second }), expect: nonEmpty('nodes') },
  { op: 'auth.me', input: () => ({}) },
  { op: 'users.list', input: () => ({}), expect: nonEmpty('items') },
  {
    op: 'users.create',
    input: () => ({ name: 'cy', role: 'viewer', password: 'a long password' }),
  },
  { op: 'users.update', input: () => ({ id: 'u-2', role: 'viewer', disabled: true }) },
  // The clock stands still: confirm with the previous step's code, disable with this one's.
  {
    op: 'users.totp.confirm',
    input: () => ({ code: totpCode(TOTP_SECRET, clock.now() - 30_000) }),
  },
  { op: 'users.totp.disable', input: () => ({ code: totpCode(TOTP_SECRET, clock.now()) }) },
  { op: 'users.totp.enrol', input: () => ({}) },
  { op: 'tokens.list', input: () => ({ all: 'true' }), expect: nonEmpty('items') },
  { op: 'tokens.create', input: () => ({ name: 'grafana', access: 'read', expires: '30d' }) },
  { op: 'monitors.create', input: () => ({ name: 'Third', type: 'tcp', target: '127.0.0.1:1' }) },
  {
    op: 'monitors.create',
    input: () => ({
      name: 'Nightly backup',
      type: 'push',
      target: 'nightly-backup',
      options: { periodMs: '1d' },
    }),
    expect: (output) => {
      assert.equal(field(output, 'options', 'token'), '***', 'the token is masked');
      pushMonitor = String(field(output, 'id'));
    },
  },
  {
    op: 'monitors.push-url',
    input: () => ({ id: pushMonitor }),
    expect: (output) => {
      pushPath = String(field(output, 'path'));
      assert.match(pushPath, /^\/api\/v1\/push\/[\w-]{20,}$/);
    },
  },
  {
    op: 'monitors.push-token.rotate',
    input: () => ({ id: pushMonitor }),
    expect: (output) => assert.notEqual(field(output, 'path'), pushPath, 'a new token'),
  },
  {
    op: 'incidents.group',
    input: () => ({ id: 'grp-1' }),
    expect: (output) => assert.equal(field(output, 'members', 0, 'incidentId'), 'inc-1'),
  },
  {
    op: 'incidents.evidence',
    input: () => ({ id: 'inc-1' }),
    expect: (output) => assert.ok(Array.isArray(field(output, 'items'))),
  },
  { op: 'tokens.revoke', input: () => ({ id: 'tok-1' }) },
  { op: 'users.delete', input: () => ({ id: 'u-2' }) },
  {
    op: 'config.export',
    input: () => ({}),
    expect: (output) => {
      // The Shop monitor's authorization header is a secret: a placeholder, never the value.
      assert.match(
        String(field(output, 'text')),
        /\$\{CROSSCHECK_SECRET_MONITOR_SHOP_OPTIONS_HEADERS_AUTHORIZATION\}/,
      );
      assert.doesNotMatch(String(field(output, 'text')), /Bearer token/);
      nonEmpty('secrets')(output);
    },
  },
  {
    op: 'config.apply',
    input: () => ({
      source: 'crosscheck.yaml',
      document: {
        version: 1,
        monitors: [
          { key: 'cache', name: 'Cache', type: 'tcp', target: '127.0.0.1:6379' },
          { name: 'Second', type: 'tcp', target: '127.0.0.1:2' },
        ],
      },
    }),
    expect: (output) => {
      assert.equal(field(output, 'written'), true);
      assert.equal(field(output, 'create', 0, 'key'), 'cache');
      assert.ok((field(output, 'update', 0, 'fields') as string[]).includes('target'));
      assert.equal(field(output, 'update', 0, 'adopt'), true);
    },
  },
  {
    op: 'monitors.bulk',
    input: ({ second }) => ({
      items: [
        { op: 'create', monitor: { name: 'Fourth', type: 'tcp', target: '127.0.0.1:1' } },
        { op: 'update', id: second, patch: { name: 'Second (bulk)' } },
        { op: 'create', monitor: { type: 'tcp' } },
      ],
    }),
    expect: (output) => {
      assert.equal(field(output, 'written'), 2);
      assert.equal(field(output, 'results', 2, 'ok'), false);
    },
  },
  { op: 'nodes.remove', input: () => ({ id: 'n-spare' }) },
  { op: 'maintenance.update', input: () => ({ id: 'upgrade', reason: 'kernel 7' }) },
  { op: 'maintenance.delete', input: () => ({ id: 'upgrade' }) },
  { op: 'statuspages.delete', input: () => ({ id: 'acme' }) },
  {
    op: 'alerts.rules.delete',
    input: () => ({ id: addedRule }),
  },
  { op: 'alerts.targets.delete', input: () => ({ name: 'ops-slack' }) },
  { op: 'monitors.delete', input: ({ second }) => ({ id: second }) },
];
