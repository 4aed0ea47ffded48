import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { evidenceFromWire, parseAgentMessage, resultFromWire } from './messages.ts';

const nodeError = {
  status: 'error',
  latencyMs: 1,
  errorKind: 'node',
  message: 'ping is not installed on this node',
  timings: {},
};

describe('peer messages carry node errors', () => {
  it('a result with status error and kind node parses', () => {
    const message = parseAgentMessage(
      JSON.stringify({
        type: 'results',
        upTo: 1,
        results: [
          {
            ...nodeError,
            id: 'res-1',
            monitorId: 'mon_1',
            nodeId: 'node_a',
            checkedAt: 1_000,
            details: { reason: 'ENOENT' },
          },
        ],
      }),
      'node_a',
    );
    assert.equal(message.type, 'results');
    if (message.type !== 'results') return;
    const [wire] = message.results;
    assert.ok(wire);
    const result = resultFromWire(wire, 'node_a');
    assert.deepEqual([result.status, result.errorKind], ['error', 'node']);
  });

  it('a vote whose evidence is a node error parses', () => {
    const message = parseAgentMessage(
      JSON.stringify({
        type: 'vote',
        roundId: 'r1',
        monitorId: 'mon_1',
        outcome: 'abstain',
        evidence: { ...nodeError, checkedAt: 1_000 },
        canariesFailing: false,
      }),
      'node_a',
    );
    assert.equal(message.type, 'vote');
    if (message.type !== 'vote') return;
    const evidence = evidenceFromWire(message.evidence);
    assert.deepEqual([evidence.status, evidence.errorKind], ['error', 'node']);
  });

  it('an unknown status is still refused, naming the field', () => {
    assert.throws(
      () =>
        parseAgentMessage(
          JSON.stringify({
            type: 'vote',
            roundId: 'r1',
            monitorId: 'mon_1',
            outcome: 'fail',
            evidence: { ...nodeError, status: 'broken', checkedAt: 1_000 },
            canariesFailing: false,
          }),
          'node_a',
        ),
      (error: unknown) => isAppError(error) && error.message.includes('evidence.status'),
    );
  });
});
