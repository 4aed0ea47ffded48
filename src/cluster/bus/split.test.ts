import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mergeBatchBodies } from './coalesce.ts';
import type { BatchCommittedBody, BusMessage } from './messages.ts';
import { emptyBatchCommitted, parseBusPayload } from './messages.ts';
import { toPayloads } from './split.ts';

const stamp = (body: BatchCommittedBody): BusMessage => ({ ...body, v: 1, origin: 'coord-a' });
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Ids with multi-byte characters too: the limit is in bytes, not characters. */
const idArb = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
const bodyArb = fc.record({
  results: fc.array(
    fc.tuple(
      idArb,
      idArb,
      idArb,
      fc.constantFrom('up' as const, 'down' as const),
      fc.nat(),
      fc.nat(),
    ),
    { maxLength: 300 },
  ),
  states: fc.array(idArb, { maxLength: 300 }),
  incidentsOpened: fc.array(idArb, { maxLength: 20 }),
});

function body(parts: Partial<BatchCommittedBody>): BatchCommittedBody {
  return { ...emptyBatchCommitted(), ...parts };
}

void describe('toPayloads', () => {
  it('sends a message that fits as one payload', () => {
    const message = stamp(body({ states: ['m1'] }));
    assert.deepEqual(toPayloads(message), { payloads: [JSON.stringify(message)], dropped: 0 });
  });

  it('spreads 5,000 monitors over parts under the limit, every id once and in order', () => {
    const ids = Array.from({ length: 5_000 }, (_, n) => `monitor-${String(n).padStart(5, '0')}`);
    const { payloads, dropped } = toPayloads(stamp(body({ states: ids })));
    assert.equal(dropped, 0);
    assert.ok(payloads.length > 10, `${payloads.length} parts`);
    for (const payload of payloads) assert.ok(bytes(payload) < 8_000);
    const parts = payloads.map((payload) => parseBusPayload(payload));
    const received = parts.flatMap((part) => {
      assert.ok(part.ok);
      assert.equal(part.message.origin, 'coord-a');
      return part.message.type === 'batch-committed' ? part.message.states : [];
    });
    assert.deepEqual(received, ids);
  });

  it('keeps every part under any limit and every item that fits alone (property)', () => {
    fc.assert(
      fc.property(bodyArb, fc.integer({ min: 300, max: 8_000 }), (parts, limit) => {
        const message = stamp(body(parts));
        const { payloads, dropped } = toPayloads(message, limit);
        const decoded = payloads.map((payload) => JSON.parse(payload) as BatchCommittedBody);
        for (const payload of payloads) assert.ok(bytes(payload) <= limit);
        const kept = mergeBatchBodies(decoded);
        const total = parts.results.length + parts.states.length + parts.incidentsOpened.length;
        const keptCount = kept.results.length + kept.states.length + kept.incidentsOpened.length;
        assert.equal(keptCount + dropped, total);
        // Nothing reordered: what was kept is the original lists minus what could not fit.
        const fits = <T>(items: readonly T[]) =>
          items.filter((item) => {
            const alone = toPayloads(stamp(body({})), limit).payloads[0] ?? '';
            return bytes(alone) + bytes(JSON.stringify(item)) + 1 <= limit;
          });
        assert.deepEqual(kept.results, fits(parts.results));
        assert.deepEqual(kept.incidentsOpened, [...new Set(fits(parts.incidentsOpened))]);
      }),
      { numRuns: 60 },
    );
  });

  it('drops a message with nothing to spread rather than send what the server refuses', () => {
    const message: BusMessage = {
      type: 'node-transition',
      nodeId: 'n'.repeat(400),
      from: 'online',
      to: 'missing',
      at: 1,
      v: 1,
      origin: 'coord-a',
    };
    assert.deepEqual(toPayloads(message, 200), { payloads: [], dropped: 1 });
  });
});

void describe('mergeBatchBodies', () => {
  it('keeps every list in order and names a monitor or an opened incident once', () => {
    const merged = mergeBatchBodies([
      body({ results: [['r1', 'm1', 'n1', 'up', 3, 10]], states: ['m1', 'm2'] }),
      body({}),
      body({
        results: [['r2', 'm2', 'n1', 'down', 4, 11]],
        states: ['m2', 'm3'],
        incidentsOpened: ['i1'],
        incidentsResolved: [{ id: 'i0', resolvedAt: 11 }],
      }),
      body({ incidentsOpened: ['i1'], incidentsRetracted: [{ id: 'i1', retractedAt: 12 }] }),
    ]);
    assert.deepEqual(merged, {
      ...emptyBatchCommitted(),
      results: [
        ['r1', 'm1', 'n1', 'up', 3, 10],
        ['r2', 'm2', 'n1', 'down', 4, 11],
      ],
      states: ['m1', 'm2', 'm3'],
      incidentsOpened: ['i1'],
      incidentsResolved: [{ id: 'i0', resolvedAt: 11 }],
      incidentsRetracted: [{ id: 'i1', retractedAt: 12 }],
    });
  });

  it('loses no fact of any burst (property)', () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { maxLength: 30 }), (parts) => {
        const merged = mergeBatchBodies(parts.map((p) => body(p)));
        assert.deepEqual(
          merged.results,
          parts.flatMap((p) => p.results),
        );
        assert.deepEqual(new Set(merged.states), new Set(parts.flatMap((p) => p.states)));
        assert.equal(new Set(merged.states).size, merged.states.length);
      }),
      { numRuns: 60 },
    );
  });
});
