import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpOptionsSchema } from './options.ts';
import { redactHttpOptions } from './redact.ts';

describe('redactHttpOptions', () => {
  it('masks header values that may carry credentials and keeps plain ones', () => {
    const options = httpOptionsSchema.parse({
      headers: ['Authorization: Bearer abc', 'X-Api-Key: k', 'Accept: application/json'],
    });
    const shown = redactHttpOptions(options);
    assert.equal(shown.headers['Authorization'] ?? shown.headers['authorization'], '***');
    assert.equal(shown.headers['X-Api-Key'] ?? shown.headers['x-api-key'], '***');
    assert.equal(shown.headers['Accept'] ?? shown.headers['accept'], 'application/json');
    assert.equal(
      options.headers['Authorization'] ?? options.headers['authorization'],
      'Bearer abc',
      'input untouched',
    );
  });
});
