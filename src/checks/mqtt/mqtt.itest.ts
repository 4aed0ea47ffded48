import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestCa, createTestPki } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import { startMqttBroker } from '../../../test/helpers/mqtt-broker.ts';
import type { TestBroker } from '../../../test/helpers/mqtt-broker.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { mqttCheck } from './index.ts';
import { mqttOptionsSchema } from './options.ts';

// aedes brokers on free loopback ports (open, with a login, over TLS from a test CA) and a TCP
// server that accepts and never sends CONNACK. After every check the brokers hold no
// connection of ours and this process holds no socket beyond its baseline.

const LOGIN = { username: 'probe', password: 'broker-pw-1' };

function context(timeoutMs = 3_000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

const options = (input: Record<string, unknown> = {}) => mqttOptionsSchema.parse(input);

describe('mqtt check against an aedes broker', { timeout: 60_000 }, () => {
  let open: TestBroker;
  let locked: TestBroker;
  let tls: TestBroker;
  let pki: TestPki;
  let baseline = 0;

  async function assertNothingLeft(...brokers: TestBroker[]): Promise<void> {
    for (const broker of brokers)
      await settlesTo(() => broker.openConnections(), 0, 'broker connections');
    await settlesTo(openTcpSockets, baseline, 'TCP sockets');
  }

  before(async () => {
    pki = await createTestPki();
    open = await startMqttBroker({ forbiddenTopics: ['secret/#'] });
    locked = await startMqttBroker({ login: LOGIN });
    tls = await startMqttBroker({ tls: pki.valid });
    baseline = openTcpSockets();
  });

  after(async () => {
    await open?.close();
    await locked?.close();
    await tls?.close();
  });

  it('connects and reports the CONNACK time', async () => {
    const result = await mqttCheck.run(open.target, options(), context());
    assert.equal(result.status, 'up', result.message);
    assert.match(result.message, /^connected in \d+ ms$/);
    assert.match(String(result.details.clientId), /^crosscheck-[0-9a-f]{12}$/);
    assert.equal(typeof result.timings.connectMs, 'number');
    assert.equal(typeof result.timings.firstByteMs, 'number');
    await assertNothingLeft(open);
  });

  it('logs in, and names a refused login with the CONNACK code and no secret', async () => {
    const up = await mqttCheck.run(locked.target, options(LOGIN), context());
    assert.equal(up.status, 'up', up.message);
    const wrong = await mqttCheck.run(
      locked.target,
      options({ ...LOGIN, password: 'not-the-password' }),
      context(),
    );
    assert.equal(wrong.status, 'down');
    assert.equal(wrong.errorKind, 'status');
    assert.equal(wrong.message, 'login refused: bad user name or password (CONNACK 4)');
    assert.doesNotMatch(JSON.stringify(wrong), /not-the-password/);
    await assertNothingLeft(locked);
  });

  it('waits for a retained message on a topic and matches its payload', async () => {
    await open.publish('health/state', 'status=ok v2', true);
    const up = await mqttCheck.run(
      open.target,
      options({ topic: 'health/state', expect: '/status=(ok|fine)/' }),
      context(),
    );
    assert.equal(up.status, 'up', up.message);
    assert.equal(up.details.payload, 'status=ok v2');
    assert.match(up.message, /^message on health\/state in \d+ ms$/);
    await assertNothingLeft(open);
  });

  it('a payload that never matches is an assertion naming what came', async () => {
    await open.publish('health/bad', 'status=degraded', true);
    const result = await mqttCheck.run(
      open.target,
      options({ topic: 'health/bad', expect: 'status=ok' }),
      context(800),
    );
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'assertion');
    assert.equal(
      result.message,
      'no message on health/bad matched "status=ok" within 800 ms (1 received, last "status=degraded")',
    );
    await assertNothingLeft(open);
  });

  it('no message at all is a timeout naming the topic', async () => {
    const result = await mqttCheck.run(open.target, options({ topic: 'quiet/#' }), context(500));
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.message, 'no message on quiet/# within 500 ms');
    await assertNothingLeft(open);
  });

  it('publishes and waits for its own message back (a round trip)', async () => {
    const result = await mqttCheck.run(
      locked.target,
      options({ ...LOGIN, topic: 'probe/echo', send: 'ping-1' }),
      context(),
    );
    assert.equal(result.status, 'up', result.message);
    assert.match(result.message, /^round trip on probe\/echo in \d+ ms$/);
    assert.equal(result.details.payload, 'ping-1');
    await assertNothingLeft(locked);
  });

  it('a refused subscription is down with the SUBACK code', async () => {
    const result = await mqttCheck.run(open.target, options({ topic: 'secret/#' }), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'status');
    assert.equal(result.message, 'subscription to secret/# refused (SUBACK 0x80)');
    await assertNothingLeft(open);
  });

  it('verifies TLS against the given CA; another CA is a TLS error; insecure skips it', async () => {
    const verified = await mqttCheck.run(tls.target, options({ ca: pki.ca.certPem }), context());
    assert.equal(verified.status, 'up', verified.message);
    assert.equal(typeof verified.timings.tlsMs, 'number');
    const other = await createTestCa('Some Other CA');
    const wrongCa = await mqttCheck.run(tls.target, options({ ca: other.certPem }), context());
    assert.equal(wrongCa.status, 'down');
    assert.equal(wrongCa.errorKind, 'tls');
    const insecure = await mqttCheck.run(tls.target, options({ insecure: true }), context());
    assert.equal(insecure.status, 'up', insecure.message);
    await assertNothingLeft(tls);
  });

  it('a refused port is down as refused', async () => {
    const result = await mqttCheck.run(
      `mqtt://127.0.0.1:${await closedPort()}`,
      options(),
      context(),
    );
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused');
    await assertNothingLeft();
  });

  it('a broker that accepts but never sends CONNACK times out, and the connection closes', async () => {
    const sockets = new Set<Socket>();
    let closed = 0;
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => closed++);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const result = await mqttCheck.run(`mqtt://127.0.0.1:${port}`, options(), context(500));
      assert.equal(result.errorKind, 'timeout');
      assert.equal(result.message, 'no CONNACK within 500 ms');
      await settlesTo(() => sockets.size - closed, 0, 'connections to the silent server');
      assert.equal(sockets.size, 1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    await assertNothingLeft();
  });

  it('an abort ends the check at once', async () => {
    const controller = new AbortController();
    const running = mqttCheck.run(
      open.target,
      options({ topic: 'quiet/abort' }),
      context(5_000, controller.signal),
    );
    setTimeout(() => controller.abort(), 200);
    const result = await running;
    assert.equal(result.errorKind, 'timeout');
    assert.match(result.message, /^check cancelled after \d+ ms during message$/);
    await assertNothingLeft(open);
  });
});
