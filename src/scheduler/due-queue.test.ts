import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DueQueue } from './due-queue.ts';

type Operation =
  | { kind: 'set'; id: string; due: number }
  | { kind: 'delete'; id: string }
  | { kind: 'pop' }
  | { kind: 'peek' };

const idArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id: idArb, due: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('delete' as const), id: idArb }),
  fc.record({ kind: fc.constant('pop' as const) }),
  fc.record({ kind: fc.constant('peek' as const) }),
);

/** The reference: an array kept sorted by (due, time of last set). */
class SortedModel {
  private entries: Array<{ id: string; due: number; seq: number }> = [];
  private seq = 0;

  set(id: string, due: number): void {
    this.delete(id);
    this.entries.push({ id, due, seq: this.seq++ });
    this.entries.sort((a, b) => a.due - b.due || a.seq - b.seq);
  }
  delete(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.id !== id);
    return this.entries.length !== before;
  }
  pop(): string | undefined {
    return this.entries.shift()?.id;
  }
  head(): { id: string | undefined; due: number } {
    const first = this.entries[0];
    return { id: first?.id, due: first?.due ?? Number.POSITIVE_INFINITY };
  }
  get size(): number {
    return this.entries.length;
  }
}

describe('DueQueue', () => {
  it('pops ids in due order, FIFO among equal due times', () => {
    const queue = new DueQueue();
    queue.set('late', 30);
    queue.set('first-at-10', 10);
    queue.set('second-at-10', 10);
    queue.set('early', 5);
    assert.deepEqual(
      [queue.pop(), queue.pop(), queue.pop(), queue.pop(), queue.pop()],
      ['early', 'first-at-10', 'second-at-10', 'late', undefined],
    );
  });

  it('updates and removes by id', () => {
    const queue = new DueQueue();
    queue.set('a', 10);
    queue.set('b', 20);
    queue.set('c', 30);
    queue.set('c', 1);
    assert.equal(queue.peekId(), 'c');
    assert.equal(queue.dueOf('c'), 1);
    assert.equal(queue.delete('c'), true);
    assert.equal(queue.delete('c'), false);
    assert.equal(queue.has('c'), false);
    assert.equal(queue.peekId(), 'a');
    assert.equal(queue.size, 2);
    queue.clear();
    assert.equal(queue.size, 0);
    assert.equal(queue.peekDue(), Number.POSITIVE_INFINITY);
    assert.equal(queue.peekId(), undefined);
  });

  it('behaves like a sorted array under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(operationArb, { maxLength: 200 }), (operations) => {
        const queue = new DueQueue();
        const model = new SortedModel();
        for (const operation of operations) {
          if (operation.kind === 'set') {
            queue.set(operation.id, operation.due);
            model.set(operation.id, operation.due);
          } else if (operation.kind === 'delete') {
            assert.equal(queue.delete(operation.id), model.delete(operation.id));
          } else if (operation.kind === 'pop') {
            assert.equal(queue.pop(), model.pop());
          } else {
            const head = model.head();
            assert.equal(queue.peekId(), head.id);
            assert.equal(queue.peekDue(), head.due);
          }
          assert.equal(queue.size, model.size);
        }
        const drained: Array<string | undefined> = [];
        while (queue.size > 0) drained.push(queue.pop());
        const expected: Array<string | undefined> = [];
        while (model.size > 0) expected.push(model.pop());
        assert.deepEqual(drained, expected);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps 100,000 entries ordered through updates and removals', () => {
    const queue = new DueQueue();
    const count = 100_000;
    // A deterministic scramble (multiplicative hashing) instead of Math.random, so failures reproduce.
    const dueOf = (i: number): number => (i * 2_654_435_761) % 1_000_003;
    for (let i = 0; i < count; i++) queue.set(`job-${i}`, dueOf(i));
    for (let i = 0; i < count; i += 2) queue.set(`job-${i}`, dueOf(i) + 500_000);
    for (let i = 0; i < count; i += 3) queue.delete(`job-${i}`);
    let previous = Number.NEGATIVE_INFINITY;
    let popped = 0;
    while (queue.size > 0) {
      const due = queue.peekDue();
      assert.ok(due >= previous);
      previous = due;
      queue.pop();
      popped++;
    }
    assert.equal(popped, count - Math.ceil(count / 3));
  });
});

describe('DueQueue.peekDue', () => {
  it('is Infinity when empty and the minimum otherwise', () => {
    const queue = new DueQueue();
    assert.equal(queue.peekDue(), Number.POSITIVE_INFINITY);
    queue.set('x', 7);
    queue.set('y', 3);
    assert.equal(queue.peekDue(), 3);
  });
});
