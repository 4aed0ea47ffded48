import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkContext, startHttpServer } from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { httpJsonCheck } from './index.ts';

const HEALTH = {
  status: 'ok',
  version: '2.3.1',
  checks: { db: { latency: 42, healthy: true } },
  tags: ['prod', 'eu-west'],
};
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    if (req.url === '/html') return void res.end('<html>not json</html>');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(HEALTH));
  });
});

after(() => server.close());

function run(assertions: string[], path = '/health') {
  const options = httpJsonCheck.optionsSchema.parse({ assertions });
  return httpJsonCheck.run(`${server.origin}${path}`, options, checkContext());
}

test('every operator holding is up', async () => {
  const result = await run([
    '$.status == "ok"',
    '$.version != "1.0"',
    '$.tags contains "prod"',
    '$.checks.db.latency < 200',
    '$.checks.db.latency > 10',
    '$.checks.db.latency <= 42',
    '$.checks.db.latency >= 42',
    '$.checks.db.healthy == true',
  ]);
  assert.equal(result.status, 'up', result.message);
});

test('each failing operator is down/assertion naming the assertion and the actual value', async () => {
  const cases: [string, string][] = [
    ['$.status == "degraded"', '$.status == "degraded" failed: actual "ok"'],
    ['$.version != "2.3.1"', '$.version != "2.3.1" failed: actual "2.3.1"'],
    ['$.tags contains "staging"', '$.tags contains "staging" failed: actual ["prod","eu-west"]'],
    ['$.checks.db.latency < 40', '$.checks.db.latency < 40 failed: actual 42'],
    ['$.checks.db.latency > 42', '$.checks.db.latency > 42 failed: actual 42'],
    ['$.checks.db.latency <= 41', '$.checks.db.latency <= 41 failed: actual 42'],
    ['$.checks.db.latency >= 43', '$.checks.db.latency >= 43 failed: actual 42'],
  ];
  for (const [assertion, message] of cases) {
    const result = await run([assertion]);
    assert.equal(result.status, 'down', assertion);
    assert.equal(result.errorKind, 'assertion', assertion);
    assert.equal(result.message, message);
  }
});

test('a missing path is down naming the path', async () => {
  const result = await run(['$.checks.cache.latency < 100']);
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, '$.checks.cache.latency < 100: $.checks.cache.latency not found');
});

test('a non-JSON body is down/assertion "body is not JSON"', async () => {
  const result = await run(['$.status == "ok"'], '/html');
  assert.equal(result.errorKind, 'assertion');
  assert.match(result.message, /^body is not JSON/);
});
