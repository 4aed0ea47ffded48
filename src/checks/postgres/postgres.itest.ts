import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { selfSignedLeaf } from '../../../test/helpers/certs.ts';
import { postgresBinDir, startPostgres } from '../../../test/helpers/postgres-server.ts';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { postgresCheck } from './index.ts';
import { postgresOptionsSchema } from './options.ts';

// The postgres check against a real PostgreSQL server the test starts (and one with TLS), a
// closed port and a server that accepts and never answers; every session must be gone after.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const MONITOR_PASSWORD = 'monitor-pw-1';

function context(timeoutMs = 5_000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

const options = (input: Record<string, unknown>) => postgresOptionsSchema.parse(input);

describe('postgres check against a real server', { skip, timeout: 120_000 }, () => {
  let server: TestPostgres;
  let tlsServer: TestPostgres;
  let admin: pg.Client;
  const login = (extra: Record<string, unknown> = {}) =>
    options({
      username: 'monitor',
      password: MONITOR_PASSWORD,
      database: 'app',
      tls: 'off',
      ...extra,
    });

  /** Sessions the check left on the server (it names itself `crosscheck`). */
  async function checkSessions(): Promise<number> {
    const { rows } = await admin.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'crosscheck'",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Waits (bounded) until the server has no session of the check left. */
  async function assertNoSessionLeft(): Promise<void> {
    for (let i = 0; i < 50 && (await checkSessions()) > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await checkSessions(), 0, 'a check session stayed open on the server');
  }

  before(async () => {
    server = await startPostgres();
    tlsServer = await startPostgres({
      tls: await selfSignedLeaf({ hosts: ['localhost', '127.0.0.1'] }),
    });
    admin = new pg.Client({
      host: server.host,
      port: server.port,
      user: server.superuser,
      password: server.password,
      database: 'postgres',
    });
    await admin.connect();
    await admin.query(`CREATE ROLE monitor LOGIN PASSWORD '${MONITOR_PASSWORD}'`);
    await admin.query('CREATE DATABASE app OWNER monitor');
    const app = new pg.Client({
      host: server.host,
      port: server.port,
      user: 'monitor',
      password: MONITOR_PASSWORD,
      database: 'app',
    });
    await app.connect();
    await app.query("CREATE TABLE health (v text); INSERT INTO health VALUES ('ok')");
    await app.end();
  });

  after(async () => {
    await admin?.end();
    await server?.stop();
    await tlsServer?.stop();
  });

  it('logs in and reports the server version', async () => {
    const result = await postgresCheck.run(server.target, login(), context());
    assert.equal(result.status, 'up', result.message);
    assert.match(result.message, /^logged in \(PostgreSQL \d+/);
    assert.match(String(result.details.serverVersion), /^\d+/);
    assert.equal(typeof result.timings.connectMs, 'number');
    await assertNoSessionLeft();
  });

  it('compares the first value of a query, and names what came back when it differs', async () => {
    const up = await postgresCheck.run(
      server.target,
      login({ query: 'SELECT v FROM health', expect: 'ok' }),
      context(),
    );
    assert.equal(up.status, 'up', up.message);
    assert.equal(up.details.value, 'ok');
    const down = await postgresCheck.run(
      server.target,
      login({ query: 'SELECT count(*) FROM health', expect: '0' }),
      context(),
    );
    assert.equal(down.status, 'down');
    assert.equal(down.errorKind, 'assertion');
    assert.equal(down.message, 'expected "0", got "1"');
    const none = await postgresCheck.run(
      server.target,
      login({ query: "SELECT v FROM health WHERE v = 'missing'", expect: 'ok' }),
      context(),
    );
    assert.equal(none.message, 'expected "ok", got no row');
    await assertNoSessionLeft();
  });

  it('reads many rows without keeping them: the first value and the count', async () => {
    const result = await postgresCheck.run(
      server.target,
      login({ query: 'SELECT generate_series(1, 200000)', expect: '1' }),
      context(),
    );
    assert.equal(result.status, 'up', result.message);
    assert.equal(result.details.rows, 200_000);
  });

  it('runs the query read-only: a write is refused by the server', async () => {
    const result = await postgresCheck.run(
      server.target,
      login({ query: "INSERT INTO health VALUES ('written')" }),
      context(),
    );
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'status');
    assert.match(result.message, /^query failed: .*read-only transaction \(SQLSTATE 25006\)$/);
    const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'app'");
    assert.equal(rows.length, 1);
  });

  it('names a refused login and a missing database, with the secret nowhere in the result', async () => {
    const wrong = await postgresCheck.run(
      server.target,
      login({ password: 'not-the-password' }),
      context(),
    );
    assert.equal(wrong.status, 'down');
    assert.equal(wrong.errorKind, 'status');
    assert.match(
      wrong.message,
      /^login refused: .*password authentication failed.*\(SQLSTATE 28P01\)$/,
    );
    assert.doesNotMatch(JSON.stringify(wrong), /not-the-password/);
    const missing = await postgresCheck.run(server.target, login({ database: 'nope' }), context());
    assert.match(missing.message, /^login refused: .*"nope" does not exist \(SQLSTATE 3D000\)$/);
    await assertNoSessionLeft();
  });

  it('stops a query at the timeout, and the server stops it too', async () => {
    const result = await postgresCheck.run(
      server.target,
      login({ query: 'SELECT pg_sleep(30)' }),
      context(1_000),
    );
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.message, 'no answer within 1000 ms during the query');
    await assertNoSessionLeft();
  });

  it('asks for TLS by default and says so when the server has none', async () => {
    const result = await postgresCheck.run(server.target, login({ tls: 'verify' }), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'tls');
    assert.match(result.message, /does not offer TLS/);
  });

  it('verifies the certificate: self-signed fails verify and passes require', async () => {
    const superuser = {
      username: tlsServer.superuser,
      password: tlsServer.password,
      database: 'postgres',
    };
    const verify = await postgresCheck.run(
      tlsServer.target,
      options({ ...superuser, tls: 'verify' }),
      context(),
    );
    assert.equal(verify.status, 'down', verify.message);
    assert.equal(verify.errorKind, 'tls');
    const encrypted = await postgresCheck.run(
      tlsServer.target,
      options({ ...superuser, tls: 'require' }),
      context(),
    );
    assert.equal(encrypted.status, 'up', encrypted.message);
  });

  it('a refused port is down as refused', async () => {
    const result = await postgresCheck.run(`127.0.0.1:${await closedPort()}`, login(), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused');
  });

  it('a server that never answers times out, and the connection is closed', async () => {
    const sockets = new Set<Socket>();
    let closed = 0;
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => closed++);
      // Reads (and drops) the client's startup message, so the client's close is seen.
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const result = await postgresCheck.run(`127.0.0.1:${port}`, login(), context(500));
      assert.equal(result.status, 'down');
      assert.equal(result.errorKind, 'timeout');
      assert.equal(result.message, 'no answer within 500 ms during connecting and logging in');
      for (let i = 0; i < 50 && closed < sockets.size; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(closed, sockets.size, 'the check closed its connection');
      assert.equal(sockets.size, 1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('an abort ends the check at once', async () => {
    const controller = new AbortController();
    const running = postgresCheck.run(
      server.target,
      login({ query: 'SELECT pg_sleep(30)' }),
      context(2_000, controller.signal),
    );
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'timeout');
    assert.match(result.message, /^check cancelled after \d+ ms during the query$/);
    // The server notices the closed session when its statement timeout (the check's) ends it.
    await assertNoSessionLeft();
  });
});
