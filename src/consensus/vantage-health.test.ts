import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_VANTAGE_POLICY, judgeVantage } from './vantage-health.ts';

const policy = DEFAULT_VANTAGE_POLICY;
const record = (monitorsRun: number, contradicted: string[]) => ({
  monitorsRun,
  contradicted: contradicted.length,
  contradictedIds: new Set(contradicted),
});

describe('judgeVantage', () => {
  it('a node failing every other monitor that others see up is failing itself', () => {
    const judgement = judgeVantage(record(3, ['a', 'b', 'c']), 'a', policy);
    assert.deepEqual(judgement, { failing: true, contradicted: 2, others: 2 });
  });

  it('a node failing only the monitor voted on is a witness, not a suspect', () => {
    assert.equal(judgeVantage(record(10, ['a']), 'a', policy).failing, false);
  });

  it('half of the other monitors is not most of them', () => {
    assert.equal(judgeVantage(record(5, ['b', 'c']), 'a', policy).failing, false);
    assert.equal(judgeVantage(record(5, ['b', 'c', 'd']), 'a', policy).failing, true);
  });

  it('too few other monitors to judge from: never failing', () => {
    assert.equal(judgeVantage(record(2, ['a', 'b']), 'a', policy).failing, false);
    assert.equal(judgeVantage(record(1, ['a']), 'a', policy).failing, false);
  });

  it('property: failing exactly when enough others run and most of them are contradicted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (run, ids, voted) => {
          const contradicted = ids.map(String);
          const j = judgeVantage(record(run, contradicted), String(voted), policy);
          const others = Math.max(0, run - 1);
          const count = contradicted.filter((id) => id !== String(voted)).length;
          assert.equal(j.others, others);
          assert.equal(j.contradicted, count);
          assert.equal(j.failing, others >= policy.minOtherMonitors && count * 2 > others);
        },
      ),
    );
  });

  it('property: the voted monitor never counts against the node', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 60 }),
        (run, ids) => {
          const contradicted = ids.map(String);
          const without = judgeVantage(record(run, contradicted), '0', policy);
          const withVoted = judgeVantage(record(run, [...contradicted, '0']), '0', policy);
          assert.deepEqual(withVoted, without);
        },
      ),
    );
  });
});
