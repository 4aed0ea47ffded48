// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  HOUR,
  T0,
  batch,
  makeIncident,
  makeMonitor,
  rejectsWithCode,
  withStore,
} from './fixtures.ts';

export function makeWindow(
  id: string,
  overrides: Partial<MaintenanceWindow> = {},
): MaintenanceWindow {
  return {
    id,
    name: `window ${id}`,
    scope: { monitors: ['m1'], groups: ['web'], tags: [], nodes: ['eu-1'] },
    schedule: {
      kind: 'recurring',
      cron: '0 22 * * *',
      durationMs: 2 * HOUR,
      timezone: 'Europe/Berlin',
      from: T0,
      until: null,
    },
    reason: 'nightly backup',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** Maintenance windows: stored whole, unique names, and the window an incident opened in. */
export function maintenanceContract(makeStore: MakeStore): void {
  it('stores windows whole, lists them by name, finds them by id or name', () =>
    withStore(makeStore, async (store) => {
      const nightly = makeWindow('mw-2', { name: 'nightly' });
      const once = makeWindow('mw-1', {
        name: 'upgrade',
        scope: { monitors: [], groups: [], tags: ['db'], nodes: [] },
        schedule: { kind: 'once', startsAt: T0 + HOUR, endsAt: T0 + 2 * HOUR },
        reason: null,
      });
      await store.insertMaintenanceWindow(once);
      await store.insertMaintenanceWindow(nightly);
      assert.deepEqual(await store.listMaintenanceWindows(), [nightly, once]);
      assert.deepEqual(await store.getMaintenanceWindow('mw-1'), once);
      assert.deepEqual(await store.getMaintenanceWindowByName('nightly'), nightly);
      assert.equal(await store.getMaintenanceWindow('ghost'), undefined);
    }));

  it('refuses a taken id or name, updates in place, deletes once', () =>
    withStore(makeStore, async (store) => {
      await store.insertMaintenanceWindow(makeWindow('mw-1', { name: 'a' }));
      await rejectsWithCode(
        store.insertMaintenanceWindow(makeWindow('mw-1', { name: 'b' })),
        'CONFLICT',
      );
      await rejectsWithCode(
        store.insertMaintenanceWindow(makeWindow('mw-2', { name: 'a' })),
        'CONFLICT',
      );
      await store.insertMaintenanceWindow(makeWindow('mw-2', { name: 'b' }));
      await rejectsWithCode(
        store.updateMaintenanceWindow(makeWindow('mw-2', { name: 'a' })),
        'CONFLICT',
      );
      const edited = makeWindow('mw-2', { name: 'c', reason: null, updatedAt: T0 + DAY });
      await store.updateMaintenanceWindow(edited);
      assert.deepEqual(await store.getMaintenanceWindow('mw-2'), edited);
      await rejectsWithCode(store.updateMaintenanceWindow(makeWindow('ghost')), 'NOT_FOUND');
      assert.equal(await store.deleteMaintenanceWindow('mw-2'), true);
      assert.equal(await store.deleteMaintenanceWindow('mw-2'), false);
      assert.deepEqual(
        (await store.listMaintenanceWindows()).map((w) => w.id),
        ['mw-1'],
      );
    }));

  it('keeps the window an incident opened in, after the window is deleted too', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMaintenanceWindow(makeWindow('mw-1', { name: 'nightly' }));
      const incident = {
        ...makeIncident('inc-1', 'm1', T0),
        maintenance: { id: 'mw-1', name: 'nightly' },
      };
      await store.commitBatch(batch({ incidentsOpened: [incident] }));
      await store.deleteMaintenanceWindow('mw-1');
      assert.deepEqual((await store.getIncident('inc-1'))?.maintenance, {
        id: 'mw-1',
        name: 'nightly',
      });
      assert.deepEqual((await store.listIncidents())[0]?.maintenance, {
        id: 'mw-1',
        name: 'nightly',
      });
    }));

  it('leaves maintenance time out of uptime: neither observed nor down', () =>
    withStore(makeStore, async (store) => {
      // Created at T0; a one-hour window over the first hour of a two-hour incident.
      await store.insertMonitor(makeMonitor('m1', { group: 'web' }));
      await store.insertMonitor(makeMonitor('m2', { group: 'api', tags: [] }));
      const start = T0 + 10 * HOUR;
      await store.insertMaintenanceWindow(
        makeWindow('mw-1', {
          scope: { monitors: [], groups: ['web'], tags: [], nodes: [] },
          schedule: { kind: 'once', startsAt: start, endsAt: start + HOUR },
        }),
      );
      const resolved = (id: string, monitorId: string) => ({
        ...makeIncident(id, monitorId, start),
        status: 'resolved' as const,
        endedAt: start + 2 * HOUR,
        resolvedAt: start + 2 * HOUR,
        durationMs: 2 * HOUR,
      });
      await store.commitBatch(
        batch({ incidentsOpened: [resolved('inc-1', 'm1'), resolved('inc-2', 'm2')] }),
      );
      const now = T0 + DAY;
      const figures = await store.uptime(['m1', 'm2'], [DAY], now);
      const [m1] = figures.get('m1') ?? [];
      const [m2] = figures.get('m2') ?? [];
      assert.deepEqual([m1?.observedMs, m1?.downMs], [DAY - HOUR, HOUR], 'in the window');
      assert.deepEqual([m2?.observedMs, m2?.downMs], [DAY, 2 * HOUR], 'not in its scope');
    }));
}
