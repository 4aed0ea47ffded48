import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStatusRange, parseStatusRanges, statusMatches } from './status-ranges.ts';

test('parses single codes, ranges and comma lists into ranges', () => {
  assert.deepEqual(parseStatusRanges(['200-299, 301', 404]), [
    { from: 200, to: 299 },
    { from: 301, to: 301 },
    { from: 404, to: 404 },
  ]);
  assert.deepEqual(parseStatusRanges(['500 - 599']), [{ from: 500, to: 599 }]);
});

test('explains malformed items', () => {
  assert.match(parseStatusRanges(['abc']) as string, /"abc" is not a status code/);
  assert.match(parseStatusRanges(['99']) as string, /not a status code/);
  assert.match(parseStatusRanges(['600']) as string, /600 is not an HTTP status code/);
  assert.match(parseStatusRanges(['299-200']) as string, /ends before it starts/);
  assert.match(parseStatusRanges([]) as string, /at least one/);
  assert.match(parseStatusRanges(['200,']) as string, /"" is not a status code/);
});

test('matches codes inside any range, bounds included', () => {
  const ranges = [
    { from: 200, to: 299 },
    { from: 301, to: 301 },
  ];
  assert.equal(statusMatches(200, ranges), true);
  assert.equal(statusMatches(299, ranges), true);
  assert.equal(statusMatches(301, ranges), true);
  assert.equal(statusMatches(300, ranges), false);
  assert.equal(statusMatches(503, ranges), false);
});

test('formats ranges canonically', () => {
  assert.equal(formatStatusRange({ from: 301, to: 301 }), '301');
  assert.equal(formatStatusRange({ from: 200, to: 299 }), '200-299');
});
