import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ApiErrorBody } from '../api/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';
import type { MaintenanceView } from './maintenance-service.ts';
import { createMaintenanceService } from './maintenance-service.ts';

const HOUR = 3_600_000;

// `maintenance.update` over the real API and a real SQLite store: only the fields given change,
// the schedule can switch kind, and it is validated exactly as on create, each problem naming
// its field.
describe('maintenance.update (PATCH /api/v1/maintenance/{id})', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12));
  let store: Store;
  let cleanup: () => Promise<void>;
  let app: FastifyInstance;
  let changes = 0;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    const maintenance = createMaintenanceService({
      store,
      clock,
      newId: () => newId('mw'),
      onChange: () => {
        changes++;
      },
    });
    app = testApiServer({ ...storeOperationServices(store, clock), maintenance });
  });
  after(() => cleanup());

  async function create(name: string): Promise<MaintenanceView> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/maintenance',
      payload: {
        name,
        groups: ['db'],
        startsAt: clock.now() + HOUR,
        endsAt: clock.now() + 2 * HOUR,
        reason: 'postgres 18',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<MaintenanceView>();
  }

  const patch = (id: string, payload: object) =>
    app.inject({ method: 'PATCH', url: `/api/v1/maintenance/${id}`, payload });

  async function issuePaths(id: string, payload: object): Promise<string[]> {
    const res = await patch(id, payload);
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json<ApiErrorBody>();
    assert.equal(body.error.code, 'VALIDATION');
    return body.error.issues.map((issue) => issue.path).sort();
  }

  it('changes only the fields given, by id or by name', async () => {
    const window = await create('db upgrade');
    const before = changes;
    const renamed = await patch(window.id, { name: 'db upgrade (v18)', tags: ['pg'] });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const view = renamed.json<MaintenanceView>();
    assert.equal(view.id, window.id);
    assert.equal(view.name, 'db upgrade (v18)');
    assert.deepEqual(view.scope, { monitors: [], groups: ['db'], tags: ['pg'], nodes: [] });
    assert.deepEqual(view.schedule, window.schedule);
    assert.equal(view.reason, 'postgres 18');
    assert.equal(view.createdAt, window.createdAt);
    assert.equal(changes, before + 1, 'the calendar reloads');

    const byName = await patch('db upgrade (v18)', {
      endsAt: clock.now() + 3 * HOUR,
      reason: null,
    });
    assert.equal(byName.statusCode, 200, byName.body);
    const moved = byName.json<MaintenanceView>();
    assert.deepEqual(moved.schedule, {
      kind: 'once',
      startsAt: clock.now() + HOUR,
      endsAt: clock.now() + 3 * HOUR,
    });
    assert.equal(moved.reason, null);
    const stored = await store.getMaintenanceWindow(window.id);
    assert.equal(stored?.name, 'db upgrade (v18)');
    assert.equal(stored?.updatedAt, clock.now());
  });

  it('switches a one-off window to recurring and back', async () => {
    const window = await create('nightly');
    const recurring = await patch(window.id, {
      cron: '0 2 * * *',
      durationMs: '90m',
      timezone: 'Europe/Berlin',
    });
    assert.equal(recurring.statusCode, 200, recurring.body);
    assert.deepEqual(recurring.json<MaintenanceView>().schedule, {
      kind: 'recurring',
      cron: '0 2 * * *',
      durationMs: 90 * 60_000,
      timezone: 'Europe/Berlin',
      from: null,
      until: null,
    });
    const longer = await patch(window.id, { durationMs: '2h' });
    assert.equal(longer.json<MaintenanceView>().schedule.kind, 'recurring');
    assert.equal(
      longer.json<{ schedule: { timezone: string } }>().schedule.timezone,
      'Europe/Berlin',
      'the other recurring fields stay',
    );
    const once = await patch(window.id, {
      startsAt: new Date(clock.now() + HOUR).toISOString(),
      endsAt: new Date(clock.now() + 2 * HOUR).toISOString(),
    });
    assert.equal(once.statusCode, 200, once.body);
    assert.equal(once.json<MaintenanceView>().schedule.kind, 'once');
  });

  it('validates as on create, naming each field; nothing is written', async () => {
    const window = await create('checked');
    assert.deepEqual(await issuePaths(window.id, { cron: '0 2 * * *' }), ['schedule.durationMs']);
    assert.deepEqual(
      await issuePaths(window.id, {
        cron: '0 2 * * *',
        durationMs: '1h',
        timezone: 'Mars/Olympus',
      }),
      ['schedule.timezone'],
    );
    assert.deepEqual(await issuePaths(window.id, { cron: 'nope', durationMs: '1h' }), [
      'schedule.cron',
    ]);
    assert.deepEqual(await issuePaths(window.id, { durationMs: '1h' }), ['cron']);
    assert.deepEqual(await issuePaths(window.id, { endsAt: clock.now() + HOUR / 2 }), [
      'schedule.endsAt',
    ]);
    assert.deepEqual(await issuePaths(window.id, { startsAt: clock.now(), cron: '* * * * *' }), [
      'cron',
    ]);
    assert.deepEqual(await issuePaths(window.id, { groups: [] }), ['scope']);
    assert.deepEqual(
      await issuePaths(window.id, { startsAt: clock.now() - 2 * HOUR, endsAt: clock.now() - HOUR }),
      ['schedule.endsAt'],
      'a window already over',
    );
    assert.deepEqual(await issuePaths(window.id, { startsAt: 'tomorrow' }), ['startsAt']);
    assert.deepEqual(await issuePaths(window.id, { colour: 'red' }), ['colour']);
    const { next: _next, active: _active, ...unchanged } = window;
    assert.deepEqual(await store.getMaintenanceWindow(window.id), unchanged);
  });

  it('answers 404 for an unknown window and 409 for a taken name', async () => {
    await create('taken');
    const other = await create('other');
    const missing = await patch('mw-ghost', { name: 'x' });
    assert.equal(missing.statusCode, 404);
    const clash = await patch(other.id, { name: 'taken' });
    assert.equal(clash.statusCode, 409, clash.body);
  });
});
