import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RawWindowInput, StorageFigures } from './raw-window-budget.ts';
import { BUDGET_RESERVE_SHARE, RAW_WINDOW_FLOOR_MS, decideRawWindow } from './raw-window-budget.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MB = 1_000_000;

/** 1,000 monitors at 30 s: 33.3 results/s, 400 bytes each, 50 MB of everything else. */
const figures = (overrides: Partial<StorageFigures> = {}): StorageFigures => ({
  fileBytes: 0,
  usedBytes: 50 * MB + 400 * 1_000_000,
  rawBytes: 400 * 1_000_000,
  rawRows: 1_000_000,
  recentResults: 120_000,
  recentSpanMs: HOUR,
  ...overrides,
});

const inputs = fc.record({
  budgetBytes: fc.integer({ min: 1, max: 2 ** 45 }),
  configuredMs: fc.integer({ min: 60_000, max: 400 * DAY }),
  figures: fc
    .record({
      rawRows: fc.integer({ min: 0, max: 10 ** 9 }),
      bytesPerRow: fc.double({ min: 20, max: 5_000, noNaN: true }),
      nonRawBytes: fc.integer({ min: 0, max: 2 ** 44 }),
      recentResults: fc.integer({ min: 0, max: 10 ** 8 }),
      recentSpanMs: fc.integer({ min: 0, max: HOUR }),
    })
    .map((f): StorageFigures => ({
      fileBytes: 0,
      rawRows: f.rawRows,
      rawBytes: Math.round(f.rawRows * f.bytesPerRow),
      usedBytes: f.nonRawBytes + Math.round(f.rawRows * f.bytesPerRow),
      recentResults: f.recentResults,
      recentSpanMs: f.recentSpanMs,
    })),
}) satisfies fc.Arbitrary<RawWindowInput>;

/** Bytes the database holds at steady state with this window: all but raw, the reserve, raw. */
function projectedBytes(input: RawWindowInput, rawMs: number): number {
  const f = input.figures;
  const perResult = f.rawBytes / f.rawRows;
  const perMs = f.recentResults / f.recentSpanMs;
  return (
    f.usedBytes - f.rawBytes + input.budgetBytes * BUDGET_RESERVE_SHARE + rawMs * perMs * perResult
  );
}

describe('decideRawWindow', () => {
  it('keeps --retain-results when it fits, shrinks it when it does not', () => {
    const roomy = decideRawWindow({
      budgetBytes: 20_000 * MB,
      configuredMs: DAY,
      figures: figures(),
    });
    assert.equal(roomy.limitedBy, 'retention');
    assert.equal(roomy.rawMs, DAY);
    assert.equal(roomy.bytesPerResult, 400);
    assert.equal(roomy.resultsPerSecond, 33.333);

    // 1,000 MB: 100 MB reserve, 50 MB others, 850 MB for raw at 400 B × 33.3/s → 17.7 h.
    const tight = decideRawWindow({
      budgetBytes: 1_000 * MB,
      configuredMs: 7 * DAY,
      figures: figures(),
    });
    assert.equal(tight.limitedBy, 'budget');
    assert.equal(tight.rawMs, 1_062 * 60_000);
    assert.equal(tight.rawAllowanceBytes, 850 * MB);
  });

  it('stops at the floor and says so when even an hour does not fit', () => {
    const decision = decideRawWindow({
      budgetBytes: 60 * MB,
      configuredMs: 7 * DAY,
      figures: figures(),
    });
    assert.equal(decision.limitedBy, 'floor');
    assert.equal(decision.rawMs, RAW_WINDOW_FLOOR_MS);
  });

  it('keeps the configured window while nothing can be measured', () => {
    for (const f of [figures({ rawRows: 0, rawBytes: 0 }), figures({ recentResults: 0 })]) {
      const decision = decideRawWindow({ budgetBytes: MB, configuredMs: 7 * DAY, figures: f });
      assert.equal(decision.limitedBy, 'unmeasured');
      assert.equal(decision.rawMs, 7 * DAY);
      assert.equal(decision.bytesPerResult, null);
    }
  });

  it('never exceeds --retain-results nor goes below the floor (or the configured window if shorter)', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { rawMs } = decideRawWindow(input);
        assert.ok(rawMs <= input.configuredMs);
        assert.ok(rawMs >= Math.min(RAW_WINDOW_FLOOR_MS, input.configuredMs));
        assert.ok(Number.isInteger(rawMs));
      }),
    );
  });

  it('a window the budget chose keeps the projected database within the budget', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const decision = decideRawWindow(input);
        if (decision.limitedBy === 'unmeasured') return;
        const fits = projectedBytes(input, decision.rawMs) <= input.budgetBytes * (1 + 1e-9);
        if (decision.limitedBy === 'floor') {
          // The floor is kept only when even it overflows.
          assert.ok(!fits || decision.rawMs === input.configuredMs);
        } else {
          assert.ok(
            fits,
            `projected ${projectedBytes(input, decision.rawMs)} > ${input.budgetBytes}`,
          );
        }
      }),
    );
  });

  it('a budget-limited window is the largest whole minute that fits', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const decision = decideRawWindow(input);
        if (decision.limitedBy !== 'budget') return;
        assert.equal(decision.rawMs % 60_000, 0);
        assert.ok(projectedBytes(input, decision.rawMs + 60_000) > input.budgetBytes);
      }),
    );
  });

  it('a larger budget never gives a shorter window', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 2 ** 40 }), (input, more) => {
        const small = decideRawWindow(input);
        const large = decideRawWindow({ ...input, budgetBytes: input.budgetBytes + more });
        assert.ok(large.rawMs >= small.rawMs);
      }),
    );
  });

  it('a higher result rate never gives a longer window', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 10 ** 7 }), (input, more) => {
        if (input.figures.recentResults === 0) return;
        const slow = decideRawWindow(input);
        const fast = decideRawWindow({
          ...input,
          figures: { ...input.figures, recentResults: input.figures.recentResults + more },
        });
        assert.ok(fast.rawMs <= slow.rawMs);
      }),
    );
  });
});
