import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type {
  MaintenanceScope,
  MaintenanceSchedule,
  MaintenanceSubject,
  MaintenanceWindow,
} from '../domain/maintenance.ts';
import {
  activeWindow,
  covers,
  maintenanceIntervals,
  maintenanceLookup,
  MAX_OCCURRENCES,
  nextOccurrence,
  occurrences,
  recurrenceIssues,
  windowIntervals,
} from './windows.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

const EMPTY_SCOPE: MaintenanceScope = { monitors: [], groups: [], tags: [], nodes: [] };

function window(
  schedule: MaintenanceSchedule,
  scope: Partial<MaintenanceScope> = { monitors: ['m1'] },
  name = 'w',
): MaintenanceWindow {
  return {
    id: `mw-${name}`,
    name,
    scope: { ...EMPTY_SCOPE, ...scope },
    schedule,
    reason: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

function nightly(
  cron: string,
  timezone: string,
  durationMs: number,
  bounds = {},
): MaintenanceWindow {
  return window({
    kind: 'recurring',
    cron,
    durationMs,
    timezone,
    from: null,
    until: null,
    ...bounds,
  });
}

const m1: MaintenanceSubject = { kind: 'monitor', id: 'm1', group: 'shop', tags: ['db', 'eu'] };

describe('recurrenceIssues', () => {
  it('accepts 5- and 6-field expressions in an IANA zone', () => {
    assert.deepEqual(recurrenceIssues('30 2 * * *', 'Europe/Berlin'), []);
    assert.deepEqual(recurrenceIssues('0 30 2 * * 1-5', 'America/New_York'), []);
    assert.deepEqual(recurrenceIssues('0 22 * * SAT', 'UTC'), []);
  });

  it('names the field of each problem, both at once', () => {
    const issues = recurrenceIssues('61 * * * *', 'Mars/Olympus');
    assert.deepEqual(
      issues.map((i) => i.path),
      ['schedule.timezone', 'schedule.cron'],
    );
    assert.match(issues[0]?.message ?? '', /unknown time zone "Mars\/Olympus"/);
    assert.match(issues[1]?.message ?? '', /minute/);
  });

  it('rejects dates, wrong field counts and expressions that never match', () => {
    for (const cron of ['2026-01-01T00:00:00', '* * * *', '1 2 3 4 5 6 7', '@daily']) {
      const [issue] = recurrenceIssues(cron, 'UTC');
      assert.equal(issue?.path, 'schedule.cron', cron);
      assert.match(issue.message, /field/);
    }
    assert.match(recurrenceIssues('0 0 30 2 *', 'UTC')[0]?.message ?? '', /never matches/);
  });
});

describe('occurrences', () => {
  it('gives a one-off window when it overlaps the range, unclipped', () => {
    const w = window({ kind: 'once', startsAt: 1_000, endsAt: 5_000 });
    assert.deepEqual(occurrences(w, 4_000, 10_000), [{ start: 1_000, end: 5_000 }]);
    assert.deepEqual(occurrences(w, 5_000, 10_000), [], 'the end is exclusive');
    assert.deepEqual(occurrences(w, 0, 1_000), [], 'the range end is exclusive');
  });

  it('includes a nightly window that started before the range and crosses midnight', () => {
    const w = nightly('0 23 * * *', 'UTC', 2 * HOUR);
    const list = occurrences(w, at('2026-06-02T00:30:00Z'), at('2026-06-03T00:00:00Z'));
    assert.deepEqual(
      list.map((o) => [iso(o.start), iso(o.end)]),
      [
        ['2026-06-01T23:00:00.000Z', '2026-06-02T01:00:00.000Z'],
        ['2026-06-02T23:00:00.000Z', '2026-06-03T01:00:00.000Z'],
      ],
    );
  });

  it('reads the cron expression in the window time zone (America/New_York, EST and EDT)', () => {
    const w = nightly('0 1 * * *', 'America/New_York', HOUR);
    const list = occurrences(w, at('2026-03-07T00:00:00Z'), at('2026-03-10T00:00:00Z'));
    // 01:00 EST is 06:00 UTC; from 8 March (spring forward at 02:00) 01:00 EDT is 05:00 UTC.
    assert.deepEqual(
      list.map((o) => iso(o.start)),
      ['2026-03-07T06:00:00.000Z', '2026-03-08T06:00:00.000Z', '2026-03-09T05:00:00.000Z'],
    );
  });

  it('moves a start inside the spring-forward gap to the end of the gap (Europe/Berlin 02:30)', () => {
    const w = nightly('30 2 * * *', 'Europe/Berlin', HOUR);
    const list = occurrences(w, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'));
    assert.deepEqual(
      list.map((o) => iso(o.start)),
      [
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
      ],
    );
    assert.ok(
      list.every((o) => o.end - o.start === HOUR),
      'each lasts its duration',
    );
  });

  it('starts once on the autumn night when 02:30 happens twice (Europe/Berlin)', () => {
    const w = nightly('30 2 * * *', 'Europe/Berlin', HOUR);
    const list = occurrences(w, at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'));
    assert.deepEqual(
      list.map((o) => iso(o.start)),
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
      'the first 02:30 (CEST) only, then 02:30 CET',
    );
  });

  it('keeps the from/until bounds: from inclusive, until exclusive, on starts', () => {
    const w = nightly('0 0 * * *', 'UTC', HOUR, {
      from: at('2026-01-02T00:00:00Z'),
      until: at('2026-01-04T00:00:00Z'),
    });
    const list = occurrences(w, at('2026-01-01T00:00:00Z'), at('2026-01-10T00:00:00Z'));
    assert.deepEqual(
      list.map((o) => iso(o.start)),
      ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
    );
  });

  it('is bounded for an expression that fires every minute', () => {
    const w = nightly('* * * * *', 'UTC', MINUTE);
    assert.equal(occurrences(w, 0, 30 * DAY).length, MAX_OCCURRENCES);
  });
});

describe('nextOccurrence', () => {
  const w = nightly('0 22 * * *', 'Europe/Berlin', 2 * HOUR);

  it('is the occurrence in progress, else the next one', () => {
    const during = nextOccurrence(w, at('2026-06-01T21:00:00Z'));
    assert.equal(during && iso(during.start), '2026-06-01T20:00:00.000Z');
    const before = nextOccurrence(w, at('2026-06-01T12:00:00Z'));
    assert.equal(before && iso(before.start), '2026-06-01T20:00:00.000Z');
    const after = nextOccurrence(w, at('2026-06-01T22:00:00Z'));
    assert.equal(after && iso(after.start), '2026-06-02T20:00:00.000Z');
  });

  it('is null once a one-off window or a bounded schedule is over', () => {
    assert.equal(nextOccurrence(window({ kind: 'once', startsAt: 0, endsAt: 10 }), 10), null);
    const bounded = nightly('0 0 * * *', 'UTC', HOUR, { until: at('2026-01-02T00:00:00Z') });
    assert.equal(nextOccurrence(bounded, at('2026-01-01T02:00:00Z')), null);
  });
});

describe('covers and activeWindow', () => {
  it('matches a monitor by id, group or any tag, and a node by name only', () => {
    assert.ok(covers({ ...EMPTY_SCOPE, monitors: ['m1'] }, m1));
    assert.ok(covers({ ...EMPTY_SCOPE, groups: ['shop'] }, m1));
    assert.ok(covers({ ...EMPTY_SCOPE, tags: ['eu'] }, m1));
    assert.ok(!covers({ ...EMPTY_SCOPE, tags: ['us'], nodes: ['m1'] }, m1));
    assert.ok(covers({ ...EMPTY_SCOPE, nodes: ['eu-1'] }, { kind: 'node', name: 'eu-1' }));
    assert.ok(!covers({ ...EMPTY_SCOPE, monitors: ['eu-1'] }, { kind: 'node', name: 'eu-1' }));
    const ungrouped: MaintenanceSubject = { kind: 'monitor', id: 'm2', group: null, tags: [] };
    assert.ok(!covers({ ...EMPTY_SCOPE, groups: ['shop'] }, ungrouped));
  });

  it('finds the covering window at a moment, the latest-ending one when several do', () => {
    const short = window({ kind: 'once', startsAt: 0, endsAt: 100 }, { tags: ['db'] }, 'short');
    const long = window({ kind: 'once', startsAt: 50, endsAt: 500 }, { groups: ['shop'] }, 'long');
    const other = window({ kind: 'once', startsAt: 0, endsAt: 900 }, { monitors: ['m9'] }, 'x');
    assert.equal(activeWindow([short, long, other], m1, 10)?.window.name, 'short');
    assert.equal(activeWindow([short, long, other], m1, 60)?.window.name, 'long');
    assert.deepEqual(activeWindow([short, long, other], m1, 60)?.occurrence, {
      start: 50,
      end: 500,
    });
    assert.equal(activeWindow([short, long, other], m1, 500), null, 'the end is exclusive');
  });

  it('covers a nightly window across midnight on both sides', () => {
    const w = nightly('0 23 * * *', 'UTC', 2 * HOUR);
    assert.ok(activeWindow([w], m1, at('2026-06-01T23:30:00Z')));
    assert.ok(activeWindow([w], m1, at('2026-06-02T00:59:59Z')));
    assert.equal(activeWindow([w], m1, at('2026-06-02T01:00:00Z')), null);
  });
});

describe('maintenanceIntervals (property-based)', () => {
  const schedule: fc.Arbitrary<MaintenanceSchedule> = fc.oneof(
    fc
      .tuple(fc.integer({ min: -2 * DAY, max: 6 * DAY }), fc.integer({ min: 1, max: 2 * DAY }))
      .map(([startsAt, length]) => ({
        kind: 'once' as const,
        startsAt: Math.max(0, startsAt),
        endsAt: Math.max(0, startsAt) + length,
      })),
    fc
      .record({
        minute: fc.integer({ min: 0, max: 59 }),
        hour: fc.integer({ min: 0, max: 23 }),
        every: fc.constantFrom('*', '*/2', '1-5'),
        durationMs: fc.integer({ min: 1, max: 36 }).map((n) => n * HOUR),
        timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
        from: fc.option(fc.integer({ min: 0, max: 4 * DAY }), { nil: null }),
        until: fc.option(fc.integer({ min: 0, max: 8 * DAY }), { nil: null }),
      })
      .map((r) => ({
        kind: 'recurring' as const,
        cron: `${r.minute} ${r.hour} ${r.every} * *`,
        durationMs: r.durationMs,
        timezone: r.timezone,
        from: r.from,
        until: r.until,
      })),
  );
  const scope = fc.record({
    monitors: fc.subarray(['m1', 'm2']),
    groups: fc.subarray(['shop', 'api']),
    tags: fc.subarray(['db', 'web']),
    nodes: fc.subarray(['eu-1']),
  });
  const windows = fc
    .array(fc.tuple(schedule, scope), { maxLength: 4 })
    .map((list) => list.map(([s, sc], i) => window(s, sc, `w${i}`)));
  // Around the 2026 DST changes in Europe and the US, so edges fall inside generated ranges.
  const base = at('2026-03-06T00:00:00Z');
  const range = fc
    .tuple(fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 6 * DAY }))
    .map(([offset, length]) => ({ from: base + offset, to: base + offset + length }));

  it('are sorted, disjoint, non-empty and inside [from, to)', () => {
    fc.assert(
      fc.property(windows, range, (ws, { from, to }) => {
        const list = maintenanceIntervals(
          ws.map((w) => shift(w, base)),
          m1,
          from,
          to,
        );
        for (const [i, span] of list.entries()) {
          assert.ok(span.from >= from && span.to <= to && span.to > span.from);
          const previous = list[i - 1];
          if (previous !== undefined) assert.ok(previous.to < span.from, 'merged and sorted');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('maintenanceLookup gives every subject what maintenanceIntervals gives it', () => {
    const subjects: MaintenanceSubject[] = [
      m1,
      { kind: 'monitor', id: 'm2', group: 'api', tags: ['web'] },
      { kind: 'monitor', id: 'm3', group: null, tags: [] },
    ];
    fc.assert(
      fc.property(windows, range, (ws, { from, to }) => {
        const shifted = ws.map((w) => shift(w, base));
        const lookup = maintenanceLookup(shifted, from, to);
        for (const subject of subjects)
          assert.deepEqual(lookup(subject), maintenanceIntervals(shifted, subject, from, to));
      }),
      { numRuns: 150 },
    );
  });

  it('covers exactly the moments activeWindow says are in maintenance', () => {
    fc.assert(
      fc.property(
        windows,
        range,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (ws, { from, to }, points) => {
          const shifted = ws.map((w) => shift(w, base));
          const list = maintenanceIntervals(shifted, m1, from, to);
          for (const p of points) {
            const t = Math.floor(from + p * (to - from));
            if (t >= to) continue;
            const inside = list.some((s) => s.from <= t && t < s.to);
            assert.equal(inside, activeWindow(shifted, m1, t) !== null, `at ${iso(t)}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leave out windows whose scope does not name the subject', () => {
    fc.assert(
      fc.property(windows, range, (ws, { from, to }) => {
        const shifted = ws.map((w) => shift(w, base));
        const mine = shifted.filter((w) => covers(w.scope, m1));
        assert.deepEqual(
          maintenanceIntervals(shifted, m1, from, to),
          windowIntervals(mine, from, to),
        );
      }),
      { numRuns: 60 },
    );
  });
});

/** Moves generated times (relative to 0) to `base` so they fall near the DST changes. */
function shift(w: MaintenanceWindow, base: number): MaintenanceWindow {
  const s = w.schedule;
  if (s.kind === 'once')
    return { ...w, schedule: { ...s, startsAt: s.startsAt + base, endsAt: s.endsAt + base } };
  return {
    ...w,
    schedule: {
      ...s,
      from: s.from === null ? null : s.from + base,
      until: s.until === null ? null : s.until + base,
    },
  };
}
