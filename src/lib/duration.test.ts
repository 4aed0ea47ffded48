import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDuration, parseDuration, parseSince } from './duration.ts';

describe('parseDuration', () => {
  it('reads the units users type', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1.5s'), 1_500);
  });

  it('rejects malformed text', () => {
    for (const bad of ['', '30', 's', '5 m', '-5s', '1x', '1h 30m', 'abc']) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });

  it('round-trips what formatDuration prints for whole seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86_399 }), (seconds) => {
        const text = formatDuration(seconds * 1000);
        const back = parseDuration(text);
        assert.ok(back !== undefined, text);
        // formatDuration keeps the two largest units, so it may round down below them.
        assert.ok(
          back <= seconds * 1000 && back > seconds * 1000 - 3_600_000,
          `${text} -> ${back}`,
        );
      }),
    );
  });
});

describe('formatDuration', () => {
  it('prints compact durations', () => {
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(30_000), '30s');
    assert.equal(formatDuration(1_500), '1.5s');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(2 * 86_400_000 + 4 * 3_600_000), '2d4h');
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 10, 22, 12);
  it('accepts durations back from now, epoch ms and ISO dates', () => {
    assert.equal(parseSince('1h', now), now - 3_600_000);
    assert.equal(parseSince('1700000000000', now), 1_700_000_000_000);
    assert.equal(parseSince('2026-11-22T00:00:00Z', now), Date.UTC(2026, 10, 22));
    assert.equal(parseSince('yesterday-ish', now), undefined);
  });
});
