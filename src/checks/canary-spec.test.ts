import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import { canaryName, canarySpecSchema, parseCanaryFlags } from './canary-spec.ts';

function rejects(values: string[], pattern: RegExp): void {
  assert.throws(
    () => parseCanaryFlags(values),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION');
      assert.ok(error.issues.every((i) => i.path === '--canary'));
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('canary specs', () => {
  it('splits type from target at the first colon', () => {
    const specs = parseCanaryFlags([
      'tcp:192.168.1.1:53',
      'icmp:192.168.1.1',
      'http:http://intranet.local/health',
      'dns:example.com',
    ]);
    assert.deepEqual(specs.map(canaryName), [
      'tcp:192.168.1.1:53',
      'icmp:192.168.1.1',
      'http:http://intranet.local/health',
      'dns:example.com',
    ]);
    assert.ok(specs.every((s) => typeof s.options === 'object'));
  });

  it('takes a bare URL as its own type and drops duplicates', () => {
    const specs = parseCanaryFlags(['https://example.net/', 'https:https://example.net/']);
    assert.deepEqual(specs.map(canaryName), ['https:https://example.net/']);
  });

  it('names --canary and the reason for every bad value at once', () => {
    rejects(['nocolon'], /--canary: nocolon: expected <type>:<target>/);
    rejects(['gopher:x'], /unknown check type "gopher"/);
    rejects(['tcp:no-port', 'ftp:x'], /tcp:no-port: .*target.*; --canary: ftp:x: unknown/);
  });

  it('re-validates a stored canary, naming the field', () => {
    const parsed = canarySpecSchema.safeParse({ type: 'tcp', target: 'no-port', options: {} });
    assert.equal(parsed.success, false);
    assert.equal(parsed.error?.issues[0]?.path.join('.'), 'target');
    const ok = canarySpecSchema.parse({ type: 'icmp', target: '192.168.1.1', options: {} });
    assert.equal(ok.target, '192.168.1.1');
  });
});
