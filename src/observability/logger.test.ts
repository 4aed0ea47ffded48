import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

test('check credentials never reach a log line', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', 'json', sink);
  logger.info(
    { options: { username: 'probe', password: 'pw-in-log', privateKey: 'key-in-log' } },
    'monitor changed',
  );
  logger.info({ monitor: { options: { password: 'nested-pw' } } }, 'nested');
  logger.info({ monitor: { options: { token: 'push-token-in-log' } } }, 'push monitor changed');
  logger.info(
    {
      monitor: {
        options: {
          steps: [{ action: 'fill', selector: '#pw', value: 'fill-in-log', secret: true }],
        },
      },
    },
    'browser monitor changed',
  );
  const text = lines.join('');
  for (const secret of ['pw-in-log', 'key-in-log', 'nested-pw', 'push-token-in-log', 'fill-in-log'])
    assert.ok(!text.includes(secret), `${secret} logged`);
  assert.match(text, /"username":"probe"/);
});
