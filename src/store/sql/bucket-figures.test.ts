import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawPoint } from './bucket-figures.ts';
import {
  bucketStartOf,
  combineFigures,
  mergeFigures,
  nearestRank,
  summarize,
} from './bucket-figures.ts';

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

  it('leaves node errors out of every figure: neither failures nor observations', () => {
    const withErrors = summarize([
      point(300, 'down'),
      point(5_000, 'error'),
      point(100),
      point(1, 'error'),
    ]);
    assert.deepEqual(withErrors, summarize([point(300, 'down'), point(100)]));
    assert.equal(summarize([point(9, 'error')]).count, 0);
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

describe('combineFigures', () => {
  it('sums counts exactly and takes the largest max', () => {
    const day = combineFigures([
      summarize([point(10), point(30, 'down'), point(20, 'degraded')]),
      summarize([]),
      summarize([point(500, 'down'), point(5)]),
    ]);
    assert.deepEqual([day.count, day.failures, day.degraded, day.latencyMax], [5, 2, 1, 500]);
  });

  it('equals exact nearest-rank percentiles when every part holds one result', () => {
    const latencies = [70, 10, 40, 20, 90, 30, 60, 80, 50, 100];
    const day = combineFigures(latencies.map((l) => summarize([point(l)])));
    const exact = summarize(latencies.map((l) => point(l)));
    assert.equal(day.latencyP50, exact.latencyP50);
    assert.equal(day.latencyP95, exact.latencyP95);
  });

  it('weights each part percentile by its count', () => {
    // Nine results with p50 10 outweigh one with 1000; the p95 rank (10 of 10) reaches 1000.
    const many = summarize(Array.from({ length: 9 }, () => point(10)));
    const day = combineFigures([summarize([point(1000)]), many]);
    assert.equal(day.latencyP50, 10);
    assert.equal(day.latencyP95, 1000);
  });

  it('gives null latencies when there are no parts or only empty ones', () => {
    for (const parts of [[], [summarize([])]]) {
      const day = combineFigures(parts);
      assert.deepEqual(
        [day.count, day.latencyP50, day.latencyP95, day.latencyMax],
        [0, null, null, null],
      );
    }
  });
});

describe('bucketStartOf', () => {
  it('floors to the bucket size', () => {
    assert.equal(bucketStartOf(3_600_000 + 59_999, 60_000), 3_600_000);
    assert.equal(bucketStartOf(3_600_000 + 60_000, 60_000), 3_660_000);
    assert.equal(bucketStartOf(7_199_999, 3_600_000), 3_600_000);
  });
});
