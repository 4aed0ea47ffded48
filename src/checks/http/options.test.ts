import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpFlags } from './flags.ts';
import { httpOptionsSchema } from './options.ts';

const CA_PEM_PATTERN = /PEM text/;

function issues(input: unknown): { path: string; message: string }[] {
  const result = httpOptionsSchema.safeParse(input);
  assert.equal(result.success, false);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

test('fills defaults for an empty object', () => {
  assert.deepEqual(httpOptionsSchema.parse({}), {
    method: 'GET',
    headers: {},
    expectedStatus: ['200-399'],
    followRedirects: true,
    maxRedirects: 10,
    insecure: false,
  });
});

test('accepts the CLI shapes and stores the canonical ones', () => {
  const parsed = httpOptionsSchema.parse({
    method: 'post',
    headers: ['X-Token: abc', 'Accept: text/plain'],
    expectedStatus: '200-299, 301',
    maxRedirects: '3',
    degradedThresholdMs: '1.5s',
    followRedirects: false,
    body: 'hi',
    insecure: undefined,
  });
  assert.equal(parsed.method, 'POST');
  assert.deepEqual(parsed.headers, { 'X-Token': 'abc', Accept: 'text/plain' });
  assert.deepEqual(parsed.expectedStatus, ['200-299', '301']);
  assert.equal(parsed.maxRedirects, 3);
  assert.equal(parsed.degradedThresholdMs, 1500);
  assert.equal(parsed.followRedirects, false);
  assert.equal(parsed.insecure, false);
});

test('parsing the stored shape again gives the same options', () => {
  const once = httpOptionsSchema.parse({ expectedStatus: [200, '300-302'], headers: ['A: 1'] });
  assert.deepEqual(httpOptionsSchema.parse(once), once);
});

test("the CLI's --no-follow key is followRedirects", () => {
  const flag = httpFlags.find((f) => f.flags === '--no-follow');
  assert.equal(flag?.key, 'followRedirects');
  assert.equal(flag.kind, 'boolean');
});

test('validation errors name the field and the reason, all at once', () => {
  const found = issues({
    method: 'FETCH',
    headers: ['broken'],
    expectedStatus: '2xx',
    maxRedirects: 21,
    degradedThresholdMs: 'soon',
    ca: 'not a pem',
    folowRedirects: true,
  });
  const byPath = new Map(found.map((issue) => [issue.path, issue.message]));
  assert.match(byPath.get('method') ?? '', /GET/);
  assert.match(byPath.get('headers') ?? '', /"broken" is not a header/);
  assert.match(byPath.get('expectedStatus') ?? '', /"2xx" is not a status code/);
  assert.match(byPath.get('maxRedirects') ?? '', /20/);
  assert.match(byPath.get('degradedThresholdMs') ?? '', /duration/);
  assert.match(byPath.get('ca') ?? '', CA_PEM_PATTERN);
  assert.ok(
    found.some((issue) => issue.message.includes('folowRedirects')),
    'unknown key reported',
  );
});

test('a negative redirect limit is refused', () => {
  assert.ok(issues({ maxRedirects: -1 }).some((issue) => issue.path === 'maxRedirects'));
});
