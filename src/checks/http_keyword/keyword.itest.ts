import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkContext, startHttpServer } from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { httpKeywordCheck } from './index.ts';

const PAGE = '<html><body>Status: All Systems Operational (build 2041)</body></html>';
const HUGE_PREFIX_BYTES = 2 * 1024 * 1024;
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    if (req.url === '/broken') return void res.writeHead(500).end(PAGE);
    if (req.url === '/huge') return void res.end(`${'x'.repeat(HUGE_PREFIX_BYTES)}needle`);
    res.end(PAGE);
  });
});

after(() => server.close());

function run(input: Record<string, unknown>, path = '/') {
  return httpKeywordCheck.run(
    `${server.origin}${path}`,
    httpKeywordCheck.optionsSchema.parse(input),
    checkContext(),
  );
}

test('a present keyword is up', async () => {
  const result = await run({ keyword: 'All Systems Operational' });
  assert.equal(result.status, 'up');
  assert.equal(result.details.bodyBytes, PAGE.length);
});

test('a missing keyword is down/assertion quoting it', async () => {
  const result = await run({ keyword: 'Major Outage' });
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, 'keyword "Major Outage" not found in the body');
});

test('inverted: a present keyword is down, an absent one up', async () => {
  const present = await run({ keyword: 'Operational', invert: true });
  assert.equal(present.errorKind, 'assertion');
  assert.equal(present.message, 'keyword "Operational" found in the body (must be absent)');
  assert.equal((await run({ keyword: 'Outage', invert: true })).status, 'up');
});

test('regex and case-insensitive matching', async () => {
  assert.equal((await run({ regex: 'build \\d{4}' })).status, 'up');
  assert.equal(
    (await run({ regex: 'build \\d{5}' })).message,
    'pattern "/build \\\\d{5}/" not found in the body',
  );
  assert.equal((await run({ keyword: 'all systems operational' })).status, 'down');
  assert.equal(
    (await run({ keyword: 'all systems operational', caseInsensitive: true })).status,
    'up',
  );
});

test('the status is judged before the keyword', async () => {
  const result = await run({ keyword: 'Operational' }, '/broken');
  assert.equal(result.errorKind, 'status');
});

test('only the first MiB is searched; the message says so', async () => {
  const result = await run({ keyword: 'needle' }, '/huge');
  assert.equal(result.errorKind, 'assertion');
  assert.match(result.message, /first part of the body/);
  assert.equal(result.details.bodyBytes, HUGE_PREFIX_BYTES + 'needle'.length);
});
