import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import {
  addMonitorFlags,
  applyUnset,
  monitorBodyFromFlags,
  withMonitorFlagNames,
} from './monitor-flags.ts';

/** The body `monitor add/edit` would send for these arguments. */
function bodyOf(args: string[]): Record<string, unknown> {
  const command = addMonitorFlags(new Command('add')).exitOverride();
  command.parse(args, { from: 'user' });
  return monitorBodyFromFlags(command);
}

describe('monitor consensus flags', () => {
  it('sends only the consensus keys given', () => {
    assert.deepEqual(
      bodyOf([
        '--quorum',
        'n_of_m',
        '--quorum-failures',
        '3',
        '--min-responders',
        '4',
        '--flap-changes',
        '6',
        '--flap-window',
        '1h',
      ]).consensus,
      {
        quorum: 'n_of_m',
        requiredFailures: 3,
        minResponders: 4,
        flapChanges: 6,
        flapWindowMs: '1h',
      },
    );
    assert.deepEqual(bodyOf(['--quorum', 'percent', '--quorum-percent', '40']).consensus, {
      quorum: 'percent',
      requiredPercent: 40,
    });
    assert.deepEqual(bodyOf(['--min-responders', '3']).consensus, { minResponders: 3 });
    assert.equal(bodyOf(['--name', 'x']).consensus, undefined);
  });

  it('rejects a non-integer count naming the flag', () => {
    assert.throws(
      () => bodyOf(['--quorum-failures', 'two']),
      (error: unknown) =>
        error instanceof AppError && error.issues[0]?.path === '--quorum-failures',
    );
  });

  it('routes to named targets with --alert and --regional-alert, beside the webhook shorthand', () => {
    const route = (target: string) => ({
      target,
      events: null,
      repeatEveryMs: null,
      escalateAfterMs: null,
    });
    const body = bodyOf([
      '--alert',
      'ops-slack',
      '--alert',
      'oncall',
      '--webhook',
      'http://127.0.0.1:1/h',
      '--regional-alert',
      'eu-team',
    ]);
    assert.deepEqual(body.alerts, [
      route('ops-slack'),
      route('oncall'),
      { channel: 'webhook', settings: { url: 'http://127.0.0.1:1/h' } },
    ]);
    assert.deepEqual(body.regionalAlerts, [route('eu-team')]);
    assert.equal(bodyOf(['--name', 'x']).alerts, undefined, 'an edit without them keeps routes');
    const unset: Record<string, unknown> = {};
    applyUnset(unset, ['alert', 'regional-alert'], () => undefined);
    assert.deepEqual([unset.alerts, unset.regionalAlerts], [[], []]);
  });

  it('builds a regional webhook route like --webhook, and needs the URL for the secret', () => {
    const body = bodyOf([
      '--regional-webhook',
      'http://127.0.0.1:1/r',
      '--regional-webhook-secret',
      '0123456789abcdef',
    ]);
    assert.deepEqual(body.regionalAlerts, [
      { channel: 'webhook', settings: { url: 'http://127.0.0.1:1/r', secret: '0123456789abcdef' } },
    ]);
    assert.equal(body.alerts, undefined);
    assert.throws(
      () => bodyOf(['--regional-webhook-secret', '0123456789abcdef']),
      (error: unknown) =>
        error instanceof AppError && error.issues[0]?.path === '--regional-webhook-secret',
    );
  });

  it('maps service field paths back to the flags', () => {
    const mapped = withMonitorFlagNames(
      validationError([
        { path: 'consensus.requiredFailures', message: 'is required when quorum is n_of_m' },
        { path: 'consensus.flapWindowMs', message: 'bad' },
        { path: 'regionalAlerts.0.settings.secret', message: 'short' },
        { path: 'regionalAlerts.0.settings.url', message: 'bad' },
        { path: 'alerts.0.settings.secret', message: 'short' },
        { path: 'alerts.1.target', message: 'no alert target named "ops"' },
        { path: 'regionalAlerts.1.target', message: 'no alert target named "ops"' },
      ]),
    ) as AppError;
    assert.deepEqual(
      mapped.issues.map((i) => i.path),
      [
        '--quorum-failures',
        '--flap-window',
        '--regional-webhook-secret',
        '--regional-webhook',
        '--webhook-secret',
        '--alert',
        '--regional-alert',
      ],
    );
  });

  it('--unset resets regional routes and the consensus policy (flags given still win)', () => {
    const body: Record<string, unknown> = { consensus: { minResponders: 3 } };
    applyUnset(body, ['regional-webhook', 'consensus'], () => undefined);
    assert.deepEqual(body.regionalAlerts, []);
    assert.deepEqual(body.consensus, { ...DEFAULT_CONSENSUS, minResponders: 3 });
  });
});
