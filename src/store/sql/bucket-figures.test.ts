import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawPoint } from './bucket-figures.ts';
import { bucketStartOf, mergeFigures, nearestRank, summarize } from './bucket-figures.ts';

const point = (latencyMs: number, status = 'up'): RawPoint => ({
  seq: 0,
  checkedAt: 0,
  status,
  latencyMs,
});

describe('nearestRank', () => {
  it('is null for no values', () => {
    assert.equal(nearestRank([], 50), null);
  });

  it('picks the value at ceil(p/100 * n), 1-based', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    assert.equal(nearestRank(values, 50), 50);
    assert.equal(nearestRank(values, 95), 100);
    assert.equal(nearestRank(values, 90), 90);
    assert.equal(nearestRank(values, 0), 10);
    assert.equal(nearestRank(values, 100), 100);
  });

  it('returns the only value of a single-element list for every percentile', () => {
    assert.equal(nearestRank([7], 1), 7);
    assert.equal(nearestRank([7], 99), 7);
  });
});

describe('summarize', () => {
  it('counts statuses and sorts latencies before taking percentiles', () => {
    const figures = summarize([point(300, 'down'), point(100), point(200, 'degraded'), point(50)]);
    assert.deepEqual(figures, {
      count: 4,
      failures: 1,
      degraded: 1,
      latencyP50: 100,
      latencyP95: 300,
      latencyMax: 300,
    });
  });

  it('gives null latencies for an empty bucket', () => {
    assert.deepEqual(summarize([]), {
      count: 0,
      failures: 0,
      degraded: 0,
      latencyP50: null,
      latencyP95: null,
      latencyMax: null,
    });
  });
});

describe('mergeFigures', () => {
  it('adds counts, keeps existing percentiles and takes the larger max', () => {
    const merged = mergeFigures(summarize([point(10), point(20)]), summarize([point(500, 'down')]));
    assert.deepEqual(merged, {
      count: 3,
      failures: 1,
      degraded: 0,
      latencyP50: 10,
      latencyP95: 20,
      latencyMax: 500,
    });
  });

  it('takes the added percentiles when the bucket was empty', () => {
    const merged = mergeFigures(summarize([]), summarize([point(42)]));
    assert.equal(merged.latencyP50, 42);
    assert.equal(merged.latencyMax, 42);
  });
});

describe('bucketStartOf', () => {
  it('floors to the bucket size', () => {
    assert.equal(bucketStartOf(3_600_000 + 59_999, 60_000), 3_600_000);
    assert.equal(bucketStartOf(3_600_000 + 60_000, 60_000), 3_660_000);
    assert.equal(bucketStartOf(7_199_999, 3_600_000), 3_600_000);
  });
});
