import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_EVENTS, sampleOutgoing } from '../testing/sample-alerts.ts';
import { affectedSystem, keyWithin, startedAt, subjectName } from './incident-fields.ts';

describe('incident fields', () => {
  it('keeps a key within the limit unchanged', () => {
    assert.equal(keyWithin('crosscheck-mon-inc', 100), 'crosscheck-mon-inc');
  });

  it('hashes a longer key stably, within the limit, distinct per key', () => {
    const long = `crosscheck-${'m'.repeat(200)}`;
    const hashed = keyWithin(long, 100);
    assert.ok(hashed.length <= 100);
    assert.equal(keyWithin(long, 100), hashed);
    assert.notEqual(keyWithin(`${long}x`, 100), hashed);
  });

  it('names the monitor and its target, or the node', () => {
    const down = sampleOutgoing(SAMPLE_EVENTS.down);
    assert.equal(subjectName(down), 'Checkout API');
    assert.equal(affectedSystem(down), 'https://shop.test/health');
    assert.equal(startedAt(down), '2026-12-04T03:00:00.000Z');
    const node = sampleOutgoing(SAMPLE_EVENTS.nodeMissing);
    assert.equal(subjectName(node), 'fra-1');
    assert.equal(affectedSystem(node), 'fra-1');
  });
});
