import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCheckConfig, redactCheckOptions } from '../registry.ts';
import { AppError } from '../../lib/errors.ts';
import { PUSH_TOKEN_PATTERN, pushTokensEqual } from './token.ts';
import { runPushCheck } from './index.ts';
import { pushOptionsSchema, scheduleOf } from './options.ts';

function issues(options: unknown, target: unknown = 'nightly-backup'): string[] {
  try {
    parseCheckConfig('push', target, options);
    return [];
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
}

describe('push options', () => {
  it('generates a 160-bit base64url token when none is given, and keeps a given one', () => {
    const a = pushOptionsSchema.parse({});
    const b = pushOptionsSchema.parse({});
    assert.match(a.token, PUSH_TOKEN_PATTERN);
    assert.equal(Buffer.from(a.token, 'base64url').length, 20);
    assert.notEqual(a.token, b.token);
    assert.equal(pushOptionsSchema.parse({ token: 'kumaPushToken' }).token, 'kumaPushToken');
    assert.equal(pushTokensEqual(a.token, a.token), true);
    assert.equal(pushTokensEqual(a.token, b.token), false);
  });

  it('reads CLI durations and defaults to a daily period with an hour of grace', () => {
    const options = pushOptionsSchema.parse({ periodMs: '5m', graceMs: '30s' });
    assert.deepEqual(scheduleOf(options), { kind: 'period', periodMs: 300_000, graceMs: 30_000 });
    assert.deepEqual(scheduleOf(pushOptionsSchema.parse({})), {
      kind: 'period',
      periodMs: 86_400_000,
      graceMs: 3_600_000,
    });
  });

  it('names the field of every problem at once', () => {
    assert.deepEqual(
      issues({ cron: '61 * * * *', timezone: 'Mars/Olympus', token: 'short' }).sort(),
      [
        'options.cron: "61 * * * *" is not a cron expression: Invalid value for minute: 61',
        'options.timezone: unknown time zone "Mars/Olympus"; use an IANA name such as Europe/Berlin or UTC',
        'options.token: must be 10–128 characters of A–Z, a–z, 0–9, "-" and "_" (base64url)',
      ].sort(),
    );
    assert.deepEqual(issues({ cron: '0 3 * * *', periodMs: 1000 }), [
      'options.cron: give either periodMs (simple schedule) or cron, not both',
    ]);
    assert.deepEqual(issues({ timezone: 'UTC' }), ['options.timezone: only applies with cron']);
    assert.deepEqual(issues({ graceMs: 10 }), ['options.graceMs: must be between 1s and 366d']);
    assert.deepEqual(issues({}, ''), [
      'target: name the job that pings this monitor, e.g. nightly-backup',
    ]);
  });

  it('masks the token for display', () => {
    const { options } = parseCheckConfig('push', 'job', { token: 'secret-token-1234' });
    assert.equal(redactCheckOptions('push', options)['token'], '***');
  });

  it('`check push` evaluates the schedule against --last-ping', () => {
    const now = Date.UTC(2026, 0, 10, 12);
    const late = runPushCheck(
      pushOptionsSchema.parse({ periodMs: '1h', graceMs: '10m', lastPing: '2026-01-10T10:00:00Z' }),
      now,
    );
    assert.equal(late.status, 'down');
    assert.equal(late.errorKind, 'timeout');
    const fine = runPushCheck(pushOptionsSchema.parse({ periodMs: '1h' }), now);
    assert.equal(fine.status, 'up');
    assert.match(fine.message, /judged by the pings its job sends/);
  });
});
