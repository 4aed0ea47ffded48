import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONSENSUS } from '../domain/consensus.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { ConsensusEffect } from './monitor-consensus.ts';
import { layout, simulate } from './testing/cluster-simulator.ts';
import type { Scenario, SimulationLog } from './testing/cluster-simulator.ts';

// Property-based simulation of the consensus core: thousands of generated clusters, outages,
// partitions, lost and late votes and coordinator restarts, checked against the invariants
// the product promises (see issue #4, "Proof").

const INTERVAL = 1_000;
const MARGIN = 500;
const TAIL = 60_000;

type Effect<T extends ConsensusEffect['type']> = Extract<ConsensusEffect, { type: T }>;

function effectsOf<T extends ConsensusEffect['type']>(
  log: SimulationLog,
  type: T,
): { at: number; effect: Effect<T> }[] {
  return log.effects.filter((e): e is { at: number; effect: Effect<T> } => e.effect.type === type);
}

const regionsArb = fc.array(fc.constantFrom('eu', 'us', 'ap', null), {
  minLength: 1,
  maxLength: 6,
});
const thresholdArb = fc.integer({ min: 1, max: 3 });
const policyArb = fc.oneof(
  fc
    .record({ minResponders: fc.integer({ min: 1, max: 3 }) })
    .map((p) => ({ ...DEFAULT_CONSENSUS, ...p })),
  fc
    .record({
      requiredFailures: fc.integer({ min: 1, max: 3 }),
      minResponders: fc.integer({ min: 1, max: 3 }),
    })
    .map((p) => ({
      ...DEFAULT_CONSENSUS,
      ...p,
      quorum: 'n_of_m' as const,
    })),
  fc
    .record({
      requiredPercent: fc.integer({ min: 1, max: 100 }),
      minResponders: fc.integer({ min: 1, max: 3 }),
    })
    .map((p) => ({ ...DEFAULT_CONSENSUS, ...p, quorum: 'percent' as const })),
);

/** Every incident opened rests on counted failures that nodes really saw, and enough of them. */
function assertIncidentsRestOnEvidence(scenario: Scenario, log: SimulationLog): void {
  const rounds = new Map<string, ConsensusRound>();
  for (const { effect } of effectsOf(log, 'round-decided'))
    rounds.set(effect.round.id, effect.round);
  for (const { effect } of effectsOf(log, 'round-decided')) {
    const round = effect.round;
    if (round.verdict !== 'down' && round.verdict !== 'regional') continue;
    const counted = round.votes.filter(
      (v) => (v.outcome === 'fail' || v.outcome === 'ok') && v.setAside === null,
    );
    const failing = counted.filter((v) => v.outcome === 'fail');
    assert.ok(failing.length >= 1);
    assert.ok(counted.length >= Math.min(scenario.policy.minResponders, scenario.regions.length));
    for (const vote of failing) {
      const node = Number(vote.nodeId.slice(1));
      assert.ok(
        vote.checkedAt !== null && log.truth(node, vote.checkedAt),
        `${vote.nodeId} did not see a failure`,
      );
    }
    if (round.verdict === 'down' && scenario.policy.quorum === 'majority') {
      assert.ok(failing.length * 2 > counted.length, 'down without a majority');
    }
    const percent = scenario.policy.requiredPercent;
    if (round.verdict === 'down' && scenario.policy.quorum === 'percent' && percent !== null) {
      assert.ok(failing.length * 100 >= percent * counted.length, `down below ${percent} %`);
    }
  }
}

/** Opened and resolved alternate (one open incident at most) and no transition alerts twice. */
function assertOneAtATimeAndNoDoubleAlerts(log: SimulationLog): void {
  let open: string | null = null;
  let lastEnded = Number.NEGATIVE_INFINITY;
  for (const { effect } of log.effects) {
    if (effect.type === 'incident-opened') {
      assert.equal(open, null, 'a second incident opened while one was open');
      assert.ok(effect.incident.startedAt > lastEnded, 'an incident dated into the previous one');
      open = effect.incident.id;
    }
    if (effect.type === 'incident-resolved') {
      assert.equal(effect.incidentId, open);
      assert.ok(effect.endedAt >= effect.startedAt);
      lastEnded = effect.endedAt;
      open = null;
    }
    if (effect.type === 'incident-retracted') {
      assert.equal(effect.incidentId, open);
      open = null;
    }
  }
  const keys = effectsOf(log, 'alert').map((a) => a.effect.idempotencyKey);
  assert.equal(new Set(keys).size, keys.length, `an alert key repeated: ${keys.join(', ')}`);
  const sent = effectsOf(log, 'alert').filter((a) => !a.effect.suppressed);
  const perIncident = new Map<string, string[]>();
  for (const { effect } of sent) {
    if (effect.incident === null) continue;
    const kinds = perIncident.get(effect.incident.id) ?? [];
    assert.ok(
      !kinds.includes(effect.kind),
      `incident ${effect.incident.id} sent ${effect.kind} twice`,
    );
    perIncident.set(effect.incident.id, [...kinds, effect.kind]);
  }
}

/**
 * Clusters with up to three outages for everyone (25–40 s apart) and up to three coordinator
 * restarts during them, then a minute of calm; answers are reliable `always` or only once the
 * outages are over.
 */
function outageWorld(
  voteDelays: fc.Arbitrary<(number | null)[]>,
  reliable: 'always' | 'after-outages',
): fc.Arbitrary<Scenario> {
  const windows = (gap: [number, number], length: [number, number]) =>
    fc.array(
      fc.tuple(
        fc.integer({ min: gap[0], max: gap[1] }),
        fc.integer({ min: length[0], max: length[1] }),
      ),
      { maxLength: 3 },
    );
  return fc
    .record({
      regions: regionsArb,
      timeoutMs: fc.integer({ min: 200, max: 900 }),
      failureThreshold: thresholdArb,
      recoveryThreshold: thresholdArb,
      policy: policyArb,
      outages: windows([25_000, 40_000], [500, 40_000]),
      restarts: windows([1_000, 30_000], [300, 5_000]),
      voteDelays,
    })
    .map((g): Scenario => {
      const outages = layout(g.outages, 0);
      const end = outages.at(-1)?.end ?? 0;
      return {
        regions: g.regions,
        intervalMs: INTERVAL,
        timeoutMs: g.timeoutMs,
        failureThreshold: g.failureThreshold,
        recoveryThreshold: g.recoveryThreshold,
        policy: g.policy,
        outages,
        partitions: [],
        restarts: layout(g.restarts, 0).filter((r) => r.end < end),
        voteDelays: g.voteDelays,
        reliableAfter: reliable === 'always' ? 0 : end,
        durationMs: end + TAIL,
      };
    });
}

describe('consensus simulation (property-based)', () => {
  it('outages for everyone with timely answers and coordinator restarts: exactly one incident per long outage', () => {
    // Every answer arrives before its deadline (timeout + margin), after varying delays.
    const delays = fc.array(fc.integer({ min: 0, max: 650 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(outageWorld(delays, 'always'), (scenario) => {
        const log = simulate(scenario);
        assertIncidentsRestOnEvidence(scenario, log);
        assertOneAtATimeAndNoDoubleAlerts(log);
        assert.equal(log.finalFields.openIncident, null, 'an incident stayed open');
        // Every outage longer than the detection window (plus rounds lost to restarts, each
        // retried after a recheck period) opened exactly one incident.
        const lost = scenario.restarts.reduce((sum, r) => sum + (r.end - r.start), 0);
        const window =
          scenario.failureThreshold * INTERVAL + scenario.timeoutMs + MARGIN + 8 * INTERVAL + lost;
        const opened = effectsOf(log, 'incident-opened').map((e) => e.at);
        for (const outage of scenario.outages) {
          if (outage.end - outage.start < window) continue;
          const during = opened.filter((at) => at >= outage.start && at < outage.end);
          assert.equal(during.length, 1, `outage ${outage.start}-${outage.end}: ${during.length}`);
        }
      }),
      { numRuns: 1_500 },
    );
  });

  it('outages for everyone with lost and late answers and restarts: evidence-backed, one at a time, no double page, all resolved once healed', () => {
    // Answers in time, after the deadline (recorded, not counted), or lost (null).
    const delays = fc.array(fc.option(fc.integer({ min: 0, max: 3_000 }), { freq: 3 }), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(outageWorld(delays, 'after-outages'), (scenario) => {
        const log = simulate(scenario);
        assertIncidentsRestOnEvidence(scenario, log);
        assertOneAtATimeAndNoDoubleAlerts(log);
        assert.equal(log.finalFields.openIncident, null, 'an incident stayed open once healed');
      }),
      { numRuns: 1_500 },
    );
  });

  it('one node at a time cut from the target, with lost votes: nobody is paged', () => {
    const arb = fc
      .record({
        regions: fc.array(fc.constantFrom('eu', 'us', 'ap', null), { minLength: 3, maxLength: 6 }),
        timeoutMs: fc.integer({ min: 200, max: 900 }),
        failureThreshold: thresholdArb,
        recoveryThreshold: thresholdArb,
        // The responder guard is what protects against a lone node; 1 turns it off.
        minResponders: fc.integer({ min: 2, max: 3 }),
        partitions: fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 5 }),
            // A few seconds between two cuts: back to back, two nodes really do fail within
            // the same round (one's last check, the other's vote), which is not "one at a time".
            fc.integer({ min: 5_000, max: 15_000 }),
            fc.integer({ min: 500, max: 60_000 }),
          ),
          { maxLength: 4 },
        ),
        restarts: fc.array(
          fc.tuple(fc.integer({ min: 1_000, max: 30_000 }), fc.integer({ min: 300, max: 5_000 })),
          {
            maxLength: 2,
          },
        ),
        voteDelays: fc.array(fc.option(fc.integer({ min: 0, max: 2_000 }), { freq: 3 }), {
          minLength: 1,
          maxLength: 12,
        }),
      })
      .map((g): Scenario => {
        const windows = layout(
          g.partitions.map(([, gap, length]) => [gap, length]),
          0,
        );
        const partitions = windows.map((w, i) => ({
          ...w,
          node: (g.partitions[i]?.[0] ?? 0) % g.regions.length,
        }));
        const end = partitions.at(-1)?.end ?? 0;
        return {
          regions: g.regions,
          intervalMs: INTERVAL,
          timeoutMs: g.timeoutMs,
          failureThreshold: g.failureThreshold,
          recoveryThreshold: g.recoveryThreshold,
          policy: { ...DEFAULT_CONSENSUS, minResponders: g.minResponders },
          outages: [],
          partitions,
          restarts: layout(g.restarts, 0).filter((r) => r.end < end),
          voteDelays: g.voteDelays,
          reliableAfter: end,
          durationMs: end + TAIL,
        };
      });
    fc.assert(
      fc.property(arb, (scenario) => {
        const log = simulate(scenario);
        assert.deepEqual(effectsOf(log, 'incident-opened'), [], 'a single node opened an incident');
        assert.deepEqual(effectsOf(log, 'alert'), [], 'a single node paged');
        const local = effectsOf(log, 'round-decided').filter(
          (r) => r.effect.round.verdict === 'local',
        );
        for (const { effect } of local) {
          const failing = effect.round.votes.filter(
            (v) => v.outcome === 'fail' && v.setAside === null,
          );
          assert.ok(failing.length === 1, 'a local verdict names the one node that failed');
        }
      }),
      { numRuns: 1_500 },
    );
  });

  it('a whole region cut off while another sees the target up: one regional incident naming it', () => {
    const arb = fc
      .record({
        eu: fc.integer({ min: 2, max: 3 }),
        us: fc.integer({ min: 1, max: 3 }),
        failureThreshold: thresholdArb,
        recoveryThreshold: thresholdArb,
        length: fc.integer({ min: 20_000, max: 60_000 }),
      })
      .map((g): Scenario => {
        const regions = [...Array<string>(g.us).fill('us'), ...Array<string>(g.eu).fill('eu')];
        const start = 10_000;
        const partitions = regions
          .map((region, node) => ({ region, node }))
          .filter((n) => n.region === 'eu')
          .map((n) => ({ node: n.node, start, end: start + g.length }));
        return {
          regions,
          intervalMs: INTERVAL,
          timeoutMs: 500,
          failureThreshold: g.failureThreshold,
          recoveryThreshold: g.recoveryThreshold,
          policy: DEFAULT_CONSENSUS,
          outages: [],
          partitions,
          restarts: [],
          voteDelays: [50, 120, 300],
          reliableAfter: 0,
          durationMs: start + g.length + TAIL,
        };
      });
    fc.assert(
      fc.property(arb, (scenario) => {
        const log = simulate(scenario);
        const opened = effectsOf(log, 'incident-opened');
        assert.equal(opened.length, 1);
        assert.equal(opened[0]?.effect.incident.verdict, 'regional');
        assert.deepEqual(opened[0]?.effect.incident.regions, ['eu']);
        const sent = effectsOf(log, 'alert').filter((a) => !a.effect.suppressed);
        assert.deepEqual(
          sent.map((a) => `${a.effect.kind}:${a.effect.routes}`),
          ['regional:regional', 'recovered:paged'],
        );
        assert.equal(log.finalFields.openIncident, null);
      }),
      { numRuns: 500 },
    );
  });
});
