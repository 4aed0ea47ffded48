import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MonitorRef } from '../domain/monitor.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import { createNodeMetrics } from './metrics.ts';

const web: MonitorRef = {
  id: 'mon_web',
  name: 'Web',
  type: 'http',
  target: 'http://x/',
  group: 'prod',
  tags: [],
};
const db: MonitorRef = {
  id: 'mon_db',
  name: 'DB',
  type: 'tcp',
  target: 'db:5432',
  group: null,
  tags: [],
};

describe('node metrics', () => {
  it('exposes monitor state, check counts and durations, scheduler and ingest gauges', async () => {
    const metrics = createNodeMetrics({
      monitors: () => [
        {
          monitor: web,
          state: { ...initialRuntimeState(web.id), status: 'up', lastLatencyMs: 120 },
        },
        { monitor: db, state: { ...initialRuntimeState(db.id), status: 'down', lastLatencyMs: 5 } },
      ],
      scheduler: () => ({ jobs: 2, inFlight: 1, queued: 0, lagP99Ms: 12 }),
      ingestPending: () => 7,
    });
    metrics.observeCheck('http', 'up', 120);
    metrics.observeCheck('http', 'up', 80);
    metrics.observeCheck('tcp', 'down', 5);
    metrics.observeCheck('icmp', 'error', 1);
    metrics.observeCommit(3, 1);
    const text = await metrics.render();
    assert.match(
      text,
      /crosscheck_monitor_up\{monitor_id="mon_web",name="Web",type="http",group="prod"\} 1/,
    );
    assert.match(
      text,
      /crosscheck_monitor_up\{monitor_id="mon_db",name="DB",type="tcp",group=""\} 0/,
    );
    assert.match(text, /crosscheck_monitor_latency_seconds\{monitor_id="mon_web"[^}]*\} 0\.12/);
    assert.match(text, /crosscheck_checks_total\{type="http",status="up"\} 2/);
    assert.match(text, /crosscheck_checks_total\{type="tcp",status="down"\} 1/);
    assert.match(text, /crosscheck_checks_total\{type="icmp",status="error"\} 1/);
    assert.match(text, /crosscheck_check_duration_seconds_count\{type="http"\} 2/);
    assert.match(text, /crosscheck_scheduler_jobs\{state="running"\} 1/);
    assert.match(text, /crosscheck_scheduler_lag_p99_seconds 0\.012/);
    assert.match(text, /crosscheck_ingest_pending_results 7/);
    assert.match(text, /crosscheck_results_stored_total 3/);
    assert.match(text, /crosscheck_process_resident_memory_bytes \d+/);
  });

  it('drops series of monitors that are gone', async () => {
    let list = [{ monitor: web, state: { ...initialRuntimeState(web.id), status: 'up' as const } }];
    const metrics = createNodeMetrics({
      monitors: () => list,
      scheduler: () => ({ jobs: 0, inFlight: 0, queued: 0, lagP99Ms: 0 }),
      ingestPending: () => 0,
    });
    assert.match(await metrics.render(), /monitor_id="mon_web"/);
    list = [];
    assert.doesNotMatch(await metrics.render(), /monitor_id="mon_web"/);
  });
});
