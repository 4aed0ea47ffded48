import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { CheckContext } from '../types.ts';
import { ICMP_INSTALL_HINT } from './interpret.ts';
import { createIcmpCheck, icmpCheck } from './index.ts';
import { icmpOptionsSchema, icmpTargetSchema } from './options.ts';
import { runPing } from './run-ping.ts';
import { oneShotPatterns } from '../patterns/pool.ts';

function context(timeoutMs = 3000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

test('pinging 127.0.0.1 is up with RTT figures', async () => {
  const result = await icmpCheck.run('127.0.0.1', icmpOptionsSchema.parse({ count: 2 }), context());
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details.sent, 2);
  assert.equal(result.details.received, 2);
  assert.equal(result.details.lossPercent, 0);
  const { rttMinMs, rttAvgMs, rttMaxMs } = result.details;
  assert.ok(
    typeof rttMinMs === 'number' && typeof rttAvgMs === 'number' && typeof rttMaxMs === 'number',
  );
  assert.ok(rttMinMs <= rttAvgMs && rttAvgMs <= rttMaxMs);
  assert.ok(Math.abs(result.latencyMs - rttAvgMs) < 0.01, 'latency is the average RTT');
  assert.match(result.message, /^2\/2 replies, avg [\d.]+ ms$/);
});

test('pinging [::1] uses IPv6', async () => {
  const target = icmpTargetSchema.parse('[::1]');
  const result = await icmpCheck.run(target, icmpOptionsSchema.parse({ count: 1 }), context());
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details.received, 1);
});

test('a missing ping binary is an error of this node with the install hint, never a throw', async () => {
  const check = createIcmpCheck({ pingCommand: '/nonexistent/crosscheck-test/ping' });
  const result = await check.run('127.0.0.1', icmpOptionsSchema.parse({}), context());
  assert.equal(result.status, 'error');
  assert.equal(result.errorKind, 'node');
  assert.equal(result.message, `ping is not installed on this node: ${ICMP_INSTALL_HINT}`);
  assert.equal(result.details.reason, 'ENOENT');
});

test('aborting the check ends it early as a timeout', async () => {
  const controller = new AbortController();
  const pending = icmpCheck.run(
    '127.0.0.1',
    icmpOptionsSchema.parse({ count: 20 }),
    context(10_000, controller.signal),
  );
  setTimeout(() => controller.abort(), 100);
  const result = await pending;
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /^check cancelled after \d+ ms$/);
  assert.ok(result.latencyMs < 5000);
});

test('the ping process is killed when the signal aborts', async () => {
  // A reply wait no other process uses, so /proc can tell whether this ping still runs.
  const marker = '9.8765';
  const controller = new AbortController();
  const pending = runPing(
    'ping',
    ['-n', '-c', '20', '-i', '0.2', '-W', marker, '127.0.0.1'],
    controller.signal,
  );
  setTimeout(() => controller.abort(), 100);
  const run = await pending;
  assert.equal(run.kind, 'killed');
  let alive = true;
  for (let attempt = 0; attempt < 50 && alive; attempt++) {
    alive = await pingWithArgumentRunning(marker);
    if (alive) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(alive, false, 'no ping process with the marker argument is left');
});

async function pingWithArgumentRunning(argument: string): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const status = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // A zombie (state Z) has already exited; only a live process counts.
    if (cmdline.split('\0').includes(argument) && !/^\d+ \(.*\) Z/.test(status)) return true;
  }
  return false;
}
