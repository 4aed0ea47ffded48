import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { newId } from '../lib/ids.ts';
import { createLogger } from '../observability/logger.ts';
import * as authOps from '../operations/auth-ops.ts';
import type { OperationServices } from '../operations/services.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import { createAuthService } from '../services/auth/auth-service.ts';
import { prepareSetupToken } from '../services/auth/setup-token.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { ApiErrorBody } from './errors.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { createRequestAuthenticator } from './request-auth.ts';
import { buildBareApiServer, requireAuthentication } from './server.ts';
import { registerSessionRoutes } from './session-routes.ts';

const ADMIN_PASSWORD = 'admin password 1';
const EDITOR_PASSWORD = 'editor password 1';

/** A browser after sign-in: its cookie header and CSRF token. */
interface Browser {
  cookie: string;
  csrf: string;
}

function errorOf(response: LightMyRequestResponse): ApiErrorBody['error'] {
  return response.json<ApiErrorBody>().error;
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

describe('auth over the HTTP API (real SQLite store)', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let auth: AuthService;
  let api: FastifyInstance;
  let setupFile: string;
  const clock = new FakeClock();
  const logLines: string[] = [];
  /** Every secret seen; none may ever appear in a log line. */
  const secrets: string[] = [ADMIN_PASSWORD, EDITOR_PASSWORD];

  async function login(name: string, password: string, totp?: string) {
    return api.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { name, password, ...(totp === undefined ? {} : { totp }) },
    });
  }

  async function signIn(name: string, password: string, totp?: string): Promise<Browser> {
    const response = await login(name, password, totp);
    assert.equal(response.statusCode, 200, response.body);
    const setCookie = String(response.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = setCookie.split(';')[0] ?? '';
    const { csrfToken } = response.json<{ csrfToken: string }>();
    secrets.push(cookie.split('=')[1] ?? '', csrfToken);
    return { cookie, csrf: csrfToken };
  }

  before(async () => {
    ({ store, dir, cleanup } = await tempSqliteStore());
    setupFile = path.join(dir, 'setup-token');
    const logger = createLogger(
      'debug',
      'json',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    );
    auth = createAuthService({ store, clock, logger, newId, setupTokenFile: setupFile });
    api = buildBareApiServer(logger);
    requireAuthentication(api, createRequestAuthenticator(auth, { secureCookies: false }));
    registerSessionRoutes(api, { auth, secureCookies: false });
    // Only the auth operations are served here; they use nothing but `auth`.
    const services = { clock, auth, unavailableReason: 'test' } as unknown as OperationServices;
    registerOperationRoutes(api, Object.values(authOps), services);
    await prepareSetupToken(store, setupFile, logger);
  });
  after(() => cleanup());

  it('creates the first admin only with the setup token, once, and names bad fields', async () => {
    const setupToken = fs.readFileSync(setupFile, 'utf8').trim();
    secrets.push(setupToken);
    assert.equal((fs.statSync(setupFile).mode & 0o777).toString(8), '600');
    const status = await api.inject({ method: 'GET', url: '/api/v1/auth/setup' });
    assert.deepEqual(status.json(), { needed: true });

    const wrong = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { setupToken: 'guess', name: 'root', password: ADMIN_PASSWORD },
    });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(
      errorOf(wrong).issues.map((i) => i.path),
      ['setupToken'],
    );

    const invalid = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { setupToken, name: 'bad name!', password: 'short' },
    });
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(
      errorOf(invalid)
        .issues.map((i) => i.path)
        .sort(),
      ['name', 'password'],
    );

    const created = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { setupToken, name: 'root', password: ADMIN_PASSWORD },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json<{ role: string }>().role, 'admin');
    assert.equal(fs.existsSync(setupFile), false);

    const again = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { setupToken, name: 'root2', password: ADMIN_PASSWORD },
    });
    assert.equal(again.statusCode, 401);
  });

  it('refuses requests without credentials, loopback included', async () => {
    const response = await api.inject({ method: 'GET', url: '/api/v1/auth/me' });
    assert.equal(response.statusCode, 401);
    assert.equal(errorOf(response).code, 'UNAUTHORIZED');
    const garbage = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer('cc_not-a-real-token'),
    });
    assert.equal(garbage.statusCode, 401);
  });

  it('a session cookie works for reads; writes also need the CSRF header', async () => {
    const admin = await signIn('root', ADMIN_PASSWORD);
    const me = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: admin.cookie },
    });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json<{ name: string }>().name, 'root');

    const payload = { name: 'ed', role: 'editor', password: EDITOR_PASSWORD };
    const noCsrf = await api.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: admin.cookie },
      payload,
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.match(errorOf(noCsrf).message, /CSRF/);
    const badCsrf = await api.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: admin.cookie, 'x-csrf-token': 'forged' },
      payload,
    });
    assert.equal(badCsrf.statusCode, 403);
    const created = await api.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload,
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.ok(!created.body.includes('argon2'));

    const loggedOut = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    assert.equal(loggedOut.statusCode, 204);
    const after = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: admin.cookie },
    });
    assert.equal(after.statusCode, 401);
  });

  it('tokens: wrong role 403, read-only on write 403, expired and revoked 401, never listed', async () => {
    const ed = await signIn('ed', EDITOR_PASSWORD);
    const session = { cookie: ed.cookie, 'x-csrf-token': ed.csrf };
    const make = async (payload: object) => {
      const response = await api.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: session,
        payload,
      });
      assert.equal(response.statusCode, 201, response.body);
      const created = response.json<{ id: string; token: string }>();
      secrets.push(created.token);
      return created;
    };
    const write = await make({ name: 'ci', access: 'write' });
    const read = await make({ name: 'grafana' });
    const shortLived = await make({ name: 'temp', access: 'write', expires: '1h' });
    assert.match(write.token, /^cc_/);

    const wrongRole = await api.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: bearer(write.token),
    });
    assert.equal(wrongRole.statusCode, 403);
    assert.equal(errorOf(wrongRole).code, 'FORBIDDEN');

    const readOnWrite = await api.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(read.token),
      payload: { name: 'x' },
    });
    assert.equal(readOnWrite.statusCode, 403);
    const readOk = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(read.token),
    });
    assert.equal(readOk.statusCode, 200);

    const invalid = await api.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(write.token),
      payload: { name: '', access: 'admin', expires: 'soon' },
    });
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(
      errorOf(invalid)
        .issues.map((i) => i.path)
        .sort(),
      ['access', 'expires', 'name'],
    );

    const listed = await api.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: bearer(read.token),
    });
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.json<{ items: unknown[] }>().items.length, 3);
    for (const token of [write.token, read.token, shortLived.token])
      assert.ok(!listed.body.includes(token));
    assert.ok(!listed.body.includes('Hash'));
    const allByEditor = await api.inject({
      method: 'GET',
      url: '/api/v1/tokens?all=true',
      headers: bearer(read.token),
    });
    assert.equal(allByEditor.statusCode, 403);

    assert.equal(
      (
        await api.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: bearer(shortLived.token),
        })
      ).statusCode,
      200,
    );
    await clock.advance(3_600_000);
    const expired = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(shortLived.token),
    });
    assert.equal(expired.statusCode, 401);
    assert.match(errorOf(expired).message, /expired/);

    const revoke = await api.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${write.id}`,
      headers: bearer(write.token),
    });
    assert.equal(revoke.statusCode, 200, revoke.body);
    const revoked = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(write.token),
    });
    assert.equal(revoked.statusCode, 401);
    assert.match(errorOf(revoked).message, /revoked/);
  });

  it('TOTP: enrol, confirm with a code from the secret, then sign-in needs a code', async () => {
    const ed = await signIn('ed', EDITOR_PASSWORD);
    const session = { cookie: ed.cookie, 'x-csrf-token': ed.csrf };
    const enrol = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/me/totp',
      headers: session,
      payload: {},
    });
    assert.equal(enrol.statusCode, 200, enrol.body);
    const { secret, uri } = enrol.json<{ secret: string; uri: string }>();
    secrets.push(secret);
    assert.ok(uri.startsWith('otpauth://totp/'));
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    const code = () => totp.generate({ timestamp: clock.now() });

    const wrong = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/me/totp/confirm',
      headers: session,
      payload: { code: '000000' === code() ? '111111' : '000000' },
    });
    assert.equal(wrong.statusCode, 400);
    const confirm = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/me/totp/confirm',
      headers: session,
      payload: { code: code() },
    });
    assert.equal(confirm.statusCode, 200, confirm.body);
    assert.ok(
      !JSON.stringify(
        (await api.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session })).json(),
      ).includes(secret),
    );

    await clock.advance(30_000);
    const missing = await login('ed', EDITOR_PASSWORD);
    assert.equal(missing.statusCode, 401);
    assert.deepEqual(
      errorOf(missing).issues.map((i) => i.path),
      ['totp'],
    );
    const wrongCode = await login('ed', EDITOR_PASSWORD, code() === '123456' ? '654321' : '123456');
    assert.equal(wrongCode.statusCode, 401);
    await signIn('ed', EDITOR_PASSWORD, code());
    const replay = await login('ed', EDITOR_PASSWORD, code());
    assert.equal(replay.statusCode, 401, 'a code works once');
  });

  it('throttles sign-in per user name: 429 with Retry-After, even with the right password', async () => {
    await clock.advance(3_600_000);
    for (let i = 0; i < 5; i++) {
      const response = await login('root', `wrong password ${i}`);
      assert.equal(response.statusCode, 401);
    }
    const locked = await login('root', ADMIN_PASSWORD);
    assert.equal(locked.statusCode, 429);
    assert.equal(errorOf(locked).code, 'RATE_LIMITED');
    assert.equal(locked.headers['retry-after'], '1');
    await clock.advance(1_000);
    await signIn('root', ADMIN_PASSWORD);
  });

  it('a node operator token acts with the role chosen at join, until the node is removed', async () => {
    const token = await auth.createNodeOperator('node_abc', 'viewer');
    secrets.push(token);
    const me = await api.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    assert.equal(me.statusCode, 200, me.body);
    assert.deepEqual(
      (({ name, role, kind }) => ({ name, role, kind }))(
        me.json<{ name: string; role: string; kind: string }>(),
      ),
      { name: 'node:node_abc', role: 'viewer', kind: 'node' },
    );
    const write = await api.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(token),
      payload: { name: 'x', access: 'write' },
    });
    assert.equal(write.statusCode, 201, 'a viewer may still manage its own tokens');
    secrets.push(write.json<{ token: string }>().token);
    const admin = await api.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) });
    assert.equal(admin.statusCode, 403);

    await auth.revokeNodeOperator('node_abc');
    const after = await api.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(token),
    });
    assert.equal(after.statusCode, 401);
  });

  it('never writes a secret to the log', () => {
    const log = logLines.join('');
    assert.ok(log.includes('auth.login: failed'), 'the log was captured');
    for (const secret of secrets.filter((s) => s.length > 0))
      assert.ok(!log.includes(secret), `a secret appeared in the log`);
    assert.ok(!log.includes('argon2id'));
  });
});
