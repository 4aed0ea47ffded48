import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestPki } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import {
  checkContext,
  startHttpServer,
  startHttpsServer,
} from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { domainCheck } from './index.ts';
import { domainOptionsSchema } from './options.ts';

// A local RDAP server (HTTP and HTTPS on 127.0.0.1 port 0) and a bootstrap override file that
// sends the `.test` TLD to it. After every check no socket of this process stays open.

const DAY_MS = 86_400_000;
let pki: TestPki;
let rdap: TestServer;
let rdapTls: TestServer;
let dir: string;
let bootstrap: string;
let baselineSockets = 0;
const held = new Set<ServerResponse>();

function domainObject(name: string, expiresInDays: number): string {
  return JSON.stringify({
    objectClassName: 'domain',
    ldhName: name,
    status: ['active'],
    events: [
      {
        eventAction: 'expiration',
        eventDate: new Date(Date.now() + expiresInDays * DAY_MS).toISOString(),
      },
    ],
    entities: [
      {
        objectClassName: 'entity',
        roles: ['registrar'],
        vcardArray: ['vcard', [['fn', {}, 'text', 'Test Registrar']]],
      },
    ],
  });
}

/** The registry: one name per case, by the first label of the queried domain. */
function answer(name: string, res: ServerResponse): void {
  const json = (status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'application/rdap+json' }).end(body);
  };
  const label = name.split('.')[0];
  if (label === 'far') return json(200, domainObject(name, 400));
  if (label === 'soon') return json(200, domainObject(name, 10.5));
  if (label === 'expired') return json(200, domainObject(name, -3));
  if (label === 'missing') return json(404, '{"errorCode":404,"title":"Not Found"}');
  if (label === 'garbage') return json(200, '<html>not json');
  if (label === 'busy') return json(503, '{"errorCode":503}');
  if (label === 'moved')
    return void res.writeHead(302, { location: `/referred/domain/far.test` }).end();
  if (label === 'loop') return void res.writeHead(302, { location: `/rdap/domain/${name}` }).end();
  if (label === 'slow') {
    held.add(res);
    return;
  }
  json(500, '{}');
}

before(async () => {
  pki = await createTestPki();
  const handler = (req: IncomingMessage, res: ServerResponse): void =>
    answer(decodeURIComponent((req.url ?? '').split('/').pop() ?? ''), res);
  rdap = await startHttpServer(handler);
  rdapTls = await startHttpsServer(handler, pki.valid);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-rdap-'));
  bootstrap = path.join(dir, 'dns.json');
  fs.writeFileSync(
    bootstrap,
    JSON.stringify({ version: '1.0', services: [[['test'], [`${rdap.origin}/rdap/`]]] }),
  );
  baselineSockets = openTcpSockets();
});
after(async () => {
  for (const res of held) res.destroy();
  await Promise.all([rdap.close(), rdapTls.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function check(domain: string, input: Record<string, unknown> = {}, timeoutMs = 2000) {
  const options = domainOptionsSchema.parse({ rdapBootstrap: bootstrap, ...input });
  return domainCheck.run(domainCheck.targetSchema.parse(domain), options, checkContext(timeoutMs));
}

async function nothingLeftOpen(): Promise<void> {
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
}

test('a registration far from expiry is up, with the facts in the details', async () => {
  const result = await check('far.test');
  assert.equal(result.status, 'up', result.message);
  assert.match(result.message, /^far\.test registered until \d{4}-\d\d-\d\d \(399 days left\)$/);
  assert.equal(result.details['daysLeft'], 399);
  assert.equal(result.details['registrar'], 'Test Registrar');
  assert.deepEqual(result.details['domainStatus'], ['active']);
  assert.equal(result.details['rdapUrl'], `${rdap.origin}/rdap/domain/far.test`);
  await nothingLeftOpen();
});

test('inside the warning window is degraded; a shorter window makes it up', async () => {
  const inside = await check('soon.test');
  assert.equal(inside.status, 'degraded');
  assert.match(inside.message, /^soon\.test expires on .* \(in 10 days\)$/);
  const outside = await check('soon.test', { expiryWarningMs: '7d' });
  assert.equal(outside.status, 'up', outside.message);
  await nothingLeftOpen();
});

test('an expired registration is down; a 404 is down as not found', async () => {
  const expired = await check('expired.test');
  assert.equal(expired.status, 'down');
  assert.equal(expired.errorKind, 'assertion');
  assert.match(expired.message, /^expired\.test expired on \d{4}-\d\d-\d\d$/);
  const missing = await check('missing.test');
  assert.equal(missing.status, 'down');
  assert.equal(missing.errorKind, 'assertion');
  assert.match(missing.message, /^domain missing\.test not found/);
  await nothingLeftOpen();
});

test('RDAP server trouble is an abstention (error), never down', async () => {
  const garbage = await check('garbage.test');
  assert.equal(garbage.status, 'error');
  assert.equal(garbage.errorKind, 'status');
  assert.match(garbage.message, /^RDAP server sent malformed JSON/);
  const busy = await check('busy.test');
  assert.equal(busy.status, 'error');
  assert.equal(busy.message, 'RDAP server answered HTTP 503');
  const refused = await check('far.test', {
    rdapBootstrap: undefined,
    rdapServer: `http://127.0.0.1:${await closedPort()}/`,
  });
  assert.equal(refused.status, 'error');
  assert.equal(refused.errorKind, 'refused');
  await nothingLeftOpen();
});

test('an RDAP server that never answers times out as an abstention', async () => {
  const started = performance.now();
  const result = await check('slow.test', {}, 300);
  assert.ok(performance.now() - started < 1500);
  assert.equal(result.status, 'error');
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'RDAP server did not answer within 300 ms');
  await nothingLeftOpen();
});

test('referrals are followed, a referral loop is bounded', async () => {
  const moved = await check('moved.test');
  assert.equal(moved.status, 'up', moved.message);
  assert.equal(moved.details['rdapUrl'], `${rdap.origin}/referred/domain/far.test`);
  const loop = await check('loop.test');
  assert.equal(loop.status, 'error');
  assert.equal(loop.message, 'RDAP server referred the query too many times');
  await nothingLeftOpen();
});

test('HTTPS RDAP: trusted with --ca, a TLS error without', async () => {
  const server = `${rdapTls.origin}/rdap/`;
  const trusted = await check('far.test', {
    rdapBootstrap: undefined,
    rdapServer: server,
    ca: pki.ca.certPem,
  });
  assert.equal(trusted.status, 'up', trusted.message);
  const untrusted = await check('far.test', { rdapBootstrap: undefined, rdapServer: server });
  assert.equal(untrusted.status, 'error');
  assert.equal(untrusted.errorKind, 'tls');
  assert.match(untrusted.message, /certificate issuer is not trusted/);
  await nothingLeftOpen();
});

test('a TLD the bootstrap file does not know, or an unreadable file, is a node error', async () => {
  const unknown = await check('example.nothere');
  assert.equal(unknown.status, 'error');
  assert.equal(unknown.errorKind, 'node');
  assert.match(unknown.message, /no RDAP server known for \.nothere/);
  const unreadable = await check('far.test', { rdapBootstrap: path.join(dir, 'absent.json') });
  assert.equal(unreadable.errorKind, 'node');
  assert.match(unreadable.message, /cannot read the RDAP bootstrap file .*absent\.json \(ENOENT\)/);
});
