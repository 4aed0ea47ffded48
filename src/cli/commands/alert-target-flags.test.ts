import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { settingsFromFlags } from './alert-target-flags.ts';

function issuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(isAppError(error) && error.code === 'VALIDATION', String(error));
    return error.issues.map((issue) => issue.path ?? '');
  }
  assert.fail('expected a validation error');
}

describe('channel settings from CLI flags', () => {
  it('types values by the channel schema', () => {
    assert.deepEqual(
      settingsFromFlags('webhook', ['--url', 'http://127.0.0.1:9/h', '--timeout-ms=2500']),
      { url: 'http://127.0.0.1:9/h', timeoutMs: 2500 },
    );
    assert.deepEqual(
      settingsFromFlags('slack', [
        '--token',
        'xoxb-1',
        '--channel',
        'C1',
        '--thread-recoveries',
        'no',
      ]),
      { token: 'xoxb-1', channel: 'C1', threadRecoveries: false },
    );
  });

  it('a number flag that is not a number is an error naming it, not a removed setting', () => {
    assert.deepEqual(
      issuePaths(() => settingsFromFlags('webhook', ['--timeout-ms', 'abc'])),
      ['--timeout-ms'],
    );
    assert.deepEqual(
      issuePaths(() => settingsFromFlags('webhook', ['--timeout-ms', ''])),
      ['--timeout-ms'],
    );
  });

  it('a boolean flag takes true/false, yes/no or 1/0 and nothing else', () => {
    assert.deepEqual(
      issuePaths(() => settingsFromFlags('slack', ['--thread-recoveries', 'ture'])),
      ['--thread-recoveries'],
    );
  });

  it('unknown settings and missing values are reported together', () => {
    assert.deepEqual(
      issuePaths(() => settingsFromFlags('webhook', ['--colour', 'red', '--url'])),
      ['--colour', '--url'],
    );
  });
});
