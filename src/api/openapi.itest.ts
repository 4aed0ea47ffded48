import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { OPERATIONS } from '../operations/registry.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';
import { localTokenAuthenticator } from './auth.ts';
import { openApiDocument } from './openapi.ts';

type Document = {
  paths: Record<string, Record<string, { operationId: string; parameters?: { name: string }[] }>>;
};

describe('the OpenAPI document', () => {
  let store: Store;
  let cleanup: () => Promise<void>;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
  });
  after(() => cleanup());

  it('is a valid OpenAPI 3.1 document by a real validator', async () => {
    const result = await new Validator().validate(openApiDocument(OPERATIONS));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    // The validator does reject: a path item with a response missing its description.
    const broken = structuredClone(openApiDocument(OPERATIONS)) as Document;
    const first = Object.values(broken.paths)[0] ?? {};
    (Object.values(first)[0] as unknown as { responses: unknown }).responses = { '200': {} };
    assert.equal((await new Validator().validate(broken)).valid, false);
  });

  it('has exactly one path and method per operation of the registry, and nothing else', () => {
    const document = openApiDocument(OPERATIONS) as Document;
    const served = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.entries(item).map(
          ([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`,
        ),
      )
      .sort();
    const registry = OPERATIONS.map((op) => `${op.http.method} ${op.http.path} ${op.name}`).sort();
    assert.deepEqual(served, registry);
  });

  it('documents both answers of a delete: 204 unmanaged, 200 with the warnings managed', () => {
    type Responses = Record<string, { content?: Record<string, { schema: unknown }> }>;
    const paths = openApiDocument(OPERATIONS).paths as Record<
      string,
      Record<string, { responses: Responses }>
    >;
    const deletes = OPERATIONS.filter((op) =>
      [
        'monitors.delete',
        'alerts.targets.delete',
        'alerts.rules.delete',
        'maintenance.delete',
        'statuspages.delete',
      ].includes(op.name),
    );
    assert.equal(deletes.length, 5);
    for (const op of deletes) {
      const responses = paths[op.http.path]?.delete?.responses ?? {};
      assert.equal(responses['204']?.content, undefined, op.name);
      const body = JSON.stringify(responses['200']?.content?.['application/json']?.schema);
      assert.match(body, /"warnings"/, op.name);
    }
    // A delete with nothing to say has no 200 to document.
    const user = paths['/api/v1/users/{id}']?.delete?.responses ?? {};
    assert.equal(user['200'], undefined);
  });

  it('names every path template field as a path parameter', () => {
    const document = openApiDocument(OPERATIONS) as Document;
    for (const [path, item] of Object.entries(document.paths)) {
      const fields = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) {
        const names = (op.parameters ?? []).map((p) => p.name);
        for (const field of fields)
          assert.ok(names.includes(field ?? ''), `${op.operationId}: ${field}`);
      }
    }
  });

  it('is served at /api/v1/openapi.json with the reference page, both behind the token', async () => {
    const api = testApiServer(
      storeOperationServices(store, new FakeClock()),
      localTokenAuthenticator('t0ken'),
    );
    const headers = { authorization: 'Bearer t0ken' };
    assert.equal((await api.inject({ url: '/api/v1/openapi.json' })).statusCode, 401);
    const doc = await api.inject({ url: '/api/v1/openapi.json', headers });
    assert.equal(doc.statusCode, 200);
    assert.deepEqual(doc.json(), JSON.parse(JSON.stringify(openApiDocument(OPERATIONS))));
    const page = await api.inject({ url: '/api/v1/docs/', headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<script src="\/api\/v1\/docs\/swagger-ui-bundle\.js"><\/script>/);
    assert.doesNotMatch(page.body, /https?:\/\//, 'no CDN: every asset is served locally');
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) {
      const res = await api.inject({ url: `/api/v1/docs/${asset}`, headers });
      assert.equal(res.statusCode, 200, asset);
      assert.ok(res.body.length > 10, asset);
    }
  });
});
