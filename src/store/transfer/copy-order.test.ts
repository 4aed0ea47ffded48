import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../../lib/errors.ts';
import { copyOrder } from './copy-order.ts';

/** Random acyclic schemas: table i may only reference tables with a smaller index. */
const acyclic = fc
  .integer({ min: 1, max: 12 })
  .chain((count) =>
    fc.tuple(
      ...Array.from({ length: count }, (_, i) =>
        fc.subarray(Array.from({ length: i }, (_, j) => `t${j}`)),
      ),
    ),
  )
  .chain((parents) =>
    fc.shuffledSubarray(
      parents.map((p, i) => ({ name: `t${i}`, parents: p })),
      { minLength: parents.length, maxLength: parents.length },
    ),
  );

describe('copyOrder', () => {
  it('puts every table after the tables it references, and keeps every table once', () => {
    fc.assert(
      fc.property(acyclic, (tables) => {
        const order = copyOrder(tables).map((t) => t.name);
        assert.deepEqual([...order].sort(), tables.map((t) => t.name).sort());
        for (const table of tables) {
          for (const parent of table.parents) {
            assert.ok(
              order.indexOf(parent) < order.indexOf(table.name),
              `${parent} before ${table.name}`,
            );
          }
        }
      }),
    );
  });

  it('gives the same order whatever order the tables come in', () => {
    fc.assert(
      fc.property(acyclic, (tables) => {
        const reversed = [...tables].reverse();
        assert.deepEqual(
          copyOrder(reversed).map((t) => t.name),
          copyOrder(tables).map((t) => t.name),
        );
      }),
    );
  });

  it('refuses a reference cycle and a reference to a missing table, naming them', () => {
    const cycle = [
      { name: 'a', parents: ['b'] },
      { name: 'b', parents: ['a'] },
      { name: 'c', parents: [] },
    ];
    assert.throws(
      () => copyOrder(cycle),
      (error) =>
        isAppError(error) && error.code === 'INTERNAL' && /cycle among a, b/.test(error.message),
    );
    assert.throws(
      () => copyOrder([{ name: 'a', parents: ['gone'] }]),
      (error) => isAppError(error) && /references gone/.test(error.message),
    );
  });
});
