import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestCa, createTestPki } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import { startGrpcHealthServer } from '../../../test/helpers/grpc-health-server.ts';
import type { TestGrpcServer } from '../../../test/helpers/grpc-health-server.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { grpcCheck } from './index.ts';
import { grpcOptionsSchema } from './options.ts';

// grpc-js health servers on free loopback ports (plaintext, and TLS from a test CA), loopback
// port 9 (refused) and a TCP server that accepts and never answers. After every check the
// channel is closed: this process holds no socket beyond its baseline (both ends are here).

function context(timeoutMs = 3_000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

const options = (input: Record<string, unknown> = {}) => grpcOptionsSchema.parse(input);

describe('grpc check against a grpc-js health server', { timeout: 60_000 }, () => {
  let plain: TestGrpcServer;
  let tls: TestGrpcServer;
  let pki: TestPki;
  let baseline = 0;
  const nothingLeft = () => settlesTo(openTcpSockets, baseline, 'TCP sockets');

  before(async () => {
    pki = await createTestPki();
    plain = await startGrpcHealthServer({
      statuses: { '': 'SERVING', 'app.Orders': 'SERVING', 'app.Billing': 'NOT_SERVING' },
    });
    tls = await startGrpcHealthServer({ tls: pki.valid });
    baseline = openTcpSockets();
  });

  after(async () => {
    await plain?.close();
    await tls?.close();
  });

  it('a SERVING server is up, with metadata sent and the connect time measured', async () => {
    const result = await grpcCheck.run(
      plain.target,
      options({ headers: ['Authorization: Bearer t0ken', 'x-tenant: blue'] }),
      context(),
    );
    assert.equal(result.status, 'up', result.message);
    assert.match(result.message, /^server SERVING in \d+ ms$/);
    assert.equal(result.details.servingStatus, 'SERVING');
    assert.equal(typeof result.timings.connectMs, 'number');
    assert.deepEqual(plain.lastMetadata()?.get('authorization'), ['Bearer t0ken']);
    assert.deepEqual(plain.lastMetadata()?.get('x-tenant'), ['blue']);
    await nothingLeft();
  });

  it('asks about a named service; NOT_SERVING is down with the status', async () => {
    const up = await grpcCheck.run(plain.target, options({ service: 'app.Orders' }), context());
    assert.equal(up.status, 'up', up.message);
    const down = await grpcCheck.run(plain.target, options({ service: 'app.Billing' }), context());
    assert.equal(down.status, 'down');
    assert.equal(down.errorKind, 'assertion');
    assert.equal(down.message, 'service "app.Billing" is NOT_SERVING, expected SERVING');
    assert.equal(down.details.servingStatus, 'NOT_SERVING');
    const expected = await grpcCheck.run(
      plain.target,
      options({ service: 'app.Billing', expect: ['not_serving'] }),
      context(),
    );
    assert.equal(expected.status, 'up', expected.message);
    await nothingLeft();
  });

  it('an unknown service is down, named', async () => {
    const result = await grpcCheck.run(plain.target, options({ service: 'nope' }), context());
    assert.equal(result.errorKind, 'assertion');
    assert.equal(result.message, 'service "nope" is unknown to the health server (NOT_FOUND)');
    assert.equal(result.details.grpcCode, 'NOT_FOUND');
    await nothingLeft();
  });

  it('verifies TLS against the given CA; another CA is a TLS error; skip-verify passes', async () => {
    const verified = await grpcCheck.run(
      tls.target,
      options({ tls: 'verify', ca: pki.ca.certPem }),
      context(),
    );
    assert.equal(verified.status, 'up', verified.message);
    const other = await createTestCa('Some Other CA');
    const wrongCa = await grpcCheck.run(
      tls.target,
      options({ tls: 'verify', ca: other.certPem }),
      context(),
    );
    assert.equal(wrongCa.status, 'down');
    assert.equal(wrongCa.errorKind, 'tls', wrongCa.message);
    const skipped = await grpcCheck.run(tls.target, options({ tls: 'skip-verify' }), context());
    assert.equal(skipped.status, 'up', skipped.message);
    const plaintextToTls = await grpcCheck.run(tls.target, options(), context(1_000));
    assert.equal(plaintextToTls.status, 'down');
    await nothingLeft();
  });

  it('a refused port (9) is down as refused', async () => {
    const result = await grpcCheck.run('127.0.0.1:9', options(), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused', result.message);
    await nothingLeft();
  });

  it('a server that accepts TCP but never answers times out, and the connection closes', async () => {
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
      const result = await grpcCheck.run(`127.0.0.1:${port}`, options(), context(500));
      assert.equal(result.errorKind, 'timeout');
      assert.equal(result.message, 'connection not ready within 500 ms');
      await settlesTo(() => sockets.size - closed, 0, 'connections to the silent server');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    await nothingLeft();
  });

  it('an abort ends the check at once', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const controller = new AbortController();
      const running = grpcCheck.run(
        `127.0.0.1:${port}`,
        options(),
        context(5_000, controller.signal),
      );
      setTimeout(() => controller.abort(), 200);
      const result = await running;
      assert.equal(result.errorKind, 'timeout');
      assert.match(result.message, /^check cancelled after \d+ ms during connect$/);
      assert.ok(result.latencyMs < 1_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    await nothingLeft();
  });
});
