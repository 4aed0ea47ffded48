import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpJsonOptionsSchema } from './options.ts';

test('accepts one assertion or a list, stored trimmed as written', () => {
  assert.deepEqual(httpJsonOptionsSchema.parse({ assertions: ' $.status == "ok" ' }).assertions, [
    '$.status == "ok"',
  ]);
  const options = httpJsonOptionsSchema.parse({
    assertions: ['$.a == 1', '$.b contains "x"'],
    method: 'post',
  });
  assert.deepEqual(options.assertions, ['$.a == 1', '$.b contains "x"']);
  assert.equal(options.method, 'POST');
});

test('a bad assertion is a validation error naming which one and why', () => {
  const result = httpJsonOptionsSchema.safeParse({ assertions: ['$.a == 1', '$.b ~ 2'] });
  assert.equal(result.success, false);
  const issue = result.error?.issues[0];
  assert.deepEqual(issue?.path, ['assertions', 1]);
  assert.match(issue?.message ?? '', /^assertion 2 \(\$\.b ~ 2\): expected an operator/);
});

test('at least one assertion is required', () => {
  for (const input of [{}, { assertions: [] }]) {
    const result = httpJsonOptionsSchema.safeParse(input);
    assert.equal(result.success, false);
    assert.equal(result.error?.issues[0]?.path[0], 'assertions');
  }
});

test('HEAD is refused: it has no body', () => {
  const result = httpJsonOptionsSchema.safeParse({ assertions: ['$.a == 1'], method: 'HEAD' });
  assert.equal(result.success, false);
  assert.deepEqual(result.error?.issues[0]?.path, ['method']);
});
