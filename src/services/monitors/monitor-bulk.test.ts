import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { T0, makeMonitor } from '../../store/contract/fixtures.ts';
import { abandonPlan, planBulk } from './monitor-bulk.ts';

const tcp = (name: string) => ({ name, type: 'tcp', target: '127.0.0.1:5432' });

describe('planBulk', () => {
  let counter = 0;
  const newId = () => `new-${++counter}`;

  it('validates each item on its own and plans one write per monitor', () => {
    const existing = new Map([['m1', makeMonitor('m1', { alerts: [] })]]);
    const plan = planBulk(
      [
        { op: 'create', monitor: tcp('db') },
        { op: 'update', id: 'm1', patch: { name: 'first' } },
        { op: 'update', id: 'm1', patch: { intervalMs: '30s' } },
        { op: 'create', monitor: { ...tcp('x'), intervalMs: 10 } },
        'not an object',
      ],
      existing,
      newId,
      T0 + 1,
    );
    assert.deepEqual(
      plan.results.map((r) => (r.ok ? 'ok' : r.error.issues.map((i) => i.path).join(','))),
      ['ok', 'ok', 'ok', 'monitor.intervalMs', ''],
    );
    assert.deepEqual(
      plan.writes.map((w) => [w.op, w.monitor.id, w.monitor.name, w.monitor.intervalMs]),
      [
        ['insert', 'new-1', 'db', 60_000],
        ['update', 'm1', 'first', 30_000],
      ],
      'the second update applies on top of the first: one write of the result',
    );
  });

  it('reports an update of an unknown monitor as NOT_FOUND', () => {
    const plan = planBulk([{ op: 'update', id: 'gone', patch: {} }], new Map(), newId, T0);
    const [result] = plan.results;
    assert.equal(result?.ok, false);
    assert.equal(result.ok ? null : result.error.code, 'NOT_FOUND');
    assert.deepEqual(plan.writes, []);
  });

  it('abandons a plan: valid items become not-written conflicts naming the failed ones', () => {
    const plan = planBulk(
      [{ op: 'create', monitor: tcp('a') }, { op: 'create' }, { op: 'create', monitor: {} }],
      new Map(),
      newId,
      T0,
    );
    const abandoned = abandonPlan(plan.results);
    assert.deepEqual(
      abandoned.map((r) => (r.ok ? 'ok' : r.error.code)),
      ['CONFLICT', 'VALIDATION', 'VALIDATION'],
    );
    const [first] = abandoned;
    assert.match(first?.ok === false ? first.error.message : '', /item\(s\) 1, 2 failed/);
  });
});
