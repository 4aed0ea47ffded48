import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import {
  boundBatchEvidence,
  evidenceFromWire,
  MAX_SCREENSHOTS_PER_BATCH,
  parseAgentMessage,
  parseCoordinatorMessage,
  resultFromWire,
} from './messages.ts';

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

describe('results batches and browser evidence', () => {
  const failed = (i: number, screenshot: boolean): RecordedResult => ({
    id: `r${i}`,
    monitorId: 'm1',
    nodeId: 'n1',
    checkedAt: 1_000 + i,
    status: 'down',
    latencyMs: 10,
    timings: {},
    errorKind: 'assertion',
    message: 'step 1 failed',
    details: {},
    evidence: {
      consoleErrors: ['boom'],
      ...(screenshot ? { screenshotJpeg: Buffer.from('jpeg').toString('base64') } : {}),
    },
  });

  it('carries at most MAX_SCREENSHOTS_PER_BATCH screenshots, console errors always', () => {
    const batch = Array.from({ length: MAX_SCREENSHOTS_PER_BATCH + 3 }, (_, i) => failed(i, true));
    const sent = boundBatchEvidence([failed(99, false), ...batch]);
    assert.equal(
      sent.filter((r) => r.evidence?.screenshotJpeg !== undefined).length,
      MAX_SCREENSHOTS_PER_BATCH,
    );
    assert.ok(sent.every((r) => r.evidence?.consoleErrors[0] === 'boom'));
    assert.match(String(sent.at(-1)?.details['screenshot']), /too many screenshots/);
  });

  it('evidence survives the wire and comes back typed', () => {
    const frame = JSON.stringify({ type: 'results', upTo: 1, results: [failed(1, true)] });
    const message = parseAgentMessage(frame, 'agent');
    assert.equal(message.type, 'results');
    if (message.type !== 'results') return;
    const wire = message.results[0];
    assert.ok(wire !== undefined);
    const result = resultFromWire(wire, 'n1');
    assert.deepEqual(result.evidence, failed(1, true).evidence);
  });
});

describe('peer messages for failover', () => {
  const welcome = {
    type: 'welcome',
    nodeId: 'node_a',
    name: 'a',
    serverTime: 1,
    heartbeatMs: 1_000,
  };

  it('a welcome may carry every coordinator’s address, and older ones without it still parse', () => {
    const listed = parseCoordinatorMessage(
      JSON.stringify({ ...welcome, coordinators: ['10.0.0.1:7433', '[fd00::2]:7433'] }),
    );
    assert.equal(listed.type, 'welcome');
    assert.deepEqual(listed.type === 'welcome' && listed.coordinators, [
      '10.0.0.1:7433',
      '[fd00::2]:7433',
    ]);
    const old = parseCoordinatorMessage(JSON.stringify(welcome));
    assert.equal(old.type === 'welcome' && old.coordinators, undefined);
    assert.throws(
      () => parseCoordinatorMessage(JSON.stringify({ ...welcome, coordinators: ['nope'] })),
      (error: unknown) => isAppError(error) && error.code === 'VALIDATION',
    );
  });

  it('not-leader names the leader or null, and nothing else', () => {
    assert.deepEqual(
      parseCoordinatorMessage(JSON.stringify({ type: 'not-leader', leader: 'c2.example:7433' })),
      { type: 'not-leader', leader: 'c2.example:7433' },
    );
    assert.deepEqual(
      parseCoordinatorMessage(JSON.stringify({ type: 'not-leader', leader: null })),
      {
        type: 'not-leader',
        leader: null,
      },
    );
    assert.throws(
      () => parseCoordinatorMessage(JSON.stringify({ type: 'not-leader', leader: 'no port' })),
      (error: unknown) => isAppError(error) && error.code === 'VALIDATION',
    );
  });
});
