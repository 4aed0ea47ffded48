import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PingVerdictInput } from './interpret.ts';
import { ICMP_INSTALL_HINT, interpretPing } from './interpret.ts';

const input: PingVerdictInput = {
  elapsedMs: 450,
  timeoutMs: 5000,
  cancelled: false,
  degradedThresholdMs: undefined,
};

function stats(sent: number, received: number, loss: string, rtt?: string): string {
  const lines = [
    `--- 127.0.0.1 ping statistics ---`,
    `${sent} packets transmitted, ${received} received, ${loss}% packet loss, time 405ms`,
  ];
  if (rtt) lines.push(`rtt min/avg/max/mdev = ${rtt} ms`);
  return `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n\n${lines.join('\n')}\n`;
}

test('all replies: up, latency is the average RTT, figures in details', () => {
  const run = {
    kind: 'exited',
    exitCode: 0,
    stdout: stats(3, 3, '0', '0.046/0.159/0.387/0.160'),
    stderr: '',
  } as const;
  const result = interpretPing(run, input);
  assert.equal(result.status, 'up');
  assert.equal(result.latencyMs, 0.16);
  assert.equal(result.message, '3/3 replies, avg 0.16 ms');
  assert.deepEqual(result.timings, {});
  assert.deepEqual(result.details, {
    sent: 3,
    received: 3,
    lossPercent: 0,
    rttMinMs: 0.046,
    rttAvgMs: 0.159,
    rttMaxMs: 0.387,
  });
});

test('some loss is degraded, all lost is down/timeout', () => {
  const partial = interpretPing(
    {
      kind: 'exited',
      exitCode: 0,
      stdout: stats(3, 2, '33.3333', '11.2/12.05/12.9/0.8'),
      stderr: '',
    },
    input,
  );
  assert.equal(partial.status, 'degraded');
  assert.equal(partial.message, '33.33% packet loss (2/3 replies, avg 12.1 ms)');
  const lost = interpretPing(
    { kind: 'exited', exitCode: 1, stdout: stats(3, 0, '100'), stderr: '' },
    input,
  );
  assert.equal(lost.status, 'down');
  assert.equal(lost.errorKind, 'timeout');
  assert.equal(lost.message, '100% packet loss (3 sent)');
  assert.equal(lost.details.rttAvgMs, null);
  assert.equal(lost.latencyMs, 450);
});

test('slower than the threshold is degraded', () => {
  const result = interpretPing(
    { kind: 'exited', exitCode: 0, stdout: stats(3, 3, '0', '40.1/55.2/70.3/1.0'), stderr: '' },
    { ...input, degradedThresholdMs: 50 },
  );
  assert.equal(result.status, 'degraded');
  assert.match(result.message, /slower than 50 ms/);
});

test('unknown hosts are down/dns', () => {
  for (const stderr of [
    'ping: nosuch.example.test: Name or service not known\n',
    'ping: nosuch.example.test: Temporary failure in name resolution\n',
  ]) {
    const result = interpretPing({ kind: 'exited', exitCode: 2, stdout: '', stderr }, input);
    assert.equal(result.errorKind, 'dns');
    assert.match(result.message, /^cannot resolve host: nosuch\.example\.test: /);
  }
});

test('a missing binary or no permission is an error of this node, not the target down', () => {
  const missing = Object.assign(new Error('spawn /nonexistent/ping ENOENT'), { code: 'ENOENT' });
  const notFound = interpretPing({ kind: 'spawn-error', error: missing }, input);
  assert.equal(notFound.status, 'error');
  assert.equal(notFound.errorKind, 'node');
  assert.equal(notFound.message, `ping is not installed on this node: ${ICMP_INSTALL_HINT}`);
  assert.equal(notFound.details.reason, 'ENOENT');
  for (const code of ['EACCES', 'EPERM']) {
    const error = Object.assign(new Error(`spawn ping ${code}`), { code });
    const noRun = interpretPing({ kind: 'spawn-error', error }, input);
    assert.equal(noRun.status, 'error');
    assert.equal(noRun.errorKind, 'node');
    assert.equal(noRun.message, 'no permission to run ping');
  }
  const spent = Object.assign(new Error('spawn ping EMFILE'), { code: 'EMFILE' });
  const noFiles = interpretPing({ kind: 'spawn-error', error: spent }, input);
  assert.equal(noFiles.status, 'error');
  assert.equal(noFiles.message, 'too many open files on this node (EMFILE)');
  const denied = interpretPing(
    { kind: 'exited', exitCode: 2, stdout: '', stderr: 'ping: socket: Operation not permitted\n' },
    input,
  );
  assert.equal(denied.status, 'error');
  assert.equal(denied.errorKind, 'node');
  assert.match(
    denied.message,
    /^no permission to run ping on this node \(socket: Operation not permitted\)/,
  );
  assert.equal(denied.details.reason, 'socket: Operation not permitted');
});

test('other failures say what ping said; a killed run is a timeout', () => {
  const unreachable = interpretPing(
    { kind: 'exited', exitCode: 2, stdout: '', stderr: 'ping: connect: Network is unreachable\n' },
    input,
  );
  assert.equal(unreachable.errorKind, 'network');
  assert.equal(unreachable.message, 'ping failed: connect: Network is unreachable');
  const silent = interpretPing({ kind: 'exited', exitCode: 3, stdout: '', stderr: '' }, input);
  assert.equal(silent.message, 'ping failed: exit code 3');
  const killed = interpretPing({ kind: 'killed', stdout: '', stderr: '' }, input);
  assert.equal(killed.errorKind, 'timeout');
  assert.equal(killed.message, 'no ping result within 5000 ms');
  const cancelled = interpretPing(
    { kind: 'killed', stdout: '', stderr: '' },
    { ...input, cancelled: true },
  );
  assert.equal(cancelled.message, 'check cancelled after 450 ms');
});
