import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CheckStatus } from '../domain/check-result.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import { applyResult } from './monitor-state-machine.ts';
import type { StateEffect, StatePolicy } from './monitor-state-machine.ts';

const policy: StatePolicy = {
  monitorId: 'mon_a',
  failureThreshold: 2,
  recoveryThreshold: 2,
  degradedIsDown: false,
  alertCooldownMs: 300_000,
};

function run(statuses: CheckStatus[], p: StatePolicy = policy, stepMs = 30_000) {
  let state = initialRuntimeState(p.monitorId);
  const steps: { state: MonitorRuntimeState; effects: StateEffect[] }[] = [];
  statuses.forEach((status, i) => {
    const at = 1_000_000 + i * stepMs;
    const step = applyResult(
      state,
      {
        status,
        checkedAt: at,
        latencyMs: 5,
        message: status,
        errorKind: status === 'down' ? 'refused' : null,
      },
      p,
      at + 10,
      `inc_${i}`,
    );
    state = step.state;
    steps.push(step);
  });
  return { state, steps, effects: steps.flatMap((s) => s.effects) };
}

const ofType = <T extends StateEffect['type']>(effects: StateEffect[], type: T) =>
  effects.filter((e): e is Extract<StateEffect, { type: T }> => e.type === type);

describe('monitor state machine', () => {
  it('starts pending and becomes up on the first success', () => {
    const { steps } = run(['up']);
    assert.equal(steps[0]?.state.status, 'up');
    assert.deepEqual(steps[0]?.effects, [{ type: 'status-changed', from: 'pending', to: 'up' }]);
  });

  it('stays pending below the failure threshold, then opens one incident with its start', () => {
    const { steps } = run(['down', 'down', 'down']);
    assert.equal(steps[0]?.state.status, 'pending');
    assert.equal(steps[1]?.state.status, 'down');
    const opened = ofType(steps[1]?.effects ?? [], 'incident-opened');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.incident.startedAt, 1_000_000, 'starts at the first failing result');
    assert.equal(opened[0]?.incident.id, 'inc_1');
    assert.equal(ofType(steps[2]?.effects ?? [], 'incident-opened').length, 0);
  });

  it('resolves after recoveryThreshold successes with the duration to the first success', () => {
    const { effects, state } = run(['up', 'down', 'down', 'up', 'up']);
    const resolved = ofType(effects, 'incident-resolved');
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]?.startedAt, 1_030_000);
    assert.equal(resolved[0]?.endedAt, 1_090_000);
    assert.equal(resolved[0]?.durationMs, 60_000);
    assert.equal(state.status, 'up');
    assert.equal(state.openIncident, null);
    const alerts = ofType(effects, 'alert').map((a) => a.kind);
    assert.deepEqual(alerts, ['down', 'recovered']);
  });

  it('a single success inside an outage does not resolve it', () => {
    const { state } = run(['down', 'down', 'up', 'down']);
    assert.equal(state.status, 'down');
    assert.notEqual(state.openIncident, null);
  });

  it('degraded is shown but opens no incident by default', () => {
    const { state, effects } = run(['degraded', 'degraded', 'degraded']);
    assert.equal(state.status, 'degraded');
    assert.equal(ofType(effects, 'incident-opened').length, 0);
  });

  it('degraded opens incidents when degradedIsDown is set', () => {
    const { state, effects } = run(['degraded', 'degraded'], { ...policy, degradedIsDown: true });
    assert.equal(state.status, 'down');
    assert.equal(ofType(effects, 'incident-opened').length, 1);
  });

  it('suppresses a down alert inside the cooldown but always sends recoveries', () => {
    // Outage, recovery, outage again within 5 minutes (steps of 10 s).
    const { effects } = run(
      ['down', 'down', 'up', 'up', 'down', 'down', 'up', 'up'],
      policy,
      10_000,
    );
    const alerts = ofType(effects, 'alert').map((a) => `${a.kind}:${a.suppressed}`);
    assert.deepEqual(alerts, ['down:false', 'recovered:false', 'down:true', 'recovered:false']);
  });

  it('idempotency keys name monitor, incident and transition', () => {
    const { effects } = run(['down', 'down', 'up', 'up']);
    assert.deepEqual(
      ofType(effects, 'alert').map((a) => a.idempotencyKey),
      ['mon_a:inc_1:down', 'mon_a:inc_1:recovered'],
    );
  });
});

const statusArb = fc.constantFrom<CheckStatus>('up', 'down', 'degraded');
const policyArb = fc.record({
  monitorId: fc.constant('mon_p'),
  failureThreshold: fc.integer({ min: 1, max: 5 }),
  recoveryThreshold: fc.integer({ min: 1, max: 5 }),
  degradedIsDown: fc.boolean(),
  alertCooldownMs: fc.integer({ min: 0, max: 600_000 }),
});

describe('monitor state machine properties', () => {
  it('incidents open only after failureThreshold consecutive failures and resolve only after recoveryThreshold successes', () => {
    fc.assert(
      fc.property(fc.array(statusArb, { maxLength: 200 }), policyArb, (statuses, p) => {
        const { steps } = run(statuses, p);
        let failStreak = 0;
        let okStreak = 0;
        statuses.forEach((status, i) => {
          const failing = status === 'down' || (p.degradedIsDown && status === 'degraded');
          failStreak = failing ? failStreak + 1 : 0;
          okStreak = failing ? 0 : okStreak + 1;
          const effects = steps[i]?.effects ?? [];
          if (ofType(effects, 'incident-opened').length > 0)
            assert.ok(failStreak >= p.failureThreshold);
          if (ofType(effects, 'incident-resolved').length > 0)
            assert.ok(okStreak >= p.recoveryThreshold);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('status is down exactly while an incident is open, and there is never more than one', () => {
    fc.assert(
      fc.property(fc.array(statusArb, { maxLength: 200 }), policyArb, (statuses, p) => {
        const { steps } = run(statuses, p);
        let open = 0;
        for (const step of steps) {
          open += ofType(step.effects, 'incident-opened').length;
          open -= ofType(step.effects, 'incident-resolved').length;
          assert.ok(open === 0 || open === 1);
          assert.equal(step.state.status === 'down', open === 1);
          assert.equal(step.state.openIncident !== null, open === 1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('each transition produces exactly one alert, with a unique idempotency key', () => {
    fc.assert(
      fc.property(fc.array(statusArb, { maxLength: 200 }), policyArb, (statuses, p) => {
        const { effects } = run(statuses, p);
        const alerts = ofType(effects, 'alert');
        const transitions =
          ofType(effects, 'incident-opened').length + ofType(effects, 'incident-resolved').length;
        assert.equal(alerts.length, transitions);
        assert.equal(new Set(alerts.map((a) => a.idempotencyKey)).size, alerts.length);
        assert.ok(alerts.filter((a) => a.kind === 'recovered').every((a) => !a.suppressed));
      }),
      { numRuns: 1000 },
    );
  });

  it('a sustained outage longer than the threshold always opens exactly one incident', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 20 }), (p, extra) => {
        const statuses: CheckStatus[] = [
          'up',
          ...Array<CheckStatus>(p.failureThreshold + extra).fill('down'),
          ...Array<CheckStatus>(p.recoveryThreshold).fill('up'),
        ];
        const { effects, state } = run(statuses, p);
        assert.equal(ofType(effects, 'incident-opened').length, 1);
        assert.equal(ofType(effects, 'incident-resolved').length, 1);
        assert.equal(state.status, 'up');
      }),
      { numRuns: 1000 },
    );
  });
});
