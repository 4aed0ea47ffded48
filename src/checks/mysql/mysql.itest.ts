import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestCa, issueLeaf } from '../../../test/helpers/certs.ts';
import type { TestCa } from '../../../test/helpers/certs.ts';
import { mariadbBinaries, startMysql } from '../../../test/helpers/mysql-server.ts';
import type { TestMysql } from '../../../test/helpers/mysql-server.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { mysqlCheck } from './index.ts';
import { mysqlOptionsSchema } from './options.ts';

// The mysql check against a real MariaDB the test starts (plain, and one with TLS from a test
// CA), a closed port and a server that accepts and never answers; after every check nothing
// stays open here, and the server has no session of the check left.

const binaries = mariadbBinaries();
const skip = 'missing' in binaries ? binaries.missing : false;
const MONITOR_PASSWORD = 'monitor-pw-1';

function context(timeoutMs = 5_000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

const options = (input: Record<string, unknown>) => mysqlOptionsSchema.parse(input);

describe('mysql check against a real MariaDB', { skip, timeout: 180_000 }, () => {
  let server: TestMysql;
  let tlsServer: TestMysql;
  let ca: TestCa;
  let baseline: number;
  const login = (extra: Record<string, unknown> = {}) =>
    options({
      username: 'monitor',
      password: MONITOR_PASSWORD,
      database: 'app',
      tls: 'off',
      ...extra,
    });

  /** Sessions of the monitor user still on the server (the admin's own are over the socket). */
  const monitorSessions = (db: TestMysql): number =>
    Number(
      db.sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'monitor'").trim(),
    );

  /** Nothing of the check stays open: no socket here, no session there. */
  async function assertNothingLeft(db: TestMysql = server): Promise<void> {
    await settlesTo(openTcpSockets, baseline, 'TCP sockets');
    await settlesTo(() => monitorSessions(db), 0, 'monitor sessions on the server');
  }

  const setUp = `CREATE USER 'monitor'@'%' IDENTIFIED BY '${MONITOR_PASSWORD}';
    CREATE DATABASE app; GRANT ALL ON app.* TO 'monitor'@'%';
    CREATE TABLE app.health (v text); INSERT INTO app.health VALUES ('ok');`;

  before(async () => {
    ca = await createTestCa();
    const leaf = await issueLeaf(ca, { hosts: ['localhost', '127.0.0.1'] });
    [server, tlsServer] = await Promise.all([startMysql(), startMysql({ tls: leaf })]);
    server.sql(setUp);
    tlsServer.sql(setUp);
    baseline = openTcpSockets();
  });

  after(async () => {
    await server?.stop();
    await tlsServer?.stop();
  });

  it('logs in and reports the server version', async () => {
    const result = await mysqlCheck.run(server.target, login(), context());
    assert.equal(result.status, 'up', result.message);
    assert.match(result.message, /^logged in \(\d+\.\d+\.\d+-MariaDB.*\) in \d+ ms$/);
    assert.match(String(result.details.serverVersion), /MariaDB/);
    assert.equal(typeof result.timings.connectMs, 'number');
    await assertNothingLeft();
  });

  it('compares the first value of a query, and names what came back when it differs', async () => {
    const up = await mysqlCheck.run(
      server.target,
      login({ query: 'SELECT v FROM health', expect: 'ok' }),
      context(),
    );
    assert.equal(up.status, 'up', up.message);
    assert.equal(up.details.value, 'ok');
    assert.equal(up.details.rows, 1);
    const down = await mysqlCheck.run(
      server.target,
      login({ query: 'SELECT COUNT(*) FROM health', expect: '0' }),
      context(),
    );
    assert.equal(down.status, 'down');
    assert.equal(down.errorKind, 'assertion');
    assert.equal(down.message, 'expected "0", got "1"');
    const none = await mysqlCheck.run(
      server.target,
      login({ query: "SELECT v FROM health WHERE v = 'missing'", expect: 'ok' }),
      context(),
    );
    assert.equal(none.message, 'expected "ok", got no row');
    const nullValue = await mysqlCheck.run(
      server.target,
      login({ query: 'SELECT NULL, 2', expect: 'NULL' }),
      context(),
    );
    assert.equal(nullValue.status, 'up', nullValue.message);
    await assertNothingLeft();
  });

  it('runs the query read-only: a write and a DDL are refused, the data stays', async () => {
    for (const query of ["INSERT INTO health VALUES ('written')", 'DROP TABLE health']) {
      const result = await mysqlCheck.run(server.target, login({ query }), context());
      assert.equal(result.status, 'down');
      assert.equal(result.errorKind, 'status');
      assert.match(
        result.message,
        /^query failed: Cannot execute statement in a READ ONLY transaction.* 1792, SQLSTATE 25006\)$/,
      );
    }
    assert.equal(server.sql('SELECT COUNT(*) FROM app.health').trim(), '1');
    await assertNothingLeft();
  });

  it('names a wrong password and a missing database, with the secret nowhere in the result', async () => {
    const wrong = await mysqlCheck.run(
      server.target,
      login({ password: 'not-the-password' }),
      context(),
    );
    assert.equal(wrong.status, 'down');
    assert.equal(wrong.errorKind, 'status');
    assert.match(wrong.message, /^login refused: Access denied for user 'monitor'.*1045/);
    assert.doesNotMatch(JSON.stringify(wrong), /not-the-password/);
    const missing = await mysqlCheck.run(server.target, login({ database: 'nope' }), context());
    assert.equal(missing.errorKind, 'status');
    assert.match(missing.message, /^login refused: .*'nope'.*\(ER_\w+ 10\d\d, SQLSTATE 42000\)$/);
    await assertNothingLeft();
  });

  it('stops a slow query at the timeout, and the server stops it too', async () => {
    const result = await mysqlCheck.run(
      server.target,
      login({ query: 'SELECT SLEEP(30)' }),
      context(1_000),
    );
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.message, 'no answer within 1000 ms during the query');
    await assertNothingLeft();
  });

  it('an abort ends the check at once', async () => {
    const controller = new AbortController();
    const running = mysqlCheck.run(
      server.target,
      login({ query: 'SELECT SLEEP(30)' }),
      context(3_000, controller.signal),
    );
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    assert.equal(result.errorKind, 'timeout');
    assert.match(result.message, /^check cancelled after \d+ ms during the query$/);
    assert.ok(result.latencyMs < 1_500, `ended after ${result.latencyMs} ms`);
    // The server ends the orphaned SLEEP at its statement limit (the check's timeout, 3 s).
    await assertNothingLeft();
  });

  it('asks for TLS by default and says so when the server has none', async () => {
    const result = await mysqlCheck.run(server.target, login({ tls: 'verify' }), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'tls');
    assert.match(result.message, /does not offer TLS/);
    await assertNothingLeft();
  });

  it('verifies the certificate against the given CA; another CA fails, require skips it', async () => {
    const verified = await mysqlCheck.run(
      tlsServer.target,
      login({ tls: 'verify', ca: ca.certPem }),
      context(),
    );
    assert.equal(verified.status, 'up', verified.message);
    const other = await createTestCa('Some Other CA');
    const wrongCa = await mysqlCheck.run(
      tlsServer.target,
      login({ tls: 'verify', ca: other.certPem }),
      context(),
    );
    assert.equal(wrongCa.status, 'down', wrongCa.message);
    assert.equal(wrongCa.errorKind, 'tls');
    assert.match(wrongCa.message, /^TLS error: .*certificate/);
    const encrypted = await mysqlCheck.run(tlsServer.target, login({ tls: 'require' }), context());
    assert.equal(encrypted.status, 'up', encrypted.message);
    await assertNothingLeft(tlsServer);
  });

  it('a refused port is down as refused', async () => {
    const result = await mysqlCheck.run(`127.0.0.1:${await closedPort()}`, login(), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused');
    await settlesTo(openTcpSockets, baseline, 'TCP sockets');
  });

  it('a server that never answers times out, and the connection is closed', async () => {
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
      const result = await mysqlCheck.run(`127.0.0.1:${port}`, login(), context(500));
      assert.equal(result.status, 'down');
      assert.equal(result.errorKind, 'timeout');
      assert.equal(result.message, 'no answer within 500 ms during connecting and logging in');
      await settlesTo(() => sockets.size - closed, 0, 'connections to the silent server');
      assert.equal(sockets.size, 1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    await settlesTo(openTcpSockets, baseline, 'TCP sockets');
  });
});
