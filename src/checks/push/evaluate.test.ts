import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evaluatePush, expectedAfter } from './evaluate.ts';
import type { PushSchedule } from './options.ts';
import type { PushState } from './state.ts';
import { applyPing, EMPTY_PUSH_STATE } from './state.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const LONG_AGO = Number.NEGATIVE_INFINITY;

const period = (periodMs: number, graceMs: number): PushSchedule => ({
  kind: 'period',
  periodMs,
  graceMs,
});
const pinged = (at: number): PushState =>
  applyPing(EMPTY_PUSH_STATE, { kind: 'success', message: null }, at);

describe('evaluatePush: simple schedule', () => {
  it('is up until period + grace after the last ping, then down', () => {
    const schedule = period(10 * MIN, 5 * MIN);
    const clock = (now: number) => ({ now, createdAt: T0 - HOUR, coordinatorStartedAt: LONG_AGO });
    const up = evaluatePush(pinged(T0), schedule, clock(T0 + 15 * MIN));
    assert.equal(up.status, 'up');
    assert.equal(up.nextDeadline, T0 + 15 * MIN);
    const down = evaluatePush(pinged(T0), schedule, clock(T0 + 15 * MIN + 1));
    assert.equal(down.status, 'down');
    assert.equal(down.cause, 'missed');
    assert.match(down.message, /no ping since the expected time/);
  });

  it('before any ping, counts from the monitor’s creation', () => {
    const schedule = period(HOUR, MIN);
    const clock = { now: T0 + HOUR + 2 * MIN, createdAt: T0, coordinatorStartedAt: LONG_AGO };
    const result = evaluatePush(EMPTY_PUSH_STATE, schedule, clock);
    assert.equal(result.status, 'down');
    assert.match(result.message, /no ping received yet/);
  });

  it('a fail ping is down at once with its message, a success ping after it is up', () => {
    const failed = applyPing(pinged(T0), { kind: 'fail', message: 'disk full' }, T0 + MIN);
    const clock = { now: T0 + MIN, createdAt: T0, coordinatorStartedAt: T0 + MIN };
    const down = evaluatePush(failed, period(HOUR, HOUR), clock);
    assert.equal(down.status, 'down');
    assert.equal(down.cause, 'fail');
    assert.match(down.message, /disk full/);
    const back = applyPing(failed, { kind: 'success', message: null }, T0 + 2 * MIN);
    assert.equal(evaluatePush(back, period(HOUR, HOUR), clock).status, 'up');
  });

  it('a start with no closing ping is down after grace; a closing ping records the run time', () => {
    const started = applyPing(pinged(T0), { kind: 'start', message: null }, T0 + HOUR);
    const schedule = period(2 * HOUR, 10 * MIN);
    const at = (now: number) => ({ now, createdAt: T0, coordinatorStartedAt: LONG_AGO });
    assert.equal(evaluatePush(started, schedule, at(T0 + HOUR + 10 * MIN)).status, 'up');
    const late = evaluatePush(started, schedule, at(T0 + HOUR + 10 * MIN + 1));
    assert.equal(late.status, 'down');
    assert.match(late.message, /sent no closing ping/);
    const done = applyPing(started, { kind: 'success', message: 'ok' }, T0 + HOUR + 4 * MIN);
    const judged = evaluatePush(done, schedule, at(T0 + HOUR + 5 * MIN));
    assert.equal(judged.status, 'up');
    assert.equal(judged.details['runMs'], 4 * MIN);
    assert.equal(judged.details['lastMessage'], 'ok');
  });
});

describe('evaluatePush: cron schedule', () => {
  it('expects the first cron time after the last ping, plus grace', () => {
    const schedule: PushSchedule = {
      kind: 'cron',
      cron: '0 3 * * *',
      timezone: 'UTC',
      graceMs: HOUR,
    };
    const lastPing = Date.UTC(2026, 0, 10, 3, 1);
    const clock = (now: number) => ({ now, createdAt: T0, coordinatorStartedAt: LONG_AGO });
    const expected = Date.UTC(2026, 0, 11, 3, 0);
    assert.equal(expectedAfter(schedule, lastPing), expected);
    assert.equal(evaluatePush(pinged(lastPing), schedule, clock(expected + HOUR)).status, 'up');
    assert.equal(
      evaluatePush(pinged(lastPing), schedule, clock(expected + HOUR + 1)).status,
      'down',
    );
  });

  it('reads the expression in its time zone across DST (Europe/Berlin, spring forward)', () => {
    // 2026-03-29 02:30 does not exist in Berlin: croner moves it to the first time after the gap.
    const schedule: PushSchedule = {
      kind: 'cron',
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      graceMs: 10 * MIN,
    };
    const before = Date.UTC(2026, 2, 28, 1, 31); // 02:31 CET on the 28th
    const next = expectedAfter(schedule, before);
    assert.ok(next !== null);
    // One calendar day later, at least 23 h after (the day is 23 h long), never two days.
    assert.ok(
      next - before >= 22 * HOUR && next - before <= 24 * HOUR,
      `${new Date(next).toISOString()}`,
    );
    // Summer time: 02:30 CEST on the 30th is 00:30 UTC.
    assert.equal(expectedAfter(schedule, next), Date.UTC(2026, 2, 30, 0, 30));
  });
});

const scheduleArb: fc.Arbitrary<PushSchedule> = fc.oneof(
  fc
    .record({
      periodMs: fc.integer({ min: 1_000, max: 7 * 24 * HOUR }),
      graceMs: fc.integer({ min: 1_000, max: 24 * HOUR }),
    })
    .map(({ periodMs, graceMs }) => period(periodMs, graceMs)),
  fc
    .record({
      cron: fc.constantFrom('*/5 * * * *', '0 3 * * *', '30 2 * * *', '0 0 * * 1', '15 1 1 * *'),
      timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'),
      graceMs: fc.integer({ min: 1_000, max: 24 * HOUR }),
    })
    .map(({ cron, timezone, graceMs }): PushSchedule => ({
      kind: 'cron',
      cron,
      timezone,
      graceMs,
    })),
);
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) });
const pingArb = fc.record({
  kind: fc.constantFrom('success' as const, 'start' as const),
  gap: fc.integer({ min: 0, max: 3 * 24 * HOUR }),
});

/** A history of success and start pings from `from`; returns the state and the last ping time. */
function replay(
  from: number,
  pings: { kind: 'success' | 'start'; gap: number }[],
): { state: PushState; last: number } {
  let state = EMPTY_PUSH_STATE;
  let at = from;
  for (const ping of pings) {
    at += ping.gap;
    state = applyPing(state, { kind: ping.kind, message: null }, at);
  }
  return { state, last: at };
}

describe('evaluatePush: properties', () => {
  it('never down before the last ping (or start) + grace, with no fail ping', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        instant,
        fc.array(pingArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 24 * HOUR }),
        (schedule, from, pings, wait) => {
          const { state, last } = replay(from, pings);
          const now = last + Math.min(wait, schedule.graceMs);
          const result = evaluatePush(state, schedule, {
            now,
            createdAt: from,
            coordinatorStartedAt: LONG_AGO,
          });
          assert.equal(result.status, 'up', result.message);
        },
      ),
    );
  });

  it('after a coordinator restart, never down before startedAt + grace (however stale the pings)', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        instant,
        fc.array(pingArb, { maxLength: 4 }),
        fc.integer({ min: 0, max: 365 * 24 * HOUR }),
        fc.integer({ min: 0, max: 24 * HOUR }),
        (schedule, from, pings, downtime, wait) => {
          const { state, last } = replay(from, pings);
          const startedAt = last + downtime;
          const now = startedAt + Math.min(wait, schedule.graceMs);
          const result = evaluatePush(state, schedule, {
            now,
            createdAt: from,
            coordinatorStartedAt: startedAt,
          });
          assert.equal(result.status, 'up', result.message);
        },
      ),
    );
  });

  it('a run started and never closed is down exactly once grace passes', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        instant,
        fc.integer({ min: 1, max: 24 * HOUR }),
        (schedule, start, extra) => {
          const state = applyPing(EMPTY_PUSH_STATE, { kind: 'start', message: null }, start);
          const clock = (now: number) => ({
            now,
            createdAt: start,
            coordinatorStartedAt: LONG_AGO,
          });
          assert.equal(evaluatePush(state, schedule, clock(start + schedule.graceMs)).status, 'up');
          assert.equal(
            evaluatePush(state, schedule, clock(start + schedule.graceMs + extra)).status,
            'down',
          );
        },
      ),
    );
  });

  it('an up verdict names its deadline, and the verdict turns down just past it', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        instant,
        fc.array(pingArb, { minLength: 1, maxLength: 4 }),
        (schedule, from, pings) => {
          const { state, last } = replay(from, pings);
          const clock = (now: number) => ({ now, createdAt: from, coordinatorStartedAt: LONG_AGO });
          const up = evaluatePush(state, schedule, clock(last));
          assert.equal(up.status, 'up');
          assert.ok(up.nextDeadline !== null && up.nextDeadline >= last + schedule.graceMs);
          assert.equal(evaluatePush(state, schedule, clock(up.nextDeadline)).status, 'up');
          assert.equal(evaluatePush(state, schedule, clock(up.nextDeadline + 1)).status, 'down');
        },
      ),
      { numRuns: 200 },
    );
  });
});
