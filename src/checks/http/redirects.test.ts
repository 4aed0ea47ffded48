import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HopRequest } from './hop.ts';
import { nextHopRequest, redirectProblem } from './redirects.ts';

const post: HopRequest = {
  method: 'POST',
  headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json', 'X-Trace': '1' },
  body: '{}',
  secureContext: undefined,
  insecure: false,
};

const a = new URL('http://a.test/start');
const sameOrigin = new URL('http://a.test/next');
const otherOrigin = new URL('http://b.test/next');

test('303 turns a POST into a GET without body or body headers', () => {
  const next = nextHopRequest(post, 303, a, sameOrigin);
  assert.equal(next.method, 'GET');
  assert.equal(next.body, undefined);
  assert.deepEqual(next.headers, { Authorization: 'Bearer x', 'X-Trace': '1' });
});

test('307 and 308 repeat the request with its body', () => {
  for (const status of [307, 308]) {
    const next = nextHopRequest(post, status, a, sameOrigin);
    assert.equal(next.method, 'POST');
    assert.equal(next.body, '{}');
    assert.equal(next.headers['Content-Type'], 'application/json');
  }
});

test('301 and 302 keep methods other than POST', () => {
  const put = { ...post, method: 'PUT' };
  assert.equal(nextHopRequest(put, 302, a, sameOrigin).method, 'PUT');
  assert.equal(nextHopRequest(post, 301, a, sameOrigin).method, 'GET');
});

test('credentials do not follow a redirect to another origin', () => {
  const next = nextHopRequest(post, 307, a, otherOrigin);
  assert.equal(next.headers.Authorization, undefined);
  assert.equal(next.headers['X-Trace'], '1');
});

test('redirectProblem reports loops, limits, bad locations and schemes', () => {
  const visited = ['http://a.test/1', 'http://a.test/2'];
  assert.equal(redirectProblem(new URL('http://a.test/3'), '/3', visited, 10), undefined);
  assert.equal(
    redirectProblem(new URL('http://a.test/1'), '/1', visited, 10),
    'redirect loop: http://a.test/1 -> http://a.test/2 -> http://a.test/1',
  );
  assert.equal(
    redirectProblem(new URL('http://a.test/3'), '/3', visited, 1),
    'too many redirects (limit 1)',
  );
  assert.match(redirectProblem(undefined, 'http://[bad', visited, 10) ?? '', /invalid Location/);
  assert.match(
    redirectProblem(new URL('ftp://a.test/'), 'ftp://a.test/', visited, 10) ?? '',
    /unsupported scheme ftp:/,
  );
});
