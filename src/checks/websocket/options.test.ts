import assert from 'node:assert/strict';
import { test } from 'node:test';
import { websocketOptionsSchema } from './options.ts';
import { parseWebsocketTarget, websocketTargetSchema } from './target.ts';

function issues(input: unknown): string[] {
  const result = websocketOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('accepts the stored shape and the CLI shape, with defaults', () => {
  assert.deepEqual(websocketOptionsSchema.parse({}), { headers: {}, insecure: false });
  assert.deepEqual(
    websocketOptionsSchema.parse({
      headers: ['Authorization: Bearer x'],
      subprotocol: 'graphql-ws',
      send: '{"type":"ping"}',
      expect: ['/pong/'],
      insecure: true,
      degradedThresholdMs: '500ms',
    }),
    {
      headers: { Authorization: 'Bearer x' },
      subprotocol: 'graphql-ws',
      send: '{"type":"ping"}',
      expect: '/pong/',
      insecure: true,
      degradedThresholdMs: 500,
    },
  );
});

test('names the field and the reason for each problem', () => {
  assert.match(issues({ headers: ['Sec-WebSocket-Key: x'] })[0] ?? '', /^headers: .*handshake/);
  assert.match(issues({ headers: ['Sec-WebSocket-Protocol: x'] })[0] ?? '', /use subprotocol/);
  assert.match(issues({ headers: ['no colon'] })[0] ?? '', /^headers: .*Name: value/);
  assert.match(issues({ subprotocol: 'a b' })[0] ?? '', /^subprotocol: must be one protocol/);
  assert.match(issues({ expect: '/(x/' })[0] ?? '', /^expect: invalid regex/);
  assert.match(issues({ send: '' })[0] ?? '', /^send: must not be empty/);
  assert.match(issues({ ca: 'not pem' })[0] ?? '', /^ca: must be PEM/);
  assert.match(issues({ method: 'GET' })[0] ?? '', /method/);
});

test('targets: ws:// and wss:// URLs only, normalised', () => {
  assert.equal(
    websocketTargetSchema.parse(' WS://Example.COM/socket#x'),
    'ws://example.com/socket',
  );
  assert.equal(websocketTargetSchema.parse('wss://[::1]:8443'), 'wss://[::1]:8443/');
  assert.equal(parseWebsocketTarget('https://example.com/'), 'must start with ws:// or wss://');
  assert.equal(
    parseWebsocketTarget('example.com'),
    'must be an absolute URL starting with ws:// or wss://',
  );
});
