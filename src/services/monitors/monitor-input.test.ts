import { isTargetRoute, type AlertRoute, type InlineRoute } from '../../domain/alert-target.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { AppError } from '../../lib/errors.ts';
import { applyMonitorUpdate, buildMonitor } from './monitor-input.ts';

const base = { name: 'API', type: 'tcp', target: '127.0.0.1:9' };

function build(extra: Record<string, unknown>): Monitor {
  return buildMonitor({ ...base, ...extra }, 'mon_1', 1_000);
}

/** The field paths of the validation error `run` throws. */
function issuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'VALIDATION');
    return error.issues.map((i) => i.path);
  }
  assert.fail('expected a validation error');
}

/** A route the pure layer kept inline (the service turns these into targets). */
function inline(route: AlertRoute | undefined): InlineRoute {
  assert.ok(route !== undefined && !isTargetRoute(route), 'an inline route');
  return route;
}

describe('monitor consensus settings', () => {
  it('defaults to the cluster policy and no regional routes', () => {
    const monitor = build({});
    assert.deepEqual(monitor.consensus, DEFAULT_CONSENSUS);
    assert.deepEqual(monitor.regionalAlerts, []);
  });

  it('accepts n_of_m with its N, and a flap window as text or ms', () => {
    const monitor = build({
      consensus: { quorum: 'n_of_m', requiredFailures: 3, minResponders: 4, flapWindowMs: '1h' },
    });
    assert.deepEqual(monitor.consensus, {
      quorum: 'n_of_m',
      requiredFailures: 3,
      requiredPercent: null,
      minResponders: 4,
      flapChanges: DEFAULT_CONSENSUS.flapChanges,
      flapWindowMs: 3_600_000,
    });
    assert.equal(build({ consensus: { flapWindowMs: 90_000 } }).consensus.flapWindowMs, 90_000);
  });

  it('names the field of every bad consensus value', () => {
    assert.deepEqual(
      issuePaths(() => build({ consensus: { quorum: 'n_of_m' } })),
      ['consensus.requiredFailures'],
    );
    assert.deepEqual(
      issuePaths(() => build({ consensus: { requiredFailures: 2 } })),
      ['consensus.requiredFailures'],
    );
    assert.deepEqual(
      issuePaths(() =>
        build({
          consensus: { quorum: 'most', minResponders: 0, flapChanges: 1.5, flapWindowMs: 'soon' },
        }),
      ).sort(),
      [
        'consensus.flapChanges',
        'consensus.flapWindowMs',
        'consensus.minResponders',
        'consensus.quorum',
      ],
    );
    assert.deepEqual(
      issuePaths(() => build({ consensus: { requiredFailures: 0, quorum: 'n_of_m' } })),
      ['consensus.requiredFailures'],
    );
    assert.equal(
      issuePaths(() => build({ consensus: { bogus: 1 } }))[0]?.startsWith('consensus'),
      true,
    );
  });

  it('accepts percent with its P, and names a missing, misplaced or out-of-range P', () => {
    const monitor = build({ consensus: { quorum: 'percent', requiredPercent: 30 } });
    assert.equal(monitor.consensus.quorum, 'percent');
    assert.equal(monitor.consensus.requiredPercent, 30);
    assert.equal(monitor.consensus.requiredFailures, null);
    for (const bad of [
      { quorum: 'percent' },
      { quorum: 'percent', requiredPercent: 0 },
      { quorum: 'percent', requiredPercent: 101 },
      { quorum: 'percent', requiredPercent: 33.3 },
      { quorum: 'majority', requiredPercent: 50 },
      { quorum: 'n_of_m', requiredFailures: 2, requiredPercent: 50 },
    ])
      assert.deepEqual(
        issuePaths(() => build({ consensus: bad })),
        ['consensus.requiredPercent'],
        JSON.stringify(bad),
      );
    assert.deepEqual(
      issuePaths(() => build({ consensus: { quorum: 'percent', requiredFailures: 2 } })).sort(),
      ['consensus.requiredFailures', 'consensus.requiredPercent'],
    );
  });

  it('switching between n_of_m and percent drops the threshold of the mode left', () => {
    const nOfM = build({ consensus: { quorum: 'n_of_m', requiredFailures: 3 } });
    const percent = applyMonitorUpdate(
      nOfM,
      { consensus: { quorum: 'percent', requiredPercent: 60 } },
      2_000,
    );
    assert.equal(percent.consensus.requiredFailures, null);
    assert.equal(percent.consensus.requiredPercent, 60);
    const kept = applyMonitorUpdate(percent, { consensus: { minResponders: 3 } }, 3_000);
    assert.equal(kept.consensus.requiredPercent, 60);
    // A form sends the whole policy back: the stored N it repeats goes with the mode it left.
    const fromForm = applyMonitorUpdate(
      nOfM,
      { consensus: { quorum: 'percent', requiredFailures: 3, requiredPercent: 60 } },
      2_500,
    );
    assert.deepEqual(fromForm.consensus, percent.consensus);
    assert.deepEqual(
      issuePaths(() =>
        applyMonitorUpdate(
          nOfM,
          { consensus: { quorum: 'percent', requiredFailures: 4, requiredPercent: 60 } },
          2_500,
        ),
      ),
      ['consensus.requiredFailures'],
    );
    const back = applyMonitorUpdate(
      kept,
      { consensus: { quorum: 'n_of_m', requiredFailures: 2 } },
      4_000,
    );
    assert.equal(back.consensus.requiredPercent, null);
    assert.deepEqual(
      issuePaths(() => applyMonitorUpdate(back, { consensus: { quorum: 'percent' } }, 5_000)),
      ['consensus.requiredPercent'],
    );
  });

  it('validates regional routes with the channel schema, naming the route', () => {
    const paths = issuePaths(() =>
      build({ regionalAlerts: [{ channel: 'webhook', settings: { url: 'nope' } }] }),
    );
    assert.deepEqual(paths, ['regionalAlerts.0.settings.url']);
    const ok = build({
      regionalAlerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:1/hook' } }],
    });
    assert.equal(inline(ok.regionalAlerts[0]).channel, 'webhook');
  });

  it('merges a consensus patch key by key, and switching to majority drops N', () => {
    const nOfM = build({ consensus: { quorum: 'n_of_m', requiredFailures: 3 } });
    const responders = applyMonitorUpdate(nOfM, { consensus: { minResponders: 5 } }, 2_000);
    assert.equal(responders.consensus.quorum, 'n_of_m');
    assert.equal(responders.consensus.requiredFailures, 3);
    assert.equal(responders.consensus.minResponders, 5);

    const majority = applyMonitorUpdate(responders, { consensus: { quorum: 'majority' } }, 3_000);
    assert.equal(majority.consensus.requiredFailures, null);
    assert.equal(majority.consensus.minResponders, 5);

    assert.deepEqual(
      issuePaths(() => applyMonitorUpdate(majority, { consensus: { quorum: 'n_of_m' } }, 4_000)),
      ['consensus.requiredFailures'],
    );
    const untouched = applyMonitorUpdate(majority, { name: 'renamed' }, 5_000);
    assert.deepEqual(untouched.consensus, majority.consensus);
  });

  it('replaces regional routes on update, leaving the normal routes alone', () => {
    const monitor = build({
      alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:1/a' } }],
    });
    const updated = applyMonitorUpdate(
      monitor,
      { regionalAlerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:1/r' } }] },
      2_000,
    );
    assert.equal(inline(updated.alerts[0]).settings.url, 'http://127.0.0.1:1/a');
    assert.equal(inline(updated.regionalAlerts[0]).settings.url, 'http://127.0.0.1:1/r');
  });
});

describe('monitor routes to named targets', () => {
  it('takes a route naming a target, with the defaults for its events and timing', () => {
    const monitor = build({ alerts: [{ target: 'ops-slack' }, { target: 'ops-mail' }] });
    assert.deepEqual(monitor.alerts, [
      { target: 'ops-slack', events: null, repeatEveryMs: null, escalateAfterMs: null },
      { target: 'ops-mail', events: null, repeatEveryMs: null, escalateAfterMs: null },
    ]);
  });

  it('refuses a route that is neither a target nor a channel with settings', () => {
    const paths = issuePaths(() => build({ alerts: [{ target: '' }] }));
    assert.ok(paths.length > 0 && paths.every((p) => p.startsWith('alerts.0')), String(paths));
  });
});

describe('per-type interval defaults and minimums', () => {
  const domain = { type: 'domain', target: 'example.com' };

  it('a domain monitor checks every 6 h unless told otherwise', () => {
    const monitor = build(domain);
    assert.equal(monitor.intervalMs, 6 * 3_600_000);
    assert.equal(monitor.timeoutMs, 15_000);
    assert.equal(build({}).intervalMs, 60_000, 'other types keep the common default');
  });

  it('refuses a domain interval under an hour, naming the field', () => {
    assert.deepEqual(
      issuePaths(() => build({ ...domain, intervalMs: '5m' })),
      ['intervalMs'],
    );
    assert.equal(build({ ...domain, intervalMs: '1h' }).intervalMs, 3_600_000);
    const http = build({});
    assert.deepEqual(
      issuePaths(() => applyMonitorUpdate(http, { ...domain }, 2_000)),
      ['intervalMs'],
    );
  });
});
