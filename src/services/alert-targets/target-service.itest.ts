import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { AlertRoute } from '../../domain/alert-target.ts';
import type { Principal } from '../../domain/principal.ts';
import { isAppError, type ErrorCode } from '../../lib/errors.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../test/helpers/webhook-receiver.ts';
import { createAlertTargetService, type AlertTargetService } from './target-service.ts';

// The alert target service over real SQLite: validation per channel, masking, references that
// keep a target alive, the `--webhook URL` shorthand, rules, and test sends to real sockets.

const ADMIN: Principal = {
  userId: 'u1',
  name: 'root',
  role: 'admin',
  access: 'write',
  via: 'local',
};
const EDITOR: Principal = { ...ADMIN, userId: 'u2', name: 'ed', role: 'editor' };
const SECRET = 'hmac-secret-0123456789';
const HOOK = 'http://127.0.0.1:9/hook';

/** Awaits a rejection with an AppError of `code`, and (if given) an issue at `path`. */
async function rejects(promise: Promise<unknown>, code: ErrorCode, path?: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (path !== undefined) {
      assert.ok(
        error.issues.some((issue) => issue.path === path),
        `expected an issue at ${path}: ${JSON.stringify(error.issues)}`,
      );
    }
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('alert target service (SQLite)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let service: AlertTargetService;
  let changes: number;

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    changes = 0;
    let ids = 0;
    service = createAlertTargetService({
      store,
      clock,
      newId: () => `tgt_${++ids}`,
      newRuleId: () => `rule_${++ids}`,
      onChanged: () => changes++,
    });
  });
  afterEach(async () => {
    await cleanup();
  });

  const webhook = (name: string, settings: Record<string, unknown> = { url: HOOK }) =>
    service.create({ name, type: 'webhook', settings }, ADMIN);

  describe('create, list, get', () => {
    it('stores a target with validated settings and shows it with its secrets masked', async () => {
      const created = await webhook('ops', {
        url: `${HOOK}?token=abc123`,
        secret: SECRET,
        headers: { Authorization: 'Bearer very-secret-token' },
      });
      assert.equal(changes, 1);
      for (const view of [created, await service.get('ops'), ...(await service.list())]) {
        assert.equal(view.name, 'ops');
        assert.equal(view.type, 'webhook');
        const text = JSON.stringify(view);
        for (const secret of [SECRET, 'very-secret-token', 'abc123'])
          assert.ok(!text.includes(secret), `${secret} shown in ${text}`);
        assert.deepEqual(view.settings.headers, { Authorization: '***' });
        assert.equal(view.settings.secret, '***');
      }
      const stored = await store.getAlertTarget('ops');
      assert.equal(stored?.settings.secret, SECRET, 'the store keeps the real value');
    });

    it('rejects settings the channel refuses, naming the field', async () => {
      await rejects(webhook('ops', { url: 'ftp://example.test/' }), 'VALIDATION', 'settings.url');
      await rejects(
        webhook('ops', { url: HOOK, secret: 'short' }),
        'VALIDATION',
        'settings.secret',
      );
      await rejects(webhook('ops', { url: HOOK, colour: 'red' }), 'VALIDATION');
      await rejects(
        service.create({ name: 'x', type: 'carrier-pigeon', settings: {} }, ADMIN),
        'VALIDATION',
        'type',
      );
      assert.deepEqual(await service.list(), []);
      assert.equal(changes, 0);
    });

    it('enforces name rules and unique names', async () => {
      for (const name of ['', '-ops', 'ops slack', 'ops/1', 'x'.repeat(101)])
        await rejects(webhook(name), 'VALIDATION', 'name');
      await webhook('Ops_1.slack-2');
      await rejects(webhook('Ops_1.slack-2'), 'CONFLICT');
    });

    it('validates a template and keeps only its given parts', async () => {
      const created = await service.create(
        {
          name: 'ops',
          type: 'webhook',
          settings: { url: HOOK },
          template: { title: '{{ monitor.name }} down' },
        },
        ADMIN,
      );
      assert.deepEqual(created.template, { title: '{{ monitor.name }} down' });
      await rejects(
        service.create(
          { name: 'bad', type: 'webhook', settings: { url: HOOK }, template: { body: '{% if %}' } },
          ADMIN,
        ),
        'VALIDATION',
        'template.body',
      );
    });

    it('get of a missing target is NOT_FOUND', async () => {
      await rejects(service.get('nope'), 'NOT_FOUND');
    });
  });

  describe('update', () => {
    it('merges settings (null removes a key) and still validates them', async () => {
      await webhook('ops', { url: HOOK, secret: SECRET, timeoutMs: 2_000 });
      await clock.advance(5_000);
      const updated = await service.update(
        { name: 'ops', settings: { url: 'http://127.0.0.1:9/other', timeoutMs: null } },
        ADMIN,
      );
      const stored = await store.getAlertTarget('ops');
      assert.deepEqual(stored?.settings, { url: 'http://127.0.0.1:9/other', secret: SECRET });
      assert.equal(updated.updatedAt, clock.now());
      assert.equal(changes, 2);
      await rejects(
        service.update({ name: 'ops', settings: { url: 'not a url' } }, ADMIN),
        'VALIDATION',
        'settings.url',
      );
      await rejects(
        service.update({ name: 'ops', settings: { url: null } }, ADMIN),
        'VALIDATION',
        'settings.url',
      );
      assert.equal((await store.getAlertTarget('ops'))?.settings.url, 'http://127.0.0.1:9/other');
      await rejects(service.update({ name: 'nope', settings: {} }, ADMIN), 'NOT_FOUND');
    });

    it('sets, keeps and removes the template', async () => {
      await webhook('ops');
      await service.update({ name: 'ops', template: { body: 'down: {{ monitor.name }}' } }, ADMIN);
      await service.update({ name: 'ops', settings: { timeoutMs: 1_000 } }, ADMIN);
      assert.deepEqual((await service.get('ops')).template, { body: 'down: {{ monitor.name }}' });
      await service.update({ name: 'ops', template: null }, ADMIN);
      assert.equal((await service.get('ops')).template, null);
    });
  });

  describe('delete', () => {
    it('is refused while a monitor, a rule or node alerts route to the target, allowed after', async () => {
      await webhook('ops');
      const route: AlertRoute = {
        target: 'ops',
        events: null,
        repeatEveryMs: null,
        escalateAfterMs: null,
      };
      await store.insertMonitor(makeMonitor('mon_1', { name: 'api', alerts: [route] }));
      const rule = await service.addRule({ scope: 'tag', value: 'prod', target: 'ops' });
      await store.setNodeAlertRoutes([route]);

      const error = await rejects(service.remove('ops'), 'CONFLICT');
      assert.match(error.message, /monitor api/);
      assert.match(error.message, /1 routing rule/);
      assert.match(error.message, /node alerts/);

      await store.deleteMonitor('mon_1');
      await service.removeRule(rule.id);
      await rejects(service.remove('ops'), 'CONFLICT');
      await store.setNodeAlertRoutes([]);
      const before = changes;
      await service.remove('ops');
      assert.equal(changes, before + 1);
      await rejects(service.get('ops'), 'NOT_FOUND');
      await rejects(service.remove('ops'), 'NOT_FOUND');
    });

    it('a monitor’s regional list keeps the target alive too', async () => {
      await webhook('ops');
      const route: AlertRoute = {
        target: 'ops',
        events: null,
        repeatEveryMs: null,
        escalateAfterMs: null,
      };
      await store.insertMonitor(
        makeMonitor('mon_1', { name: 'api', alerts: [], regionalAlerts: [route] }),
      );
      await rejects(service.remove('ops'), 'CONFLICT');
    });
  });

  describe('command channel', () => {
    const command = { command: '/usr/bin/true', args: [], env: { TOKEN: 'command-secret' } };

    it('is for admins only: an editor may not create or edit one', async () => {
      await rejects(
        service.create({ name: 'run', type: 'command', settings: command }, EDITOR),
        'FORBIDDEN',
      );
      const created = await service.create(
        { name: 'run', type: 'command', settings: command },
        ADMIN,
      );
      assert.deepEqual(created.settings.env, { TOKEN: '***' });
      await rejects(
        service.update({ name: 'run', settings: { args: ['x'] } }, EDITOR),
        'FORBIDDEN',
      );
      // Other channels are open to editors.
      await service.create({ name: 'ops', type: 'webhook', settings: { url: HOOK } }, EDITOR);
    });
  });

  describe('materializeRoutes (the --webhook shorthand)', () => {
    const inline = (url: string): AlertRoute => ({ channel: 'webhook', settings: { url } });

    it('creates a `<channel>-<hash>` target once and reuses it for the same settings', async () => {
      const [first] = await service.materializeRoutes([inline(HOOK)], 'alerts');
      assert.ok(first !== undefined && 'target' in first);
      assert.match(first.target, /^webhook-[0-9a-f]{8}$/);
      assert.deepEqual(first, {
        target: first.target,
        events: null,
        repeatEveryMs: null,
        escalateAfterMs: null,
      });
      assert.equal(changes, 1);
      const again = await service.materializeRoutes(
        [inline(HOOK), inline('http://127.0.0.1:9/b')],
        'alerts',
      );
      assert.deepEqual(again[0], first);
      assert.notDeepEqual(again[1], first);
      assert.equal((await service.list()).length, 2);
      assert.equal(changes, 2);
    });

    it('reuses an existing target with the same channel and settings, whatever its name', async () => {
      await webhook('ops');
      const [route] = await service.materializeRoutes([inline(HOOK)], 'alerts');
      assert.deepEqual(route, {
        target: 'ops',
        events: null,
        repeatEveryMs: null,
        escalateAfterMs: null,
      });
      assert.deepEqual(
        (await service.list()).map((t) => t.name),
        ['ops'],
      );
    });

    it('does not reuse a generated target whose settings were edited since', async () => {
      const [route] = await service.materializeRoutes([inline(HOOK)], 'alerts');
      assert.ok(route !== undefined && 'target' in route);
      await service.update(
        { name: route.target, settings: { url: 'http://127.0.0.1:9/edited' } },
        ADMIN,
      );
      const [again] = await service.materializeRoutes([inline(HOOK)], 'alerts');
      assert.ok(again !== undefined && 'target' in again);
      assert.notEqual(again.target, route.target);
      assert.equal((await store.getAlertTarget(again.target))?.settings.url, HOOK);
    });

    it('passes routes to existing targets through and rejects missing ones with the field path', async () => {
      await webhook('ops');
      const ops: AlertRoute = {
        target: 'ops',
        events: ['down'],
        repeatEveryMs: 600_000,
        escalateAfterMs: null,
      };
      assert.deepEqual(await service.materializeRoutes([ops], 'alerts'), [ops]);
      const missing: AlertRoute = { ...ops, target: 'gone' };
      await rejects(
        service.materializeRoutes([ops, missing], 'alerts'),
        'VALIDATION',
        'alerts.1.target',
      );
      await rejects(
        service.materializeRoutes([inline('ftp://nope')], 'regionalAlerts'),
        'VALIDATION',
        'regionalAlerts.0.settings.url',
      );
    });
  });

  describe('rules', () => {
    beforeEach(async () => {
      await webhook('ops');
    });

    it('adds, lists and deletes rules of every scope', async () => {
      const before = changes;
      const group = await service.addRule({
        scope: 'group',
        value: 'web',
        target: 'ops',
        events: ['down'],
      });
      const tag = await service.addRule({
        scope: 'tag',
        value: 'prod',
        target: 'ops',
        repeatEveryMs: 600_000,
      });
      const fallback = await service.addRule({
        scope: 'default',
        target: 'ops',
        escalateAfterMs: 1_800_000,
      });
      assert.equal(changes, before + 3);
      assert.deepEqual(group.scope, { kind: 'group', group: 'web' });
      assert.deepEqual(tag.scope, { kind: 'tag', tag: 'prod' });
      assert.deepEqual(fallback.scope, { kind: 'default' });
      assert.match(group.id, /^rule_/);
      assert.equal(tag.events, null);
      assert.equal(tag.repeatEveryMs, 600_000);
      const listed = await service.listRules();
      assert.deepEqual(listed.map((r) => r.id).sort(), [group.id, tag.id, fallback.id].sort());
      await service.removeRule(tag.id);
      assert.equal((await service.listRules()).length, 2);
      assert.equal(changes, before + 4);
      await rejects(service.removeRule(tag.id), 'NOT_FOUND');
    });

    it('validates the scope, the target and the events', async () => {
      await rejects(service.addRule({ scope: 'group', target: 'ops' }), 'VALIDATION', 'value');
      await rejects(service.addRule({ scope: 'tag', target: 'ops' }), 'VALIDATION', 'value');
      await rejects(
        service.addRule({ scope: 'default', value: 'x', target: 'ops' }),
        'VALIDATION',
        'value',
      );
      await rejects(
        service.addRule({ scope: 'team', value: 'x', target: 'ops' }),
        'VALIDATION',
        'scope',
      );
      await rejects(service.addRule({ scope: 'default', target: 'gone' }), 'VALIDATION', 'target');
      await rejects(
        service.addRule({ scope: 'default', target: 'ops', events: ['exploded'] }),
        'VALIDATION',
        'events.0',
      );
      await rejects(
        service.addRule({ scope: 'default', target: 'ops', events: [] }),
        'VALIDATION',
        'events',
      );
      await rejects(
        service.addRule({ scope: 'default', target: 'ops', repeatEveryMs: 1 }),
        'VALIDATION',
        'repeatEveryMs',
      );
      assert.deepEqual(await service.listRules(), []);
    });

    it('the same scope routes to a target once', async () => {
      await service.addRule({ scope: 'group', value: 'web', target: 'ops' });
      await rejects(service.addRule({ scope: 'group', value: 'web', target: 'ops' }), 'CONFLICT');
      await service.addRule({ scope: 'group', value: 'db', target: 'ops' });
    });
  });

  describe('test send', () => {
    let receiver: WebhookReceiver;
    before(async () => {
      receiver = await startWebhookReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    it('sends a marked sample and returns the provider’s answer', async () => {
      receiver.respondNext(1, 202, { body: 'queued by the test receiver' });
      await webhook('ops', { url: receiver.url, secret: SECRET });
      const result = await service.test('ops');
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.status, 202);
      assert.ok(result.ok && result.answer.includes('queued by the test receiver'));
      const [request] = await receiver.waitForRequests(1);
      assert.ok(request !== undefined);
      assert.ok(receiver.verifySignature(request, SECRET));
      assert.match(request.rawBody, /test alert/i);
    });

    it('a refused connection is a retryable failure, without the secret', async () => {
      const port = await closedPort();
      await webhook('down', { url: `http://127.0.0.1:${port}/hook?token=refused-secret` });
      const result = await service.test('down');
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.retryable, JSON.stringify(result));
      assert.ok(!JSON.stringify(result).includes('refused-secret'));
    });

    it('a provider’s final answer is not retryable', async () => {
      receiver.respondNext(1, 400, { body: 'bad payload' });
      await webhook('ops', { url: receiver.url });
      const result = await service.test('ops');
      assert.equal(result.ok, false);
      assert.equal(result.status, 400);
      assert.ok(!result.ok && !result.retryable);
    });

    it('a missing target is NOT_FOUND', async () => {
      await rejects(service.test('nope'), 'NOT_FOUND');
    });
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
