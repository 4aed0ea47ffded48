import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRedisCommand, replyText, splitCommand } from './command.ts';

test('splits words with quotes and escapes', () => {
  assert.deepEqual(splitCommand('GET health'), ['GET', 'health']);
  assert.deepEqual(splitCommand(`  HGET "my key" 'a field'  `), ['HGET', 'my key', 'a field']);
  assert.deepEqual(splitCommand('ECHO "say \\"hi\\"" ""'), ['ECHO', 'say "hi"', '']);
  assert.deepEqual(splitCommand('GET "open'), { error: 'unclosed " quote' });
  assert.deepEqual(splitCommand('   '), { error: 'must name a command' });
  assert.deepEqual(splitCommand(Array(17).fill('x').join(' ')), { error: 'at most 16 words' });
});

test('only read-only commands pass, in any case', () => {
  assert.deepEqual(parseRedisCommand('get health'), ['GET', 'health']);
  assert.deepEqual(parseRedisCommand('INFO replication'), ['INFO', 'replication']);
  for (const command of [
    'SET health ok',
    'DEL x',
    'FLUSHALL',
    'KEYS *',
    'BLPOP q 0',
    'SUBSCRIBE c',
  ]) {
    const parsed = parseRedisCommand(command);
    assert.ok(!Array.isArray(parsed), command);
    assert.match(parsed.error, /is not one of the read-only commands/, command);
  }
});

test('renders replies as text', () => {
  assert.equal(replyText('PONG'), 'PONG');
  assert.equal(replyText(null), '(nil)');
  assert.equal(replyText(42), '42');
  assert.equal(replyText(['a', null, 3]), 'a\n(nil)\n3');
  assert.equal(replyText(Buffer.from('bytes')), 'bytes');
});
