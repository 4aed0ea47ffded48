import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONSENSUS } from '../domain/consensus.ts';
import type { ConsensusEffect } from './monitor-consensus.ts';
import { layout, simulate } from './testing/cluster-simulator.ts';
import type { Scenario, SimulationLog } from './testing/cluster-simulator.ts';

// Property-based proof of the alert rules (issue #10): over random clusters with outages,
// flaps, regional cuts, pauses, uplink losses, lost votes and restarts, every incident is
// paged unless a documented rule says why (recorded), closings only follow openings, repeats
// respect the per-incident cooldown, and incidents opened on failing uplinks are retracted.

const INTERVAL = 1_000;
const TAIL = 60_000;

type AlertEffect = Extract<ConsensusEffect, { type: 'alert' }>;
type Timed<T> = { at: number; effect: T };

function alerts(log: SimulationLog): Timed<AlertEffect>[] {
  return log.effects.filter((e): e is Timed<AlertEffect> => e.effect.type === 'alert');
}

function of<T extends ConsensusEffect['type']>(
  log: SimulationLog,
  type: T,
): Timed<Extract<ConsensusEffect, { type: T }>>[] {
  return log.effects.filter(
    (e): e is Timed<Extract<ConsensusEffect, { type: T }>> => e.effect.type === type,
  );
}

const isOpening = (a: AlertEffect) => a.kind === 'down' || a.kind === 'regional';
const ALLOWED_SUPPRESSION = ['flapping', 'paused', 'within-cooldown'];

/**
 * Every incident's first opening is sent, or suppressed by flapping or a pause (the reason is
 * on the effect); one still open when flapping ends is paged then.
 */
function assertEveryIncidentPagedOrExplained(log: SimulationLog): void {
  const openings = alerts(log).filter((a) => isOpening(a.effect));
  const flapEnds = alerts(log)
    .filter((a) => a.effect.kind === 'flapping-ended')
    .map((a) => a.at);
  const closedAt = new Map<string, number>();
  for (const e of [...of(log, 'incident-resolved'), ...of(log, 'incident-retracted')])
    closedAt.set(e.effect.incidentId, e.at);
  for (const { at, effect } of of(log, 'incident-opened')) {
    const id = effect.incident.id;
    const mine = openings.filter((a) => a.effect.incident?.id === id);
    const first = mine[0];
    assert.ok(first !== undefined && first.at === at, `incident ${id} has no opening alert`);
    for (const a of mine) {
      if (a.effect.suppressed)
        assert.ok(ALLOWED_SUPPRESSION.includes(a.effect.reason), a.effect.reason);
    }
    if (!first.effect.suppressed) continue;
    assert.ok(first.effect.reason === 'flapping' || first.effect.reason === 'paused');
    const end = closedAt.get(id) ?? Number.POSITIVE_INFINITY;
    const flapEnd = flapEnds.find((t) => t > at && t < end);
    // Flapping over, the incident pages then, unless the monitor is paused at that moment (the
    // page is recorded suppressed: a pause says why).
    if (first.effect.reason === 'flapping' && flapEnd !== undefined) {
      assert.ok(
        mine.some(
          (a) => a.at === flapEnd && (!a.effect.suppressed || a.effect.reason === 'paused'),
        ),
        `incident ${id} outlasted flapping without a page`,
      );
    }
  }
}

/** A closing (recovered, retracted) only ever follows an opening of the same incident. */
function assertClosingsFollowOpenings(log: SimulationLog): void {
  const opened = new Set<string>();
  for (const { effect } of alerts(log)) {
    const id = effect.incident?.id;
    if (id === undefined) continue;
    if (isOpening(effect)) opened.add(id);
    if (effect.routes === 'paged') {
      assert.ok(opened.has(id), `${effect.kind} of ${id} before any opening`);
      assert.ok(effect.kind === 'recovered' || effect.kind === 'retracted');
    } else {
      assert.notEqual(effect.kind, 'recovered', 'a recovery goes where the openings went');
    }
  }
}

/** Sent openings of one incident, route and kind are at least the cooldown apart. */
function assertCooldownPerIncident(log: SimulationLog, cooldownMs: number): void {
  const last = new Map<string, number>();
  for (const { at, effect } of alerts(log)) {
    if (!isOpening(effect) || effect.suppressed || effect.incident === null) continue;
    const key = `${effect.incident.id}:${effect.routes}:${effect.kind}`;
    const before = last.get(key);
    if (before !== undefined) assert.ok(at - before >= cooldownMs, `${key} repeated early`);
    last.set(key, at);
  }
}

function windows(count: number, gap: [number, number], length: [number, number]) {
  return fc.array(
    fc.tuple(
      fc.integer({ min: gap[0], max: gap[1] }),
      fc.integer({ min: length[0], max: length[1] }),
    ),
    { maxLength: count },
  );
}

/** Outages, flaps (short outages close together), regional cuts, pauses and uplink losses. */
const world: fc.Arbitrary<Scenario> = fc
  .record({
    regions: fc.array(fc.constantFrom('eu', 'us', 'ap'), { minLength: 2, maxLength: 6 }),
    failureThreshold: fc.integer({ min: 1, max: 3 }),
    recoveryThreshold: fc.integer({ min: 1, max: 3 }),
    flapChanges: fc.integer({ min: 2, max: 5 }),
    cooldownMs: fc.constantFrom(0, 5_000, 60_000, 600_000),
    outages: windows(6, [3_000, 30_000], [2_000, 20_000]),
    pauses: windows(2, [5_000, 60_000], [1_000, 20_000]),
    cut: fc.option(
      fc.tuple(
        fc.constantFrom('eu', 'us', 'ap'),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 5_000, max: 30_000 }),
      ),
    ),
    loss: fc.option(
      fc.tuple(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 5_000, max: 30_000 }),
        fc.integer({ min: 0, max: 1_500 }),
      ),
    ),
    restarts: windows(2, [5_000, 60_000], [300, 3_000]),
    voteDelays: fc.array(fc.option(fc.integer({ min: 0, max: 2_000 }), { freq: 4 }), {
      minLength: 1,
      maxLength: 8,
    }),
  })
  .map((g): Scenario => {
    const outages = layout(g.outages, 0);
    const partitions =
      g.cut === null
        ? []
        : g.regions.flatMap((region, node) =>
            region === g.cut?.[0] ? [{ node, start: g.cut[1], end: g.cut[1] + g.cut[2] }] : [],
          );
    const lossNodes = g.regions.map((_, i) => i).filter((i) => i % 2 === 1 || i === 2);
    const uplinkLosses =
      g.loss === null
        ? []
        : [
            {
              nodes: lossNodes,
              start: g.loss[0],
              end: g.loss[0] + g.loss[1],
              detectAfterMs: g.loss[2],
            },
          ];
    const end = Math.max(outages.at(-1)?.end ?? 0, 90_000);
    return {
      regions: g.regions,
      intervalMs: INTERVAL,
      timeoutMs: 500,
      failureThreshold: g.failureThreshold,
      recoveryThreshold: g.recoveryThreshold,
      policy: { ...DEFAULT_CONSENSUS, flapChanges: g.flapChanges, flapWindowMs: 60_000 },
      outages,
      partitions,
      restarts: layout(g.restarts, 0).filter((r) => r.end < end),
      voteDelays: g.voteDelays,
      reliableAfter: end,
      durationMs: end + TAIL,
      alertCooldownMs: g.cooldownMs,
      pauses: layout(g.pauses, 0),
      uplinkLosses,
    };
  });

describe('alert truth (property-based)', () => {
  it('every incident pages unless flapping or a pause says why; closings follow openings; cooldown per incident', () => {
    fc.assert(
      fc.property(world, (scenario) => {
        const log = simulate(scenario);
        assertEveryIncidentPagedOrExplained(log);
        assertClosingsFollowOpenings(log);
        assertCooldownPerIncident(log, scenario.alertCooldownMs ?? 0);
      }),
      { numRuns: 600 },
    );
  });

  it('most nodes losing their uplink at once (target healthy): any incident it opened is retracted', () => {
    const lossWorld = fc
      .record({
        nodes: fc.integer({ min: 3, max: 6 }),
        start: fc.integer({ min: 2_000, max: 20_000 }),
        length: fc.integer({ min: 5_000, max: 40_000 }),
        detectAfterMs: fc.integer({ min: 0, max: 1_900 }),
        failureThreshold: fc.integer({ min: 1, max: 3 }),
        voteDelays: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 6 }),
      })
      .map((g): Scenario => ({
        regions: Array.from({ length: g.nodes }, () => 'us'),
        intervalMs: INTERVAL,
        timeoutMs: 500,
        failureThreshold: g.failureThreshold,
        recoveryThreshold: 2,
        policy: DEFAULT_CONSENSUS,
        outages: [],
        partitions: [],
        restarts: [],
        voteDelays: g.voteDelays,
        reliableAfter: 0,
        durationMs: g.start + g.length + TAIL,
        // Every node but the coordinator: the coordinator alone still sees the target.
        uplinkLosses: [
          {
            nodes: Array.from({ length: g.nodes - 1 }, (_, i) => i + 1),
            start: g.start,
            end: g.start + g.length,
            detectAfterMs: g.detectAfterMs,
          },
        ],
      }));
    fc.assert(
      fc.property(lossWorld, (scenario) => {
        const log = simulate(scenario);
        const retracted = new Set(of(log, 'incident-retracted').map((e) => e.effect.incidentId));
        for (const { effect } of of(log, 'incident-opened')) {
          assert.ok(retracted.has(effect.incident.id), `incident ${effect.incident.id} stood`);
        }
        assert.equal(log.finalFields.openIncident, null);
        const closings = alerts(log).filter((a) => a.effect.routes === 'paged');
        assert.ok(closings.every((a) => a.effect.kind === 'retracted'));
      }),
      { numRuns: 800 },
    );
  });
});
