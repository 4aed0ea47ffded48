import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalBus } from './local-bus.ts';

void describe('local bus', () => {
  it('delivers a lone coordinator nothing, its own messages included', async () => {
    const bus = createLocalBus();
    const heard: unknown[] = [];
    bus.subscribe((message) => heard.push(message));
    await bus.start();
    bus.publish({ type: 'maintenance-changed' });
    await bus.stop();
    assert.deepEqual(heard, []);
    assert.equal(bus.stats().sent, 1);
  });
});
