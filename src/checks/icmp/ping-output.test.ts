import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePingOutput } from './ping-output.ts';

// Recorded from iputils-ping 20221126 (Debian 12) under LC_ALL=C.
const IPUTILS_LOOPBACK = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.387 ms
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.046 ms
64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=0.046 ms

--- 127.0.0.1 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 405ms
rtt min/avg/max/mdev = 0.046/0.159/0.387/0.160 ms
`;

const IPUTILS_LOOPBACK_V6 = `PING ::1(::1) 56 data bytes
64 bytes from ::1: icmp_seq=1 ttl=64 time=0.092 ms
64 bytes from ::1: icmp_seq=2 ttl=64 time=0.047 ms

--- ::1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 201ms
rtt min/avg/max/mdev = 0.047/0.069/0.092/0.022 ms
`;

// iputils' formats for partial and total loss, and unreachable errors (addresses are TEST-NET).
const IPUTILS_PARTIAL_LOSS = `PING 192.0.2.7 (192.0.2.7) 56(84) bytes of data.
64 bytes from 192.0.2.7: icmp_seq=1 ttl=57 time=11.2 ms
64 bytes from 192.0.2.7: icmp_seq=3 ttl=57 time=12.9 ms

--- 192.0.2.7 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 402ms
rtt min/avg/max/mdev = 11.206/12.053/12.900/0.847 ms
`;

const IPUTILS_TOTAL_LOSS = `PING 192.0.2.7 (192.0.2.7) 56(84) bytes of data.

--- 192.0.2.7 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2047ms

`;

const IPUTILS_UNREACHABLE = `PING 192.0.2.7 (192.0.2.7) 56(84) bytes of data.
From 192.0.2.1 icmp_seq=1 Destination Host Unreachable
From 192.0.2.1 icmp_seq=2 Destination Host Unreachable

--- 192.0.2.7 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1015ms
pipe 2
`;

const IPUTILS_DUPLICATES = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.100 ms
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.900 ms (DUP!)
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.300 ms

--- 127.0.0.1 ping statistics ---
2 packets transmitted, 2 received, +1 duplicates, 0% packet loss, time 201ms
rtt min/avg/max/mdev = 0.100/0.433/0.900/0.340 ms
`;

const BUSYBOX_LOOPBACK = `PING 127.0.0.1 (127.0.0.1): 56 data bytes
64 bytes from 127.0.0.1: seq=0 ttl=64 time=0.061 ms
64 bytes from 127.0.0.1: seq=1 ttl=64 time=0.085 ms

--- 127.0.0.1 ping statistics ---
2 packets transmitted, 2 packets received, 0% packet loss
round-trip min/avg/max = 0.061/0.073/0.085 ms
`;

test('parses a full iputils run on IPv4 and IPv6', () => {
  assert.deepEqual(parsePingOutput(IPUTILS_LOOPBACK), {
    sent: 3,
    received: 3,
    lossPercent: 0,
    rttMinMs: 0.046,
    rttAvgMs: 0.159,
    rttMaxMs: 0.387,
    replyTimesMs: [0.387, 0.046, 0.046],
  });
  const v6 = parsePingOutput(IPUTILS_LOOPBACK_V6);
  assert.equal(v6?.received, 2);
  assert.equal(v6?.rttAvgMs, 0.069);
});

test('parses partial and total loss', () => {
  const partial = parsePingOutput(IPUTILS_PARTIAL_LOSS);
  assert.equal(partial?.lossPercent, 33.33);
  assert.equal(partial?.received, 2);
  assert.equal(partial?.rttMaxMs, 12.9);
  const total = parsePingOutput(IPUTILS_TOTAL_LOSS);
  assert.deepEqual(total, {
    sent: 3,
    received: 0,
    lossPercent: 100,
    rttMinMs: undefined,
    rttAvgMs: undefined,
    rttMaxMs: undefined,
    replyTimesMs: [],
  });
  const unreachable = parsePingOutput(IPUTILS_UNREACHABLE);
  assert.equal(unreachable?.lossPercent, 100);
  assert.equal(unreachable?.sent, 2);
});

test('leaves duplicate replies out of the per-reply times', () => {
  assert.deepEqual(parsePingOutput(IPUTILS_DUPLICATES)?.replyTimesMs, [0.1, 0.3]);
});

test('understands busybox output too', () => {
  const busybox = parsePingOutput(BUSYBOX_LOOPBACK);
  assert.equal(busybox?.received, 2);
  assert.equal(busybox?.rttAvgMs, 0.073);
});

test('computes RTT figures from replies when the summary line is missing', () => {
  const cut = IPUTILS_LOOPBACK.replace(/rtt min.*\n/, '');
  const parsed = parsePingOutput(cut);
  assert.equal(parsed?.rttMinMs, 0.046);
  assert.equal(parsed?.rttMaxMs, 0.387);
  assert.ok(Math.abs((parsed?.rttAvgMs ?? 0) - 0.15967) < 0.001);
});

test('no statistics block means nothing to parse', () => {
  assert.equal(parsePingOutput(''), undefined);
  assert.equal(parsePingOutput('PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n'), undefined);
});
