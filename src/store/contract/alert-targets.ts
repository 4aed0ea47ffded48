// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertRule, AlertTarget } from '../../domain/alert-target.ts';
import type { MakeStore } from './fixtures.ts';
import { T0, makeDelivery, makeMonitor, rejectsWithCode, withStore } from './fixtures.ts';

export function makeTarget(name: string, overrides: Partial<AlertTarget> = {}): AlertTarget {
  return {
    id: `tgt-${name}`,
    name,
    type: 'webhook',
    settings: { url: 'https://hooks.test/x', headers: { Authorization: 'Bearer s3cret' } },
    template: { title: '{{ monitor.name }} is {{ kind }}' },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function makeRule(id: string, overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    scope: { kind: 'group', group: 'web' },
    target: 'ops',
    events: ['down', 'recovered'],
    repeatEveryMs: 1_800_000,
    escalateAfterMs: null,
    createdAt: T0,
    ...overrides,
  };
}

/** Alert targets and routing rules: stored whole, unique names, one rule per scope and target. */
export function alertTargetContract(makeStore: MakeStore): void {
  it('stores targets whole (secrets and template included), by name, listed by name', () =>
    withStore(makeStore, async (store) => {
      await store.insertAlertTarget(makeTarget('ops'));
      await store.insertAlertTarget(
        makeTarget('billing', {
          type: 'slack',
          template: null,
          settings: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' },
        }),
      );
      assert.deepEqual(await store.getAlertTarget('ops'), makeTarget('ops'));
      assert.deepEqual(
        (await store.listAlertTargets()).map((t) => t.name),
        ['billing', 'ops'],
      );
      assert.equal(await store.getAlertTarget('nope'), undefined);
    }));

  it('refuses a second target with the same name (CONFLICT) and keeps the first', () =>
    withStore(makeStore, async (store) => {
      await store.insertAlertTarget(makeTarget('ops'));
      await rejectsWithCode(
        store.insertAlertTarget(makeTarget('ops', { id: 'tgt-other', type: 'slack' })),
        'CONFLICT',
      );
      assert.equal((await store.getAlertTarget('ops'))?.type, 'webhook');
    }));

  it('updates settings and template; NOT_FOUND for a target that is gone; deletes', () =>
    withStore(makeStore, async (store) => {
      await store.insertAlertTarget(makeTarget('ops'));
      const changed = makeTarget('ops', {
        settings: { url: 'https://hooks.test/y' },
        template: null,
        updatedAt: T0 + 5,
      });
      await store.updateAlertTarget(changed);
      assert.deepEqual(await store.getAlertTarget('ops'), changed);
      await rejectsWithCode(store.updateAlertTarget(makeTarget('ghost')), 'NOT_FOUND');
      assert.equal(await store.deleteAlertTarget('ops'), true);
      assert.equal(await store.deleteAlertTarget('ops'), false);
    }));

  it('stores rules of every scope whole, one per scope and target, and deletes them', () =>
    withStore(makeStore, async (store) => {
      const rules = [
        makeRule('r1'),
        makeRule('r2', {
          scope: { kind: 'tag', tag: 'payments' },
          events: null,
          repeatEveryMs: null,
          escalateAfterMs: 900_000,
        }),
        makeRule('r3', { scope: { kind: 'default' }, target: 'fallback' }),
      ];
      for (const rule of rules) await store.insertAlertRule(rule);
      const listed = await store.listAlertRules();
      assert.deepEqual(
        [...listed].sort((a, b) => a.id.localeCompare(b.id)),
        rules,
      );
      await rejectsWithCode(store.insertAlertRule(makeRule('r4')), 'CONFLICT');
      await store.insertAlertRule(makeRule('r5', { target: 'other' }));
      assert.equal(await store.deleteAlertRule('r1'), true);
      assert.equal(await store.deleteAlertRule('r1'), false);
      assert.deepEqual((await store.listAlertRules()).map((r) => r.id).sort(), ['r2', 'r3', 'r5']);
    }));

  it('keeps monitor routes that name targets, with their events and timing', () =>
    withStore(makeStore, async (store) => {
      const monitor = makeMonitor('m1', {
        alerts: [
          {
            target: 'ops',
            events: ['down', 'regional'],
            repeatEveryMs: 600_000,
            escalateAfterMs: null,
          },
        ],
        regionalAlerts: [
          { target: 'eu-team', events: null, repeatEveryMs: null, escalateAfterMs: null },
        ],
      });
      await store.insertMonitor(monitor);
      const stored = await store.getMonitor('m1');
      assert.deepEqual(stored?.alerts, monitor.alerts);
      assert.deepEqual(stored?.regionalAlerts, monitor.regionalAlerts);
    }));

  it('keeps a delivery’s target and the provider reference its send returned', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const delivery = makeDelivery('d1', 'm1', { target: 'ops', settings: {}, nextAttemptAt: T0 });
      await store.commitBatch({
        results: [],
        states: [],
        incidentsOpened: [],
        incidentsResolved: [],
        alerts: [delivery],
      });
      const [due] = await store.dueAlertDeliveries(T0, 10);
      assert.equal(due?.target, 'ops');
      await store.updateAlertDelivery('d1', {
        status: 'sent',
        attempts: 1,
        nextAttemptAt: T0,
        lastError: null,
        sentAt: T0,
        providerRef: '42',
      });
      const [stored] = await store.listAlertDeliveries({ monitorId: 'm1' });
      assert.equal(stored?.providerRef, '42');
    }));
}
