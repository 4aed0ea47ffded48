import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONSENSUS } from '../domain/consensus.ts';
import { makeRound, makeVote } from '../store/contract/consensus-fixtures.ts';
import { HOUR, MINUTE, T0, makeIncident, makeMonitor } from '../store/contract/fixtures.ts';
import type { IncidentDetail } from './consensus-views.ts';
import { explainIncident, explainRound } from './incident-explain.ts';
import { quorumRuleText } from './explain-text.ts';

const monitor = makeMonitor('m1', { name: 'Checkout', target: 'https://shop.example/' });

function detail(overrides: Partial<IncidentDetail> = {}): IncidentDetail {
  return { ...makeIncident('inc-1', 'm1', T0), evidence: [], ...overrides };
}

describe('explainRound', () => {
  it('explains a regional verdict by the regions that failed and the ones that saw it up', () => {
    const round = makeRound('r1', 'm1', T0, {
      verdict: 'regional',
      regions: ['eu-west'],
      votes: [
        makeVote('a', 'fail', { nodeName: 'eu-1', region: 'eu-west' }),
        makeVote('b', 'fail', { nodeName: 'eu-2', region: 'eu-west' }),
        makeVote('c', 'ok', { nodeName: 'us-1', region: 'us-east' }),
      ],
    });
    const view = explainRound(round, DEFAULT_CONSENSUS);
    assert.deepEqual(view.regionsDown, ['eu-west']);
    assert.deepEqual(view.regionsUp, ['us-east']);
    assert.equal(
      view.why,
      '2 of 3 counted node(s) saw it down (eu-1, eu-2), every counted node of eu-west, ' +
        'while us-east saw it up: confined to region(s)',
    );
  });

  it('leaves abstentions, set-aside, late and missing answers out of the count, and says so', () => {
    const round = makeRound('r1', 'm1', T0, {
      verdict: 'local',
      votes: [
        makeVote('a', 'fail', { nodeName: 'a' }),
        makeVote('b', 'ok', { nodeName: 'b' }),
        makeVote('c', 'ok', { nodeName: 'c' }),
        makeVote('d', 'fail', { nodeName: 'd', setAside: 'impaired' }),
        makeVote('e', 'abstain', { nodeName: 'e', setAside: 'canaries' }),
        makeVote('f', 'no-answer', { nodeName: 'f' }),
        makeVote('g', 'fail', { nodeName: 'g', late: true }),
      ],
    });
    const view = explainRound(round, DEFAULT_CONSENSUS);
    assert.deepEqual(view.counts, {
      asked: 6,
      counted: 3,
      down: 1,
      up: 2,
      abstained: 1,
      noAnswer: 1,
      setAside: 2,
    });
    assert.deepEqual(
      view.nodes.map((n) => [n.node, n.vote, n.counted]),
      [
        ['a', 'down', true],
        ['b', 'up', true],
        ['c', 'up', true],
        ['d', 'down', false],
        ['e', 'abstain', false],
        ['f', 'no-answer', false],
        ['g', 'down', false],
      ],
    );
    assert.equal(
      view.why,
      '1 of 3 counted node(s) saw it down (a): below quorum and not a whole region, so local ' +
        '(no page); not counted: 2 set aside (impaired node or failing vantage), 1 abstained, ' +
        '1 did not answer in time',
    );
  });

  it('names the n_of_m threshold and the responder minimum', () => {
    const policy = { ...DEFAULT_CONSENSUS, quorum: 'n_of_m' as const, requiredFailures: 2 };
    const down = explainRound(
      makeRound('r1', 'm1', T0, {
        verdict: 'down',
        votes: [makeVote('a', 'fail'), makeVote('b', 'fail'), makeVote('c', 'ok')],
      }),
      policy,
    );
    assert.match(down.why, /2 of 3 counted node\(s\) saw it down .*; at least 2 needed: confirmed/);
    const unknown = explainRound(
      makeRound('r2', 'm1', T0, {
        verdict: 'unknown',
        votes: [makeVote('a', 'fail'), makeVote('b', 'no-answer'), makeVote('c', 'no-answer')],
      }),
      DEFAULT_CONSENSUS,
    );
    assert.match(unknown.why, /^only 1 counted answer\(s\); 2 needed for a verdict/);
  });

  it('names the percent threshold and the share that failed', () => {
    const policy = { ...DEFAULT_CONSENSUS, quorum: 'percent' as const, requiredPercent: 30 };
    const down = explainRound(
      makeRound('r1', 'm1', T0, {
        verdict: 'down',
        votes: [makeVote('a', 'fail'), makeVote('b', 'ok'), makeVote('c', 'ok')],
      }),
      policy,
    );
    assert.match(
      down.why,
      /1 of 3 counted node\(s\) saw it down .*\(33 %\); at least 30 % needed: confirmed/,
    );
    assert.match(quorumRuleText(policy), /^down when at least 30 % of the counted nodes fail;/);
  });
});

describe('explainIncident', () => {
  it('summarises an open, unacknowledged down incident from its deciding round', () => {
    const view = explainIncident(
      detail({
        evidence: [
          makeRound('r1', 'm1', T0 + MINUTE, {
            verdict: 'down',
            incidentId: 'inc-1',
            votes: [makeVote('a', 'fail'), makeVote('b', 'fail')],
          }),
        ],
      }),
      monitor,
    );
    assert.equal(view.quorum.mode, 'majority');
    assert.deepEqual(view.regionsDown, ['eu-west']);
    assert.equal(
      view.summary,
      'Checkout (https://shop.example/) is down: connection refused. The trouble started at ' +
        '2026-01-01T00:00:00.000Z and was confirmed at 2026-01-01T00:01:00.000Z. Deciding round ' +
        '(confirm, 2026-01-01T00:01:00.000Z): 2 of 2 counted node(s) saw it down (node-a, ' +
        'node-b): more than half, confirmed. 1 round(s) of evidence in all. Regions where every ' +
        'counted node saw it down: eu-west. It is still open. Nobody has acknowledged it yet. ' +
        `Rule: ${view.quorum.rule}.`,
    );
  });

  it('says how a resolved, acknowledged incident ended, and why a retracted one counts for nothing', () => {
    const resolved = explainIncident(
      detail({
        status: 'resolved',
        endedAt: T0 + HOUR,
        resolvedAt: T0 + HOUR + MINUTE,
        durationMs: HOUR,
        acknowledgement: { at: T0 + 2 * MINUTE, by: 'alice', note: 'on it' },
      }),
      monitor,
    );
    assert.match(resolved.summary, /^Checkout \(https:\/\/shop.example\/\) was down/);
    assert.match(resolved.summary, /It recovered at 2026-01-01T01:00:00.000Z after 1h/);
    assert.match(resolved.summary, /Acknowledged by alice at 2026-01-01T00:02:00.000Z \("on it"\)/);
    assert.match(resolved.summary, /No round evidence is stored for it\./);

    const retracted = explainIncident(
      detail({ status: 'retracted', retractedAt: T0 + 5, retraction: 'deciding votes impaired' }),
      monitor,
    );
    assert.match(retracted.summary, /retracted \(no downtime counted\): deciding votes impaired/);
  });
});
