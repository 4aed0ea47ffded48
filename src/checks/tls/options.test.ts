import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tlsOptionsSchema } from './options.ts';

test('defaults: warn 14 days ahead, verify the chain, no extra CA', () => {
  assert.deepEqual(tlsOptionsSchema.parse({}), { warnDays: 14, insecure: false });
});

test('accepts CLI text for warnDays', () => {
  assert.equal(tlsOptionsSchema.parse({ warnDays: '30', ca: undefined }).warnDays, 30);
});

test('errors name the field', () => {
  const result = tlsOptionsSchema.safeParse({
    warnDays: -1,
    ca: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----',
  });
  assert.equal(result.success, false);
  const paths = (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
  assert.deepEqual(paths.sort(), ['ca', 'warnDays']);
  const caIssue = result.error?.issues.find((issue) => issue.path[0] === 'ca');
  assert.match(caIssue?.message ?? '', /certificate 1 is not valid/);
});
