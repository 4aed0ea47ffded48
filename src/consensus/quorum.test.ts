import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONSENSUS } from '../domain/consensus.ts';
import type { ConsensusPolicy } from '../domain/consensus.ts';
import { judgeVotes } from './quorum.ts';
import type { CountedVote } from './quorum.ts';

const MAJORITY = DEFAULT_CONSENSUS;

function votes(spec: string): CountedVote[] {
  // "eu:F eu:F us:O" → node n0 in eu failing, …; "-" for a node with no region.
  return spec
    .split(' ')
    .filter(Boolean)
    .map((token, i) => {
      const [region, outcome] = token.split(':');
      return {
        nodeId: `n${i}`,
        region: region === '-' ? null : (region ?? null),
        failing: outcome === 'F',
      };
    });
}

describe('judgeVotes (quorum rule)', () => {
  it('confirms down when more than half of the counted nodes fail', () => {
    const j = judgeVotes(votes('eu:F us:F us:O'), MAJORITY, 3);
    assert.equal(j.verdict, 'down');
    assert.deepEqual(j.failingNodes, ['n0', 'n1']);
    assert.equal(j.healthyQuorum, false);
  });

  it('a lone failing node among healthy ones is local, never down or regional', () => {
    const j = judgeVotes(votes('eu:F eu:O us:O us:O'), MAJORITY, 4);
    assert.equal(j.verdict, 'local');
    assert.equal(j.healthyQuorum, true);
    // Alone in its region it is still local: one node cannot tell its network from its region.
    assert.equal(judgeVotes(votes('ap:F eu:O us:O'), MAJORITY, 3).verdict, 'local');
  });

  it('failures confined to whole regions while another region sees it up are regional', () => {
    const j = judgeVotes(votes('eu:F eu:F us:O us:O'), MAJORITY, 4);
    assert.equal(j.verdict, 'regional');
    assert.deepEqual(j.failingRegions, ['eu']);
    // Even when the failing region holds the majority.
    assert.equal(judgeVotes(votes('eu:F eu:F eu:F us:O'), MAJORITY, 4).verdict, 'regional');
    // Two whole regions down, one up.
    const two = judgeVotes(votes('eu:F ap:F us:O'), MAJORITY, 3);
    assert.equal(two.verdict, 'regional');
    assert.deepEqual(two.failingRegions, ['ap', 'eu']);
  });

  it('is not regional when a failing region also has a healthy node, or no region is all up', () => {
    assert.equal(judgeVotes(votes('eu:F eu:F eu:O us:O'), MAJORITY, 4).verdict, 'local');
    assert.equal(judgeVotes(votes('eu:F eu:F us:F us:O'), MAJORITY, 4).verdict, 'down');
    assert.equal(judgeVotes(votes('eu:F eu:F -:O'), MAJORITY, 3).verdict, 'down');
  });

  it('below the responder minimum nothing is confirmed: unknown', () => {
    const j = judgeVotes(votes('eu:F'), MAJORITY, 3);
    assert.equal(j.verdict, 'unknown');
    assert.equal(j.healthyQuorum, false);
    assert.equal(judgeVotes(votes(''), MAJORITY, 3).verdict, 'unknown');
  });

  it('a monitor assigned to fewer nodes than the minimum uses all of them', () => {
    assert.equal(judgeVotes(votes('-:F'), MAJORITY, 1).verdict, 'down');
    assert.equal(judgeVotes(votes('-:O'), MAJORITY, 1).verdict, 'up');
  });

  it('n_of_m confirms with N failures whatever the others say', () => {
    const policy: ConsensusPolicy = { ...MAJORITY, quorum: 'n_of_m', requiredFailures: 2 };
    assert.equal(judgeVotes(votes('eu:F us:F us:O us:O -:O'), policy, 5).verdict, 'down');
    assert.equal(judgeVotes(votes('eu:F us:O us:O'), policy, 3).verdict, 'local');
    // N is capped by the nodes assigned, so a small cluster can still confirm.
    const strict: ConsensusPolicy = { ...policy, requiredFailures: 5 };
    assert.equal(judgeVotes(votes('eu:F us:F'), strict, 2).verdict, 'down');
  });

  it('percent confirms when at least P % of the counted nodes fail', () => {
    const policy: ConsensusPolicy = { ...MAJORITY, quorum: 'percent', requiredPercent: 25 };
    // 1 of 4 is 25 %: enough; 1 of 5 (20 %) is not.
    assert.equal(judgeVotes(votes('eu:F us:O us:O -:O'), policy, 4).verdict, 'down');
    assert.equal(judgeVotes(votes('eu:F us:O us:O -:O -:O'), policy, 5).verdict, 'local');
    const all: ConsensusPolicy = { ...policy, requiredPercent: 100 };
    assert.equal(judgeVotes(votes('eu:F us:F -:O'), all, 3).verdict, 'local');
    assert.equal(judgeVotes(votes('eu:F us:F -:F'), all, 3).verdict, 'down');
    // The share is of the answers counted, not of the nodes assigned.
    const half: ConsensusPolicy = { ...policy, requiredPercent: 50 };
    assert.equal(judgeVotes(votes('eu:F -:O'), half, 6).verdict, 'down');
  });

  it('percent mirrors confirmation for a healthy quorum: P % of the counted see it up', () => {
    const policy: ConsensusPolicy = { ...MAJORITY, quorum: 'percent', requiredPercent: 75 };
    assert.equal(judgeVotes(votes('-:F -:O -:O -:O'), policy, 4).healthyQuorum, true);
    assert.equal(judgeVotes(votes('-:F -:F -:O -:O'), policy, 4).healthyQuorum, false);
  });

  const arbitraryVotes = fc
    .array(
      fc.record({
        region: fc.constantFrom('eu', 'us', 'ap', null),
        failing: fc.boolean(),
      }),
      { maxLength: 9 },
    )
    .map((list) => list.map((v, i) => ({ ...v, nodeId: `n${i}` })));
  const arbitraryPolicy = fc.record({
    quorum: fc.constantFrom('majority' as const, 'n_of_m' as const, 'percent' as const),
    requiredFailures: fc.integer({ min: 1, max: 6 }),
    requiredPercent: fc.integer({ min: 1, max: 100 }),
    minResponders: fc.integer({ min: 1, max: 5 }),
  });

  it('property: percent confirms down exactly when failures reach P % of the counted answers', () => {
    fc.assert(
      fc.property(arbitraryVotes, fc.integer({ min: 1, max: 100 }), (list, percent) => {
        const policy: ConsensusPolicy = {
          ...MAJORITY,
          quorum: 'percent',
          requiredPercent: percent,
          minResponders: 1,
        };
        const j = judgeVotes(list, policy, list.length);
        const failures = list.filter((v) => v.failing).length;
        const reached = failures > 0 && failures * 100 >= percent * list.length;
        if (j.verdict === 'down') assert.ok(reached);
        // Reaching P % confirms unless whole regions explain the failures.
        if (reached) assert.ok(j.verdict === 'down' || j.verdict === 'regional');
      }),
      { numRuns: 3_000 },
    );
  });

  it('property: percent is monotone: more failures or a lower P never un-confirm', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        (counted, rawFailures, p1, p2) => {
          const failures = Math.min(rawFailures, counted);
          // One region-less node per answer: no regional verdict can intervene.
          const list = (f: number): CountedVote[] =>
            Array.from({ length: counted }, (_, i) => ({
              nodeId: `n${i}`,
              region: null,
              failing: i < f,
            }));
          const rule = (percent: number): ConsensusPolicy => ({
            ...MAJORITY,
            quorum: 'percent',
            requiredPercent: percent,
            minResponders: 1,
          });
          const [low, high] = p1 <= p2 ? [p1, p2] : [p2, p1];
          const down = (f: number, p: number) =>
            judgeVotes(list(f), rule(p), counted).verdict === 'down';
          if (down(failures, high)) assert.ok(down(failures, low));
          if (failures < counted && down(failures, low)) assert.ok(down(failures + 1, low));
          // Above 50 % it is never looser than a majority.
          if (high > 50 && down(failures, high)) assert.ok(failures * 2 > counted);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('property: down or regional only with at least the minimum counted answers and a failure', () => {
    fc.assert(
      fc.property(
        arbitraryVotes,
        arbitraryPolicy,
        fc.integer({ min: 0, max: 4 }),
        (list, policy, extra) => {
          const assigned = list.length + extra;
          const j = judgeVotes(list, policy, assigned);
          const failures = list.filter((v) => v.failing).length;
          if (j.verdict === 'down' || j.verdict === 'regional') {
            assert.ok(list.length >= Math.min(policy.minResponders, Math.max(assigned, 1)));
            assert.ok(failures >= 1);
          }
          if (j.verdict === 'down' && policy.quorum === 'majority')
            assert.ok(failures * 2 > list.length);
          if (j.verdict === 'down' && policy.quorum === 'percent')
            assert.ok(failures * 100 >= policy.requiredPercent * list.length);
          if (j.verdict === 'up') assert.equal(failures, 0);
          if (failures === 0) assert.ok(j.verdict === 'up' || j.verdict === 'unknown');
          assert.ok(!(j.healthyQuorum && (j.verdict === 'down' || j.verdict === 'regional')));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('property: regional names exactly the regions where every counted node failed, and one is all up', () => {
    fc.assert(
      fc.property(arbitraryVotes, (list) => {
        const j = judgeVotes(list, MAJORITY, list.length);
        if (j.verdict !== 'regional') return;
        for (const region of j.failingRegions) {
          assert.ok(list.filter((v) => v.region === region).every((v) => v.failing));
        }
        assert.ok(
          list
            .filter((v) => v.failing)
            .every((v) => v.region !== null && j.failingRegions.includes(v.region)),
        );
        const regions = new Set(list.map((v) => v.region).filter((r) => r !== null));
        assert.ok(
          [...regions].some((r) => list.filter((v) => v.region === r).every((v) => !v.failing)),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('property: the verdict does not depend on the order of the votes', () => {
    fc.assert(
      fc.property(arbitraryVotes, arbitraryPolicy, (list, policy) => {
        const forward = judgeVotes(list, policy, list.length);
        const backward = judgeVotes([...list].reverse(), policy, list.length);
        assert.deepEqual(forward, backward);
      }),
      { numRuns: 1_000 },
    );
  });
});
