import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decideLease, isActing, isTakeable } from './lease-decision.ts';
import type { LeaseRowView, LeaseTimings } from './lease-decision.ts';

// The safety property of the lease rule over random schedules: coordinators with clocks off true
// time, ticking at random, pausing, losing their connections, renewals and acquisitions that
// commit late, planned releases. The database is modelled as postgres-lease.ts uses it: a row
// (holder, epoch, expiry, holder session), an advisory lock owned by a session, sessions that can
// be terminated. Claim: at no instant do two coordinators both believe they hold the lease.
//
// Checking at event instants suffices: a belief only starts when an acquisition or renewal
// completes (an event), so two overlapping beliefs overlap at the later one's start.

type Action = 'tick' | 'pause' | 'kill' | 'release';

interface Step {
  who: number;
  /** True time passing before the step. */
  gapMs: number;
  action: Action;
  /** How long the step's write is in flight before it commits (a paused or slow request). */
  inFlightMs: number;
  pauseMs: number;
}

interface Coordinator {
  id: string;
  /** Its clock reads true time + offset. */
  offset: number;
  session: number;
  heldEpoch: number | null;
  lastRenewalAt: number | null;
  pausedUntil: number;
  busy: boolean;
}

interface Db {
  row: LeaseRowView & { session: number | null };
  lockOwner: number | null;
  live: Set<number>;
  nextSession: number;
}

interface Pending {
  at: number;
  order: number;
  run: (at: number) => void;
}

/** Runs one schedule; returns the first instant two coordinators both believed, or null. */
function simulate(timings: LeaseTimings, offsets: readonly number[], steps: readonly Step[]) {
  const db: Db = {
    row: { holder: null, epoch: 0, expiresAt: 0, session: null },
    lockOwner: null,
    live: new Set(),
    nextSession: 1,
  };
  const connect = (): number => {
    const session = db.nextSession++;
    db.live.add(session);
    return session;
  };
  const terminate = (session: number | null): void => {
    if (session === null) return;
    db.live.delete(session);
    if (db.lockOwner === session) db.lockOwner = null;
  };
  const nodes: Coordinator[] = offsets.map((offset, i) => ({
    id: `c${i}`,
    offset,
    session: connect(),
    heldEpoch: null,
    lastRenewalAt: null,
    pausedUntil: 0,
    busy: false,
  }));
  const pending: Pending[] = [];
  let order = 0;
  let violation: string | null = null;

  const clear = (node: Coordinator): void => {
    node.heldEpoch = null;
    node.lastRenewalAt = null;
  };
  const believers = (at: number) =>
    nodes.filter((n) => n.heldEpoch !== null && isActing(n.lastRenewalAt, at + n.offset, timings));
  const check = (at: number): void => {
    const both = believers(at);
    if (both.length > 1 && violation === null)
      violation = `t=${at}: ${both.map((n) => `${n.id}@${n.heldEpoch}`).join(' and ')} both act`;
  };
  const later = (at: number, run: (at: number) => void): void => {
    pending.push({ at, order: order++, run });
  };

  const renew = (node: Coordinator, now: number, inFlightMs: number): void => {
    const sampled = now + node.offset;
    node.busy = true;
    later(now + inFlightMs, (at) => {
      node.busy = false;
      const { row } = db;
      const mine =
        db.live.has(node.session) &&
        row.holder === node.id &&
        row.epoch === node.heldEpoch &&
        row.session === node.session;
      // 0 rows updated or a dead connection: the holder learns it lost the lease.
      if (!mine) return clear(node);
      row.expiresAt = sampled + timings.ttlMs;
      node.lastRenewalAt = sampled;
      check(at);
    });
  };

  const acquire = (node: Coordinator, now: number, inFlightMs: number): void => {
    const owner = db.lockOwner;
    if (owner !== null && owner !== node.session) {
      // The lock holder's lease has expired by our clock: terminate it (postgres-lease.ts).
      if (!isTakeable(db.row, now + node.offset)) return;
      terminate(owner);
    }
    db.lockOwner = node.session;
    node.busy = true;
    later(now + inFlightMs, (at) => {
      node.busy = false;
      if (!db.live.has(node.session)) return;
      const local = at + node.offset;
      if (!isTakeable(db.row, local)) {
        db.lockOwner = null;
        return;
      }
      if (db.row.session !== node.session) terminate(db.row.session);
      db.row = {
        holder: node.id,
        epoch: db.row.epoch + 1,
        expiresAt: local + timings.ttlMs,
        session: node.session,
      };
      node.heldEpoch = db.row.epoch;
      node.lastRenewalAt = local;
      check(at);
    });
  };

  const tick = (node: Coordinator, now: number, inFlightMs: number): void => {
    if (!db.live.has(node.session)) {
      // The connection's end reaches the process: it steps down (if holding) and reconnects.
      clear(node);
      node.session = connect();
    }
    const decision = decideLease({
      self: node.id,
      row: db.row,
      holdsLock: db.lockOwner === node.session,
      heldEpoch: node.heldEpoch,
      lastRenewalAt: node.lastRenewalAt,
      now: now + node.offset,
      timings,
    });
    if (decision.kind === 'renew') renew(node, now, inFlightMs);
    else if (decision.kind === 'acquire') acquire(node, now, inFlightMs);
    else if (decision.kind === 'step-down') {
      clear(node);
      terminate(node.session);
    }
  };

  const release = (node: Coordinator): void => {
    if (node.heldEpoch === null) return;
    const epoch = node.heldEpoch;
    clear(node);
    if (db.row.holder === node.id && db.row.epoch === epoch)
      db.row = { holder: null, epoch, expiresAt: 0, session: null };
    if (db.lockOwner === node.session) db.lockOwner = null;
  };

  /** Completes, in time order, every write in flight that commits by `now`. */
  const settle = (now: number): void => {
    pending.sort((a, b) => a.at - b.at || a.order - b.order);
    for (let next = pending[0]; next !== undefined && next.at <= now; next = pending[0]) {
      pending.shift();
      next.run(next.at);
    }
  };

  let now = 0;
  for (const step of steps) {
    now += step.gapMs;
    settle(now);
    const node = nodes[step.who % nodes.length];
    if (node === undefined) continue;
    if (step.action === 'kill') terminate(node.session);
    else if (now < node.pausedUntil || node.busy) continue;
    else if (step.action === 'pause') node.pausedUntil = now + step.pauseMs;
    else if (step.action === 'release') release(node);
    else tick(node, now, step.inFlightMs);
    check(now);
    settle(now);
  }
  return violation;
}

const timingsArb = fc
  .record({
    ttlMs: fc.integer({ min: 200, max: 5_000 }),
    marginShare: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  })
  .chain(({ ttlMs, marginShare }) => {
    const marginMs = Math.max(2, Math.floor(ttlMs * marginShare));
    return fc
      .integer({ min: 1, max: Math.max(1, Math.floor((ttlMs - marginMs) / 2)) })
      .map((renewEveryMs): LeaseTimings => ({ ttlMs, renewEveryMs, marginMs }));
  });

function stepsArb(timings: LeaseTimings): fc.Arbitrary<Step[]> {
  const step = fc.record({
    who: fc.nat(2),
    gapMs: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: timings.renewEveryMs }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * timings.ttlMs }) },
    ),
    action: fc.constantFrom<Action>(
      'tick',
      'tick',
      'tick',
      'tick',
      'tick',
      'pause',
      'kill',
      'release',
    ),
    inFlightMs: fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: timings.renewEveryMs }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * timings.ttlMs }) },
    ),
    pauseMs: fc.integer({ min: 0, max: 3 * timings.ttlMs }),
  });
  return fc.array(step, { minLength: 1, maxLength: 120 });
}

/** Clock offsets for 2–3 coordinators, each within `bound` of true time. */
const offsetsArb = (bound: number) =>
  fc.array(fc.integer({ min: -bound, max: bound }), { minLength: 2, maxLength: 3 });

describe('lease safety (simulated schedules)', () => {
  it('property: no two coordinators ever act at once while clocks stay within margin / 2', () => {
    fc.assert(
      fc.property(
        timingsArb.chain((timings) =>
          fc.tuple(
            fc.constant(timings),
            // Strictly less than margin apart: |offset| ≤ (margin − 1) / 2.
            offsetsArb(Math.floor((timings.marginMs - 1) / 2)),
            stepsArb(timings),
          ),
        ),
        ([timings, offsets, steps]) => {
          assert.equal(simulate(timings, offsets, steps), null);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('the property has teeth: with clocks up to a whole margin off, it finds an overlap', () => {
    const outcome = fc.check(
      fc.property(
        timingsArb.chain((timings) =>
          fc.tuple(fc.constant(timings), offsetsArb(timings.marginMs), stepsArb(timings)),
        ),
        ([timings, offsets, steps]) => simulate(timings, offsets, steps) === null,
      ),
      { numRuns: 2_000, seed: 17 },
    );
    assert.equal(outcome.failed, true, 'no overlap found with clocks beyond the bound');
  });

  it('the model has teeth: clocks further apart than the margin do produce an overlap', () => {
    const timings: LeaseTimings = { ttlMs: 1_000, renewEveryMs: 100, marginMs: 50 };
    // c0 runs 200 ms slow, c1 200 ms fast: c1 sees c0's lease expire 400 ms early.
    const steps: Step[] = [
      { who: 0, gapMs: 0, action: 'tick', inFlightMs: 0, pauseMs: 0 },
      { who: 0, gapMs: 1, action: 'pause', inFlightMs: 0, pauseMs: 5_000 },
      { who: 1, gapMs: 650, action: 'tick', inFlightMs: 0, pauseMs: 0 },
    ];
    assert.match(simulate(timings, [-200, 200], steps) ?? '', /c0@1 and c1@2 both act/);
    assert.equal(simulate(timings, [-20, 20], steps), null);
  });
});
