import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNodeMetrics } from './metrics.ts';

const idleScheduler = () => ({ jobs: 2, inFlight: 1, queued: 0 });

describe('node metrics', () => {
  it('exposes check counts and durations, scheduler lag and jobs, and the write queue', async () => {
    const metrics = createNodeMetrics({
      scheduler: idleScheduler,
      ingestPending: () => 7,
      ingestWaiting: () => 60,
      ingestShed: () => 5,
      version: '1.2.3',
    });
    metrics.observeCheck('http', 'up', 120, 3);
    metrics.observeCheck('http', 'up', 80, 0);
    metrics.observeCheck('tcp', 'down', 5, 2_000);
    metrics.observeCheck('icmp', 'error', 1, -5);
    metrics.observeCommit(3, 1);
    const text = await metrics.render();
    assert.match(text, /crosscheck_build_info\{version="1.2.3"\} 1/);
    assert.match(text, /crosscheck_checks_total\{type="http",status="up"\} 2/);
    assert.match(text, /crosscheck_checks_total\{type="tcp",status="down"\} 1/);
    assert.match(text, /crosscheck_checks_total\{type="icmp",status="error"\} 1/);
    assert.match(text, /crosscheck_check_duration_seconds_count\{type="http"\} 2/);
    assert.match(text, /crosscheck_scheduler_lag_seconds_count 4/);
    // 2 s late lands above the 1 s bucket; a negative lag (clock step) counts as on time.
    assert.match(text, /crosscheck_scheduler_lag_seconds_bucket\{le="1"\} 3/);
    assert.match(text, /crosscheck_scheduler_lag_seconds_bucket\{le="2.5"\} 4/);
    assert.match(text, /crosscheck_scheduler_jobs\{state="running"\} 1/);
    assert.match(text, /crosscheck_ingest_pending_results 7/);
    assert.doesNotMatch(text, /crosscheck_outbox_results/);
    assert.match(text, /crosscheck_ingest_waiting_results 60/);
    assert.match(text, /crosscheck_ingest_shed_results 5/);
    assert.doesNotMatch(text, /crosscheck_outbox_held_results/);
    assert.match(text, /crosscheck_results_stored_total 3/);
    assert.match(text, /crosscheck_process_resident_memory_bytes \d+/);
  });

  it('leaves out the default gauges whose names end in _total but are not counters', async () => {
    const text = await createNodeMetrics({
      scheduler: idleScheduler,
      outboxDepth: () => 4,
      outboxHeld: () => 2,
      version: '0',
    }).render();
    assert.doesNotMatch(text, /crosscheck_nodejs_active_\w+_total/);
    assert.match(text, /crosscheck_nodejs_active_handles\{/);
    assert.match(text, /crosscheck_outbox_results 4/);
    assert.match(text, /crosscheck_outbox_held_results 2/);
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      assert.equal(
        name?.endsWith('_total'),
        type === 'counter',
        `${name ?? ''} is a ${type ?? ''}`,
      );
    }
  });
});
