import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mqttOptionsSchema, redactMqttOptions, topicProblem } from './options.ts';
import { formatMqttTarget, parseMqttTarget } from './target.ts';

describe('mqtt target', () => {
  it('reads mqtt:// and mqtts:// URLs and bare host:port, with the default ports', () => {
    assert.deepEqual(parseMqttTarget('mqtt://Broker.internal'), {
      host: 'broker.internal',
      port: 1883,
      tls: false,
    });
    assert.deepEqual(parseMqttTarget('mqtts://broker.internal'), {
      host: 'broker.internal',
      port: 8883,
      tls: true,
    });
    assert.deepEqual(parseMqttTarget('mqtts://[::1]:9883/'), {
      host: '::1',
      port: 9883,
      tls: true,
    });
    assert.deepEqual(parseMqttTarget('broker:1884'), { host: 'broker', port: 1884, tls: false });
    assert.equal(formatMqttTarget({ host: '::1', port: 1883, tls: false }), 'mqtt://[::1]:1883');
  });

  it('refuses credentials, paths, other schemes and bad ports', () => {
    const withPassword = parseMqttTarget('mqtt://u:secret@broker');
    assert.ok('error' in withPassword);
    assert.match(withPassword.error, /password option/);
    assert.ok('error' in parseMqttTarget('mqtt://broker/health'));
    assert.ok('error' in parseMqttTarget('ws://broker'));
    assert.ok('error' in parseMqttTarget('broker:70000'));
  });
});

describe('mqtt topic filters', () => {
  it('accepts whole-level wildcards and refuses partial ones', () => {
    for (const ok of ['a/b', 'a/+/c', '#', 'a/#', '+', '/a', 'a//b'])
      assert.equal(topicProblem(ok), null, ok);
    for (const bad of ['a/#/b', 'a#', 'a/b+', '+a/b', 'a\u0000'])
      assert.notEqual(topicProblem(bad), null, bad);
  });

  it('any topic built from plain levels and whole wildcards is valid', () => {
    const level = fc.oneof(
      fc.constant('+'),
      fc.string({ unit: fc.constantFrom('a', 'b', '-', ' ', 'é', '$') }),
    );
    fc.assert(
      fc.property(fc.array(level, { minLength: 1, maxLength: 6 }), fc.boolean(), (levels, hash) => {
        const topic = [...levels, ...(hash ? ['#'] : [])].join('/');
        return topicProblem(topic) === null;
      }),
    );
  });
});

describe('mqtt options', () => {
  it('defaults the client id prefix only', () => {
    assert.deepEqual(mqttOptionsSchema.parse({}), { clientIdPrefix: 'crosscheck-' });
  });

  it('needs a topic for send and expect, a username for a password, no wildcard to publish', () => {
    const paths = (input: Record<string, unknown>) =>
      mqttOptionsSchema.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    assert.deepEqual(paths({ send: 'x' }), ['send']);
    assert.deepEqual(paths({ expect: ['x'] }), ['expect']);
    assert.deepEqual(paths({ password: 'pw' }), ['password']);
    assert.deepEqual(paths({ topic: 'a/+', send: 'x' }), ['topic']);
    assert.deepEqual(paths({ clientIdPrefix: 'has space' }), ['clientIdPrefix']);
    assert.equal(mqttOptionsSchema.parse({ topic: 'a/b', expect: ['ok'] }).expect, 'ok');
  });

  it('masks the password and nothing else', () => {
    const options = mqttOptionsSchema.parse({ username: 'u', password: 'pw-secret' });
    assert.deepEqual(redactMqttOptions(options), { ...options, password: '***' });
  });
});
