import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeMonitor } from '../store/contract/fixtures.ts';
import type { MonitorChange } from './events.ts';
import { createMonitorChangeBus } from './events.ts';

const upserted = (id: string): MonitorChange => ({ type: 'upserted', monitor: makeMonitor(id) });
const idOf = (c: MonitorChange) => (c.type === 'removed' ? `-${c.id}` : c.monitor.id);
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('createMonitorChangeBus', () => {
  it('delivers a single change and a small burst at once', () => {
    const bus = createMonitorChangeBus();
    const seen: string[] = [];
    bus.subscribe((c) => seen.push(idOf(c)));
    bus.publish(upserted('a'));
    bus.publishAll([upserted('b'), { type: 'removed', id: 'a' }]);
    assert.deepEqual(seen, ['a', 'b', '-a']);
  });

  it('delivers a large burst over several turns, in order, with later changes behind it', async () => {
    const bus = createMonitorChangeBus();
    const seen: string[] = [];
    bus.subscribe((c) => seen.push(idOf(c)));
    const burst = Array.from({ length: 2_000 }, (_, i) => upserted(`m${i}`));
    bus.publishAll(burst);
    const atOnce = seen.length;
    assert.ok(atOnce > 0 && atOnce < burst.length, `${atOnce} delivered before the first turn`);
    // Published while the burst drains: it must not overtake the burst's own (older) changes.
    bus.publish({ type: 'removed', id: 'm1999' });
    bus.publishAll([upserted('late')]);
    for (let i = 0; i < 20 && seen.length < burst.length + 2; i++) await turn();
    assert.deepEqual(seen, [...burst.map(idOf), '-m1999', 'late']);
    bus.publish(upserted('after'));
    assert.equal(seen.at(-1), 'after', 'delivered at once again once drained');
  });
});
