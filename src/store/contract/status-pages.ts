// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { IncidentUpdate, StatusPage } from '../../domain/status-page.ts';
import type { MakeStore } from './fixtures.ts';
import { T0, batch, makeIncident, makeMonitor, rejectsWithCode, withStore } from './fixtures.ts';

export function makePage(id: string, overrides: Partial<StatusPage> = {}): StatusPage {
  return {
    id,
    slug: `page-${id}`,
    title: `Page ${id}`,
    description: 'Our services',
    customDomains: [`status-${id}.example.com`],
    groups: [{ name: 'Web', monitorIds: ['m1', 'm2'] }],
    showRegions: true,
    showDetails: false,
    badgeMonitorIds: ['m3'],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function makeUpdate(id: string, overrides: Partial<IncidentUpdate> = {}): IncidentUpdate {
  return {
    id,
    incidentId: 'inc-1',
    status: 'investigating',
    message: `update ${id}`,
    public: true,
    author: 'alice',
    createdAt: T0,
    ...overrides,
  };
}

/** Status pages (unique slugs and domains) and incident updates (gone with their incident). */
export function statusPageContract(makeStore: MakeStore): void {
  it('stores pages whole, lists them by slug, finds them by id or slug', () =>
    withStore(makeStore, async (store) => {
      await store.insertStatusPage(makePage('b'));
      await store.insertStatusPage(
        makePage('a', { description: null, customDomains: [], badgeMonitorIds: [] }),
      );
      assert.deepEqual(await store.getStatusPage('b'), makePage('b'));
      assert.deepEqual(await store.getStatusPageBySlug('page-b'), makePage('b'));
      assert.deepEqual(
        (await store.listStatusPages()).map((p) => p.slug),
        ['page-a', 'page-b'],
      );
      assert.equal(await store.getStatusPage('nope'), undefined);
      assert.equal(await store.getStatusPageBySlug('nope'), undefined);
    }));

  it('refuses a taken id, slug or custom domain (CONFLICT) on insert and update', () =>
    withStore(makeStore, async (store) => {
      await store.insertStatusPage(makePage('a'));
      await store.insertStatusPage(makePage('b'));
      await rejectsWithCode(store.insertStatusPage(makePage('a', { slug: 'x' })), 'CONFLICT');
      await rejectsWithCode(
        store.insertStatusPage(makePage('c', { slug: 'page-a', customDomains: [] })),
        'CONFLICT',
      );
      await rejectsWithCode(
        store.insertStatusPage(makePage('c', { customDomains: ['status-a.example.com'] })),
        'CONFLICT',
      );
      await rejectsWithCode(
        store.updateStatusPage(makePage('b', { customDomains: ['status-a.example.com'] })),
        'CONFLICT',
      );
      // A page keeps its own slug and domains on update.
      await store.updateStatusPage(makePage('a', { title: 'Renamed' }));
      assert.equal((await store.getStatusPage('a'))?.title, 'Renamed');
    }));

  it('updates every field but id and createdAt; NOT_FOUND when gone; deletes', () =>
    withStore(makeStore, async (store) => {
      await store.insertStatusPage(makePage('a'));
      const changed = makePage('a', {
        slug: 'renamed',
        groups: [{ name: 'API', monitorIds: ['m9'] }],
        showRegions: false,
        showDetails: true,
        createdAt: T0 + 99,
        updatedAt: T0 + 5,
      });
      await store.updateStatusPage(changed);
      assert.deepEqual(await store.getStatusPage('a'), { ...changed, createdAt: T0 });
      await rejectsWithCode(store.updateStatusPage(makePage('ghost')), 'NOT_FOUND');
      assert.equal(await store.deleteStatusPage('a'), true);
      assert.equal(await store.deleteStatusPage('a'), false);
    }));

  it('stores incident updates, lists them oldest first, public ones alone when asked', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', T0), makeIncident('inc-2', 'm2', T0 + 1)],
        }),
      );
      await store.insertIncidentUpdate(makeUpdate('u2', { createdAt: T0 + 20, public: false }));
      await store.insertIncidentUpdate(makeUpdate('u1', { createdAt: T0 + 10 }));
      await store.insertIncidentUpdate(
        makeUpdate('u3', { incidentId: 'inc-2', status: 'resolved', createdAt: T0 + 30 }),
      );
      assert.deepEqual(
        (await store.listIncidentUpdates(['inc-1'])).map((u) => u.id),
        ['u1', 'u2'],
      );
      assert.deepEqual(await store.listIncidentUpdates(['inc-1', 'inc-2'], { publicOnly: true }), [
        makeUpdate('u1', { createdAt: T0 + 10 }),
        makeUpdate('u3', {
          incidentId: 'inc-2',
          status: 'resolved',
          createdAt: T0 + 30,
        }),
      ]);
      assert.deepEqual(await store.listIncidentUpdates([]), []);
      await rejectsWithCode(store.insertIncidentUpdate(makeUpdate('u1')), 'CONFLICT');
      await rejectsWithCode(
        store.insertIncidentUpdate(makeUpdate('u9', { incidentId: 'nope' })),
        'NOT_FOUND',
      );
    }));

  it('drops an incident’s updates when its monitor is deleted', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      await store.insertIncidentUpdate(makeUpdate('u1'));
      await store.deleteMonitor('m1');
      assert.deepEqual(await store.listIncidentUpdates(['inc-1']), []);
    }));
}
