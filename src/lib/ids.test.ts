import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { newId, newResultId } from './ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('result ids are UUIDv7 carrying their millisecond, so they sort by time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (ms, later) => {
          const a = newResultId(ms);
          const b = newResultId(Math.min(ms + later, 2 ** 48 - 1));
          assert.match(a, UUID_V7);
          assert.equal(parseInt(a.replaceAll('-', '').slice(0, 12), 16), ms);
          assert.ok(a < b);
        },
      ),
    );
  });

  it('result ids from the same millisecond differ', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newResultId(1_800_000_000_000)));
    assert.equal(ids.size, 10_000);
  });

  it('prefixed ids keep their prefix', () => {
    assert.match(newId('mon'), /^mon_[0-9a-z]{12}$/);
  });
});
