import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOCAL_ADMIN, pathFields, roleAtLeast } from '../operations/kit.ts';
import type { AnyOperation, Principal } from '../operations/kit.ts';
import { OPERATIONS } from '../operations/registry.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { actingAs, storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';
import { localTokenAuthenticator } from './auth.ts';
import type { ApiErrorBody } from './errors.ts';

// Every operation of the registry, through the REST adapter: the rules that hold for all of them
// (credentials, roles, read-only tokens, unknown fields) are checked for all of them, so a new
// operation cannot skip one.

const VIEWER: Principal = { ...LOCAL_ADMIN, userId: 'u-v', name: 'viewer', role: 'viewer' };
const EDITOR: Principal = { ...LOCAL_ADMIN, userId: 'u-e', name: 'editor', role: 'editor' };
const READ_ONLY_ADMIN: Principal = { ...LOCAL_ADMIN, access: 'read' };

function url(op: AnyOperation, query = ''): string {
  const path = op.http.path.replace(/\{(\w+)\}/g, (_, field: string) => `some-${field}`);
  return `${path}${query}`;
}

describe('every operation over REST', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const clock = new FakeClock();

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
  });
  after(() => cleanup());

  function send(op: AnyOperation, principal: Principal | null, extra?: Record<string, unknown>) {
    const api = testApiServer(
      storeOperationServices(store, clock),
      principal === null ? localTokenAuthenticator('the-token') : actingAs(principal),
    );
    const readsQuery = op.http.method === 'GET' || op.http.method === 'DELETE';
    const query =
      readsQuery && extra
        ? `?${new URLSearchParams(extra as Record<string, string>).toString()}`
        : '';
    return api.inject({
      method: op.http.method,
      url: url(op, query),
      ...(readsQuery ? {} : { payload: extra ?? {} }),
    });
  }

  it('refuses every operation without credentials (401)', async () => {
    for (const op of OPERATIONS) {
      const res = await send(op, null);
      assert.equal(res.statusCode, 401, op.name);
      assert.equal(res.json<ApiErrorBody>().error.code, 'UNAUTHORIZED', op.name);
    }
  });

  it('refuses a role below the operation’s (403), before reading the input', async () => {
    for (const op of OPERATIONS) {
      for (const principal of [VIEWER, EDITOR]) {
        if (roleAtLeast(principal.role, op.role)) continue;
        const res = await send(op, principal);
        assert.equal(res.statusCode, 403, `${op.name} as ${principal.role}`);
        assert.equal(res.json<ApiErrorBody>().error.code, 'FORBIDDEN', op.name);
      }
    }
  });

  it('refuses every write to a read-only credential (403), whatever its role', async () => {
    const writes = OPERATIONS.filter((op) => op.access === 'write');
    assert.ok(writes.length > 10);
    for (const op of writes) {
      const res = await send(op, READ_ONLY_ADMIN);
      assert.equal(res.statusCode, 403, op.name);
      assert.match(res.json<ApiErrorBody>().error.message, /read-only/, op.name);
    }
  });

  it('answers 400 naming an unknown field, for every operation', async () => {
    for (const op of OPERATIONS) {
      const res = await send(op, LOCAL_ADMIN, { bogusField: '1' });
      assert.equal(res.statusCode, 400, `${op.name}: ${res.body}`);
      const body = res.json<ApiErrorBody>();
      assert.equal(body.error.code, 'VALIDATION', op.name);
      const readsQuery = op.http.method === 'GET' || op.http.method === 'DELETE';
      const expected = readsQuery ? 'query.bogusField' : 'bogusField';
      assert.ok(
        body.error.issues.some((issue) => issue.path === expected),
        `${op.name}: ${JSON.stringify(body.error.issues)}`,
      );
    }
  });

  it('has a path parameter for every `{field}` of a route and an input field for each', () => {
    for (const op of OPERATIONS) {
      const shape = (op.input as { shape: Record<string, unknown> }).shape;
      for (const field of pathFields(op.http.path))
        assert.ok(field in shape, `${op.name}: ${field}`);
    }
  });
});
