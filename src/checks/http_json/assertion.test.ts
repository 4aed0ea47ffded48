import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  JSON_OPERATORS,
  evaluateJsonAssertion,
  formatJsonAssertion,
  parseJsonAssertion,
} from './assertion.ts';
import type { JsonAssertion, JsonOperator, JsonValue } from './assertion.ts';

function parse(text: string): JsonAssertion {
  const result = parseJsonAssertion(text);
  if (!result.ok) assert.fail(`expected "${text}" to parse: ${result.reason}`);
  return result.assertion;
}

function reason(text: string): string {
  const result = parseJsonAssertion(text);
  assert.equal(result.ok, false, `expected "${text}" to be rejected`);
  return result.ok ? '' : result.reason;
}

function check(text: string, document: unknown): string | undefined {
  return evaluateJsonAssertion(parse(text), document);
}

const doc = {
  status: 'ok',
  version: '2.1',
  checks: { db: { latency: 120, up: true }, cache: null },
  tags: ['prod', 'eu'],
  items: [{ name: 'a' }, { name: 'b' }],
  'odd key': 7,
};

test('parses the documented forms', () => {
  assert.deepEqual(parse('$.status == "ok"'), {
    source: '$.status == "ok"',
    path: '$.status',
    operator: '==',
    expected: 'ok',
  });
  assert.deepEqual(parse('  $.checks.db.latency<200 '), {
    source: '$.checks.db.latency<200',
    path: '$.checks.db.latency',
    operator: '<',
    expected: 200,
  });
  assert.equal(parse('$.version != "1.0"').operator, '!=');
  assert.equal(parse('$.tags contains "prod"').operator, 'contains');
  assert.equal(parse('$.n >= -1.5e2').expected, -150);
  assert.equal(parse("$.status == 'ok'").expected, 'ok');
  assert.equal(parse("$['odd key'] <= 7").path, "$['odd key']");
  assert.equal(parse('$["a == b"] == null').path, '$["a == b"]');
  assert.deepEqual(parse('$.tags == ["prod","eu"]').expected, ['prod', 'eu']);
});

test('explains why a malformed assertion is rejected', () => {
  assert.match(reason('status == "ok"'), /must start with a JSONPath/);
  assert.match(reason('$.status = "ok"'), /use == to compare/);
  assert.match(reason('$.status is "ok"'), /expected an operator/);
  assert.match(reason('$.status =='), /missing the value/);
  assert.match(reason('$.status == ok'), /not a JSON value/);
  assert.match(reason('$.n < "10"'), /< needs a number/);
  assert.match(reason("$['unterminated == 1"), /unterminated quote/);
  assert.match(reason('$.a[0 == 1'), /unclosed \[/);
  assert.match(reason('$.a] == 1'), /unbalanced \]/);
  assert.match(reason('$.items[?(@.name=="a")] contains "a"'), /not supported/);
  assert.match(reason('$.status containsx "a"'), /expected an operator/);
});

test('each operator holds and fails as documented', () => {
  assert.equal(check('$.status == "ok"', doc), undefined);
  assert.equal(check('$.status == "down"', doc), '$.status == "down" failed: actual "ok"');
  assert.equal(check('$.version != "1.0"', doc), undefined);
  assert.equal(check('$.version != "2.1"', doc), '$.version != "2.1" failed: actual "2.1"');
  assert.equal(check('$.checks.db.latency < 200', doc), undefined);
  assert.equal(
    check('$.checks.db.latency < 100', doc),
    '$.checks.db.latency < 100 failed: actual 120',
  );
  assert.equal(check('$.checks.db.latency > 100', doc), undefined);
  assert.match(check('$.checks.db.latency > 120', doc) ?? '', /actual 120/);
  assert.equal(check('$.checks.db.latency <= 120', doc), undefined);
  assert.equal(check('$.checks.db.latency >= 120', doc), undefined);
  assert.match(check('$.checks.db.latency >= 121', doc) ?? '', /failed/);
  assert.equal(check('$.tags contains "prod"', doc), undefined);
  assert.match(check('$.tags contains "dev"', doc) ?? '', /actual \["prod","eu"\]/);
  assert.equal(check('$.status contains "o"', doc), undefined);
  assert.equal(check('$.checks contains "db"', doc), undefined);
  assert.match(check('$.checks contains "queue"', doc) ?? '', /has no key "queue"/);
  assert.equal(check('$.checks.db.up == true', doc), undefined);
  assert.equal(check('$.checks.cache == null', doc), undefined);
});

test('ordering needs a number and contains needs a container', () => {
  assert.match(check('$.status < 5', doc) ?? '', /actual "ok" is not a number/);
  assert.match(
    check('$.checks.db.latency contains "1"', doc) ?? '',
    /not a string, list or object/,
  );
  assert.match(check('$.status contains 1', doc) ?? '', /contains needs a string/);
});

test('a missing path fails naming the path', () => {
  assert.equal(check('$.nope == 1', doc), '$.nope == 1: $.nope not found');
  assert.equal(check('$.nope != 1', doc), '$.nope != 1: $.nope not found');
});

test('a path matching several values compares the list of them', () => {
  assert.equal(check('$.items[*].name contains "b"', doc), undefined);
  assert.equal(check('$.items[*].name == ["a","b"]', doc), undefined);
});

test('long actual values are shortened in messages', () => {
  const message = check('$.text == "short"', { text: 'x'.repeat(500) }) ?? '';
  assert.ok(message.length < 200, message);
});

// Property tests: the parser is total, and format/parse round-trips.

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const quotedKey = fc
  .string({ maxLength: 10 })
  .filter((key) => !key.includes("'") && !key.includes('\\'))
  .map((key) => `['${key}']`);
const segment = fc.oneof(
  identifier.map((name) => `.${name}`),
  fc.nat({ max: 99 }).map((n) => `[${n}]`),
  quotedKey,
  fc.constant('[*]'),
);
const pathArb = fc.array(segment, { maxLength: 5 }).map((parts) => `$${parts.join('')}`);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue: fc.Arbitrary<JsonValue> = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));

test('property: parsing never throws and always explains a rejection', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (text) => {
      const result = parseJsonAssertion(text);
      return result.ok || result.reason.length > 0;
    }),
  );
});

test('property: formatted assertions parse back to the same path, operator and value', () => {
  const assertionArb = fc.oneof(
    fc.record({
      path: pathArb,
      operator: fc.constantFrom<JsonOperator>('==', '!=', 'contains'),
      expected: jsonValue,
    }),
    fc.record({
      path: pathArb,
      operator: fc.constantFrom<JsonOperator>('<', '>', '<=', '>='),
      expected: fc.integer(),
    }),
  );
  fc.assert(
    fc.property(assertionArb, (assertion) => {
      const parsed = parse(formatJsonAssertion(assertion));
      assert.equal(parsed.path, assertion.path);
      assert.equal(parsed.operator, assertion.operator);
      assert.deepEqual(parsed.expected, assertion.expected);
    }),
  );
});

test('property: spacing around the operator does not change the meaning', () => {
  const spaces = fc.stringMatching(/^[ \t]{0,3}$/);
  fc.assert(
    fc.property(
      pathArb,
      fc.constantFrom(...JSON_OPERATORS),
      fc.integer(),
      spaces,
      spaces,
      (path, operator, n, left, right) => {
        const gapLeft = operator === 'contains' && left === '' ? ' ' : left;
        const gapRight = operator === 'contains' && right === '' ? ' ' : right;
        const parsed = parse(`${path}${gapLeft}${operator}${gapRight}${n}`);
        return parsed.path === path && parsed.operator === operator && parsed.expected === n;
      },
    ),
  );
});

test('property: a number field compares like JavaScript numbers', () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer(), (actual, expected) => {
      const document = { value: actual };
      const holds = (operator: string): boolean =>
        evaluateJsonAssertion(parse(`$.value ${operator} ${expected}`), document) === undefined;
      return (
        holds('==') === (actual === expected) &&
        holds('!=') === (actual !== expected) &&
        holds('<') === actual < expected &&
        holds('>') === actual > expected &&
        holds('<=') === actual <= expected &&
        holds('>=') === actual >= expected
      );
    }),
  );
});
