import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { AppError, isFenced, isStorageFull } from '../lib/errors.ts';
import { handleApiError } from './errors.ts';

// A refused leader write (FENCED) is "try again elsewhere", never a server fault or a full disk.

describe('a FENCED error', () => {
  let app: FastifyInstance;
  const fenced = new AppError('FENCED', 'write refused: not the leader any more');

  before(async () => {
    app = Fastify();
    app.setErrorHandler(handleApiError);
    app.get('/write', () => {
      throw fenced;
    });
    await app.ready();
  });
  after(() => app.close());

  it('answers 503 with its code', async () => {
    const answer = await app.inject({ method: 'GET', url: '/write' });
    assert.equal(answer.statusCode, 503);
    assert.equal(answer.json<{ error: { code: string } }>().error.code, 'FENCED');
  });

  it('is told apart from a full disk and from other errors', () => {
    assert.equal(isFenced(fenced), true);
    assert.equal(isStorageFull(fenced), false);
    assert.equal(isFenced(new AppError('UNAVAILABLE', 'down')), false);
    assert.equal(isFenced(new Error('FENCED')), false);
  });
});
