import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCrosscheck } from '../helpers/cli.ts';
import { closedUdpPort, startUdpServer } from '../helpers/udp-server.ts';
import type { TestUdpServer } from '../helpers/udp-server.ts';
import { echo, startWebsocketServer } from '../helpers/websocket-server.ts';
import type { TestWebsocketServer } from '../helpers/websocket-server.ts';

// `crosscheck check udp|websocket` as a user runs it: the real CLI process, its flags, its
// output and exit codes, against loopback servers this test starts.

interface JsonResult {
  type: string;
  status: string;
  errorKind?: string;
  message: string;
  details: Record<string, unknown>;
}

describe('crosscheck check udp / websocket', { timeout: 60_000 }, () => {
  let udpEcho: TestUdpServer;
  let wsEcho: TestWebsocketServer;
  let wsRefusing: TestWebsocketServer;

  before(async () => {
    udpEcho = await startUdpServer({ reply: 'echo' });
    wsEcho = await startWebsocketServer({ onSocket: echo });
    wsRefusing = await startWebsocketServer({ refuseStatus: 403 });
  });

  after(async () => {
    await Promise.all([udpEcho.close(), wsEcho.close(), wsRefusing.close()]);
  });

  it('udp: 0 with a matching reply, 1 when refused, 2 without a payload', async () => {
    const up = await runCrosscheck([
      'check',
      'udp',
      udpEcho.target,
      '--send',
      'PING\\n',
      '--expect',
      'PING',
    ]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /^UP {2}127\.0\.0\.1:\d+ {2}matching reply in \d+ ms/);
    const hex = await runCrosscheck([
      'check',
      'udp',
      udpEcho.target,
      '--send-hex',
      'ca fe',
      '--json',
    ]);
    assert.equal(hex.code, 0, hex.stderr);
    assert.equal((JSON.parse(hex.stdout) as JsonResult).details['replyHex'], 'cafe');
    const closed = await closedUdpPort();
    const down = await runCrosscheck([
      'check',
      'udp',
      `127.0.0.1:${closed}`,
      '--send',
      'x',
      '--json',
    ]);
    assert.equal(down.code, 1);
    assert.equal((JSON.parse(down.stdout) as JsonResult).errorKind, 'refused');
    const bare = await runCrosscheck(['check', 'udp', udpEcho.target]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /--send.*a payload is required/);
  });

  it('websocket: 0 with a matching reply, 1 when the upgrade is refused', async () => {
    const up = await runCrosscheck([
      'check',
      'websocket',
      `${wsEcho.origin}/socket`,
      '--send',
      'hello',
      '--expect',
      'hello',
      '--header',
      'Authorization: Bearer s3cret',
      '--json',
    ]);
    assert.equal(up.code, 0, up.stderr);
    const result = JSON.parse(up.stdout) as JsonResult;
    assert.equal(result.type, 'websocket');
    assert.equal(result.status, 'up');
    assert.equal(result.details['received'], 'hello');
    assert.equal(await wsEcho.drained(), 0);
    const refused = await runCrosscheck(['check', 'websocket', wsRefusing.origin]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^DOWN .*upgrade refused: HTTP 403/);
    const wrongFlag = await runCrosscheck([
      'check',
      'websocket',
      wsEcho.origin,
      '--send-hex',
      '00',
    ]);
    assert.equal(wrongFlag.code, 2);
    assert.match(wrongFlag.stderr, /--send-hex.*does not apply to check type websocket/);
  });
});
