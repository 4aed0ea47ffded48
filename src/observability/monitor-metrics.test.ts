import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { MonitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import type { MonitorUptime } from '../domain/uptime.ts';
import { OTHER_MONITORS, registerMonitorMetrics } from './monitor-metrics.ts';

function monitor(id: string, group: string | null = null): MonitorRef {
  return { id, name: `Name ${id}`, type: 'http', target: `http://${id}.test/`, group, tags: [] };
}

function entry(ref: MonitorRef, status: MonitorRuntimeState['status']) {
  return { monitor: ref, state: { ...initialRuntimeState(ref.id), status } };
}

function setup(list: () => ReturnType<typeof entry>[], limit?: number) {
  const registry = new Registry();
  const uptimeCalls: string[][] = [];
  let now = 1_000_000;
  const metrics = registerMonitorMetrics(registry, {
    monitors: list,
    uptime: (ids) => {
      uptimeCalls.push([...ids]);
      const figure = (uptime: number): MonitorUptime => ({
        observedMs: 1,
        downMs: 0,
        uptime,
        regions: [],
      });
      return Promise.resolve(new Map(ids.map((id) => [id, [figure(0.5), figure(0.25)]])));
    },
    now: () => now,
    ...(limit === undefined ? {} : { limit }),
  });
  return {
    metrics,
    uptimeCalls,
    render: () => registry.metrics(),
    advance: (ms: number) => (now += ms),
  };
}

describe('monitor metrics', () => {
  it('labels value series by monitor id only; name, type and group sit in the info series', async () => {
    const web = monitor('mon_web', 'prod');
    const { metrics, render } = setup(() => [entry(web, 'up'), entry(monitor('mon_db'), 'down')]);
    metrics.observeResult('mon_web', 'up', 120);
    metrics.observeResult('mon_web', 'error', 30_000);
    const text = await render();
    assert.match(
      text,
      /crosscheck_monitor_info\{monitor_id="mon_web",name="Name mon_web",type="http",group="prod"\} 1/,
    );
    assert.match(text, /crosscheck_monitor_up\{monitor_id="mon_web"\} 1/);
    assert.match(text, /crosscheck_monitor_up\{monitor_id="mon_db"\} 0/);
    assert.match(text, /crosscheck_monitor_latency_seconds_count\{monitor_id="mon_web"\} 1/);
    assert.match(text, /crosscheck_monitor_latency_seconds_sum\{monitor_id="mon_web"\} 0.12/);
    assert.match(text, /crosscheck_monitor_uptime_ratio\{monitor_id="mon_web",window="24h"\} 0.5/);
    assert.match(text, /crosscheck_monitor_uptime_ratio\{monitor_id="mon_db",window="30d"\} 0.25/);
    assert.match(text, /crosscheck_monitors\{status="down"\} 1/);
    assert.match(text, /crosscheck_monitors\{status="pending"\} 0/);
    assert.doesNotMatch(text, /\.test\//, 'targets never become labels');
  });

  it('caps the monitors with their own series and folds the rest into _other', async () => {
    const list = ['mon_a', 'mon_b', 'mon_c', 'mon_d'].map((id) => entry(monitor(id), 'up'));
    const { metrics, render } = setup(() => list, 2);
    for (const { monitor: m } of list) metrics.observeResult(m.id, 'up', 10);
    const text = await render();
    assert.equal([...text.matchAll(/^crosscheck_monitor_up\{/gm)].length, 2);
    assert.equal([...text.matchAll(/^crosscheck_monitor_info\{/gm)].length, 2);
    assert.match(text, /crosscheck_monitor_series_limit 2/);
    assert.match(text, /crosscheck_monitor_series_dropped 2/);
    assert.match(
      text,
      new RegExp(`crosscheck_monitor_latency_seconds_count\\{monitor_id="${OTHER_MONITORS}"\\} 2`),
    );
    assert.match(text, /crosscheck_monitors\{status="up"\} 4/);
  });

  it('frees the slot and drops every series of a monitor that is gone', async () => {
    let list = [entry(monitor('mon_a'), 'up'), entry(monitor('mon_b'), 'up')];
    const { metrics, render } = setup(() => list, 1);
    metrics.observeResult('mon_a', 'up', 10);
    assert.match(await render(), /monitor_id="mon_a"/);
    list = [entry(monitor('mon_b'), 'up')];
    const text = await render();
    assert.doesNotMatch(text, /monitor_id="mon_a"/);
    assert.match(text, /crosscheck_monitor_up\{monitor_id="mon_b"\} 1/);
    metrics.observeResult('mon_b', 'up', 10);
    assert.match(
      await render(),
      /crosscheck_monitor_latency_seconds_count\{monitor_id="mon_b"\} 1/,
    );
  });

  it('reads uptime from the store at most once a minute, and again for a new monitor', async () => {
    let list = [entry(monitor('mon_a'), 'up')];
    const { render, uptimeCalls, advance } = setup(() => list);
    await render();
    await render();
    assert.equal(uptimeCalls.length, 1);
    list = [...list, entry(monitor('mon_b'), 'up')];
    assert.match(await render(), /crosscheck_monitor_uptime_ratio\{monitor_id="mon_b"/);
    assert.equal(uptimeCalls.length, 2);
    advance(60_000);
    await render();
    assert.equal(uptimeCalls.length, 3);
  });
});
