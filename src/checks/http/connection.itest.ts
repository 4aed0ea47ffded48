import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { checkContext } from '../../../test/helpers/http-servers.ts';
import { httpCheck } from './index.ts';

// What a monitor must do on the wire: a fresh connection per check, closed once the check is
// done, whatever path the request takes inside Node (with or without an Agent).
const seen: IncomingHttpHeaders[] = [];
const opened: Socket[] = [];
let closed = 0;
const server = createServer((req, res) => {
  seen.push(req.headers);
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
server.on('connection', (socket: Socket) => {
  opened.push(socket);
  socket.once('close', () => closed++);
});
let origin = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const socket of opened) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function allClosed(): Promise<void> {
  // Bounded: the client closes right after the response; 2 s is far more than that.
  for (let waited = 0; closed < opened.length && waited < 2_000; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

async function check(headers: string[] = []) {
  return httpCheck.run(
    `${origin}/x`,
    httpCheck.optionsSchema.parse({ headers }),
    checkContext(2_000),
  );
}

test('every check opens its own connection and closes it when done', async () => {
  const before = opened.length;
  const results = [await check(), await check(), await check()];
  assert.deepEqual(
    results.map((r) => r.status),
    ['up', 'up', 'up'],
  );
  assert.equal(opened.length - before, 3, 'one connection per check');
  await allClosed();
  assert.equal(closed, opened.length, 'no connection left open after its check');
});

test('the request says Connection: close and names the host and port', async () => {
  seen.length = 0;
  await check();
  const port = new URL(origin).port;
  assert.equal(seen[0]?.connection, 'close');
  assert.equal(seen[0]?.host, `127.0.0.1:${port}`);
});
