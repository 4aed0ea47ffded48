import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DayBucket } from './day-buckets.ts';
import { dayToRow, emptyHours, prefixColumn, rowToDay } from './day-buckets.ts';

function day(hourCounts: number[], hourFailures: number[]): DayBucket {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    monitorId: 'm1',
    bucketStart: 86_400_000,
    count: sum(hourCounts),
    failures: sum(hourFailures),
    degraded: 0,
    latencyP50: 12,
    latencyP95: 40,
    latencyMax: 90,
    hourCounts,
    hourFailures,
  };
}

describe('day bucket rows', () => {
  it('store running totals before each hour and read back the per-hour split', () => {
    const counts = emptyHours().map((_, hour) => hour + 1);
    const failures = emptyHours();
    failures[0] = 1;
    failures[6] = 2;
    failures[23] = 3;
    const bucket = day(counts, failures);
    const row = dayToRow(bucket);
    assert.equal(row[prefixColumn('count', 1)], 1);
    assert.equal(row[prefixColumn('count', 7)], 1 + 2 + 3 + 4 + 5 + 6 + 7);
    assert.equal(row[prefixColumn('failures', 7)], 3);
    assert.equal(
      row[prefixColumn('failures', 23)],
      3,
      'hour 23 is in no prefix, only in the total',
    );
    assert.equal(row.failures, 6);
    assert.deepEqual(
      rowToDay({ ...row, latency_p50: 12, latency_p95: 40, latency_max: 90 }),
      bucket,
    );
  });

  it('names the prefix columns by the hour they end at', () => {
    assert.equal(prefixColumn('count', 7), 'count_before_h07');
    assert.equal(prefixColumn('failures', 23), 'failures_before_h23');
  });
});
