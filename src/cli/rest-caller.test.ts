import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findOperation } from '../operations/registry.ts';
import type { AnyOperation } from '../operations/kit.ts';
import { operationRequest } from './rest-caller.ts';

function op(name: string): AnyOperation {
  const found = findOperation(name);
  assert.ok(found, name);
  return found;
}

describe('an operation as a REST request', () => {
  it('fills path fields and sends the rest of a GET as the query string', () => {
    assert.deepEqual(operationRequest(op('monitors.uptime'), { id: 'mon 1', window: '24h' }), {
      method: 'GET',
      path: '/api/v1/monitors/mon%201/uptime?window=24h',
    });
  });

  it('joins lists with commas and leaves out absent fields', () => {
    assert.deepEqual(
      operationRequest(op('monitors.rounds'), { id: 'm', verdict: ['down', 'up'], limit: 5 }),
      { method: 'GET', path: '/api/v1/monitors/m/rounds?verdict=down%2Cup&limit=5' },
    );
    assert.deepEqual(operationRequest(op('monitors.list'), { group: undefined }), {
      method: 'GET',
      path: '/api/v1/monitors',
    });
  });

  it('sends the other fields as the JSON body, or the body field whole', () => {
    assert.deepEqual(operationRequest(op('monitors.create'), { name: 'x', type: 'tcp' }), {
      method: 'POST',
      path: '/api/v1/monitors',
      body: { name: 'x', type: 'tcp' },
    });
    assert.deepEqual(operationRequest(op('monitors.update'), { id: 'm', patch: { name: 'y' } }), {
      method: 'PATCH',
      path: '/api/v1/monitors/m',
      body: { name: 'y' },
    });
  });

  it('names a missing path field', () => {
    assert.throws(
      () => operationRequest(op('monitors.get'), {}),
      (error: { code?: string; issues?: { path: string }[] }) =>
        error.code === 'VALIDATION' && error.issues?.[0]?.path === 'id',
    );
  });
});
