import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createRepeatGate } from './repeat-gate.ts';

test('the first occurrence logs, repeats within the interval are counted into the next line', () => {
  const gate = createRepeatGate(60_000);
  assert.deepEqual(gate.occur(0), { log: true, suppressed: 0 });
  for (let i = 1; i <= 17; i++) assert.deepEqual(gate.occur(i * 59), { log: false });
  assert.deepEqual(gate.occur(60_000), { log: true, suppressed: 17 });
  assert.deepEqual(gate.occur(60_001), { log: false });
  assert.deepEqual(gate.occur(200_000), { log: true, suppressed: 1 });
});

test('every occurrence is either logged or counted once, and lines are an interval apart', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 200 }), (gaps) => {
      const gate = createRepeatGate(1_000);
      let now = 0;
      let accounted = 0;
      let lastLine: number | undefined;
      for (const gap of gaps) {
        now += gap;
        const decision = gate.occur(now);
        if (!decision.log) continue;
        accounted += 1 + decision.suppressed;
        if (lastLine !== undefined) assert.ok(now - lastLine >= 1_000);
        lastLine = now;
      }
      // Whatever is still held back after the last line is counted by the next one.
      const held = gaps.length - accounted;
      assert.ok(held >= 0);
      const late = gate.occur(now + 1_000);
      assert.deepEqual(
        late,
        gaps.length === 0 ? { log: true, suppressed: 0 } : { log: true, suppressed: held },
      );
    }),
  );
});
