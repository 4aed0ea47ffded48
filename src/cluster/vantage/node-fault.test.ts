import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downResult } from '../../checks/outcome.ts';
import { judgeByCanaries } from './node-fault.ts';

const failing = downResult('timeout', 2_000, 'timed out after 2 s', { connectMs: 1 }, { port: 80 });

describe('judging a failing result by fresh canaries', () => {
  it('most canaries failing: an error of this node naming them, keeping what the check said', () => {
    const judged = judgeByCanaries(failing, {
      total: 3,
      failing: 2,
      majorityFailing: true,
      failingNames: ['tcp:gateway.lan:53', 'icmp:gateway.lan'],
    });
    assert.equal(judged.status, 'error');
    assert.equal(judged.errorKind, 'node');
    assert.equal(
      judged.message,
      "this node's canaries fail (2 of 3: tcp:gateway.lan:53, icmp:gateway.lan): its own network is down; the check said: timed out after 2 s",
    );
    assert.deepEqual(judged.details, {
      port: 80,
      targetStatus: 'down',
      targetErrorKind: 'timeout',
    });
    assert.deepEqual(judged.timings, { connectMs: 1 });
    assert.equal(judged.latencyMs, 2_000);
  });

  it('healthy canaries (or half failing) leave the result as it is', () => {
    for (const health of [
      { total: 3, failing: 1, majorityFailing: false, failingNames: ['a'] },
      { total: 2, failing: 1, majorityFailing: false, failingNames: ['a'] },
      { total: 0, failing: 0, majorityFailing: false, failingNames: [] },
    ])
      assert.equal(judgeByCanaries(failing, health), failing);
  });
});
