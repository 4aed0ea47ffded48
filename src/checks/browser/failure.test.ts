import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findChromium } from './chromium.ts';
import { classifyStepError } from './failure.ts';
import { scrubber } from './evidence.ts';

function timeoutError(message: string): Error {
  const error = new Error(message);
  error.name = 'TimeoutError';
  return error;
}

test("Chromium's network errors map to error kinds", () => {
  const kind = (code: string) =>
    classifyStepError(new Error(`page.goto: net::${code} at http://127.0.0.1:1/`)).kind;
  assert.equal(kind('ERR_CONNECTION_REFUSED'), 'refused');
  assert.equal(kind('ERR_NAME_NOT_RESOLVED'), 'dns');
  assert.equal(kind('ERR_CERT_AUTHORITY_INVALID'), 'tls');
  assert.equal(kind('ERR_SSL_PROTOCOL_ERROR'), 'tls');
  assert.equal(kind('ERR_TIMED_OUT'), 'timeout');
  assert.equal(kind('ERR_CONNECTION_RESET'), 'network');
  assert.match(
    classifyStepError(new Error('net::ERR_UNSAFE_PORT')).message,
    /does not connect to this port/,
  );
});

test('waits that run out are timeouts; other step errors are assertions', () => {
  assert.deepEqual(classifyStepError(timeoutError('locator.click: Timeout 500ms exceeded.\n…')), {
    kind: 'timeout',
    message: 'timed out after 500 ms',
  });
  assert.equal(
    classifyStepError(new Error('locator.click: Error: strict mode violation: 3 elements')).message,
    'the selector matches more than one element',
  );
  assert.deepEqual(classifyStepError(new Error('locator.fill: Element is not an <input>')), {
    kind: 'assertion',
    message: 'Element is not an <input>',
  });
});

test('Chromium discovery: the configured path, else the first usual place, else why not', () => {
  const only = (path: string) => (candidate: string) => candidate === path;
  assert.deepEqual(findChromium('/opt/chromium', only('/opt/chromium')), { path: '/opt/chromium' });
  assert.match(
    (findChromium('/opt/none', only('/usr/bin/chromium')) as { missing: string }).missing,
    /not found at \/opt\/none/,
  );
  assert.deepEqual(findChromium(undefined, only('/usr/bin/chromium-browser')), {
    path: '/usr/bin/chromium-browser',
  });
  assert.match(
    (findChromium(undefined, () => false) as { missing: string }).missing,
    /not installed on this node/,
  );
});

test('secrets are scrubbed from text the page echoes', () => {
  const scrub = scrubber(['hunter2', 'x$y']);
  assert.equal(scrub('login hunter2 failed, x$y twice x$y'), 'login *** failed, *** twice ***');
  assert.equal(scrubber([])('unchanged'), 'unchanged');
});
