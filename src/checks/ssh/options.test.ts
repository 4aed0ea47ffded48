import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sshKeyPair } from '../../../test/helpers/ssh-server.ts';
import { redactSshOptions, sshOptionsSchema } from './options.ts';

const PIN = 'SHA256:w+Y6FR0kSeT2PSX65iyIHi/RPm3E91cLhPHL3Gjt4A0';

function issues(input: unknown): string[] {
  const result = sshOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('accepts the stored shape and the CLI shape', () => {
  assert.deepEqual(sshOptionsSchema.parse({}), {});
  // --host-key repeats or comma-separates; --expect is a list flag.
  assert.deepEqual(
    sshOptionsSchema.parse({
      hostKey: [`${PIN}, sha256:${PIN.slice(7)}`],
      expect: ['OpenSSH'],
      degradedThresholdMs: '2s',
      username: undefined,
    }),
    { hostKey: [PIN], expect: 'OpenSSH', degradedThresholdMs: 2000 },
  );
});

test('login needs a user and a credential together; keys must be private and readable', () => {
  assert.match(
    issues({ username: 'probe' })[0] ?? '',
    /^username: needs a password or a privateKey/,
  );
  assert.match(issues({ password: 'x' })[0] ?? '', /^username: is required/);
  const pair = sshKeyPair();
  assert.match(
    issues({ username: 'probe', privateKey: pair.public })[0] ?? '',
    /^privateKey: is a public key/,
  );
  const unreadable = issues({ username: 'probe', privateKey: 'not a key' })[0] ?? '';
  assert.match(unreadable, /^privateKey: not a private key/);
  assert.ok(sshOptionsSchema.safeParse({ username: 'probe', privateKey: pair.private }).success);
  assert.match(issues({ hostKey: 'MD5:aa' })[0] ?? '', /^hostKey: /);
  assert.match(issues({ expect: ['a', 'b'] })[0] ?? '', /^expect: ssh accepts exactly one/);
});

test('redaction masks the password and the private key only', () => {
  const pair = sshKeyPair();
  const options = sshOptionsSchema.parse({
    username: 'probe',
    password: 'hunter2',
    privateKey: pair.private,
    hostKey: PIN,
  });
  assert.deepEqual(redactSshOptions(options), {
    username: 'probe',
    password: '***',
    privateKey: '***',
    hostKey: [PIN],
  });
});
