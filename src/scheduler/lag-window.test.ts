import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LagWindow } from './lag-window.ts';

describe('LagWindow', () => {
  it('reports zeros when empty', () => {
    assert.deepEqual(new LagWindow(8).summary(), { samples: 0, p50: 0, p99: 0, max: 0 });
  });

  it('reports nearest-rank percentiles and max', () => {
    const window = new LagWindow(100);
    for (let lag = 1; lag <= 100; lag++) window.record(lag);
    assert.deepEqual(window.summary(), { samples: 100, p50: 50, p99: 99, max: 100 });
  });

  it('keeps only the most recent samples', () => {
    const window = new LagWindow(4);
    for (const lag of [1000, 900, 1, 2, 3, 4]) window.record(lag);
    const summary = window.summary();
    assert.equal(summary.samples, 4);
    assert.equal(summary.max, 4);
    assert.equal(summary.p50, 2);
  });
});
