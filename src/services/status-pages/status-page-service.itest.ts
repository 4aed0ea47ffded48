import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatusPage } from '../../domain/status-page.ts';
import type { AppError } from '../../lib/errors.ts';
import { invokeOperation } from '../../operations/invoke.ts';
import { LOCAL_ADMIN } from '../../operations/kit.ts';
import type { OperationServices } from '../../operations/services.ts';
import { createStatusPage, updateStatusPage } from '../../operations/status-page-ops.ts';
import { addIncidentUpdate } from '../../operations/incident-update-ops.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createIncidentUpdateService } from './incident-update-service.ts';
import { createStatusPageService } from './status-page-service.ts';
import type { StatusPageService } from './status-page-service.ts';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  assert.fail('expected a rejection');
}

describe('status page service (real store)', () => {
  const clock = new FakeClock();
  let store: Store;
  let cleanup: () => Promise<void>;
  let service: StatusPageService;
  let services: OperationServices;
  let changes = 0;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    for (const id of ['m1', 'm2', 'm3']) await store.insertMonitor(makeMonitor(id));
    let n = 0;
    service = createStatusPageService({
      store,
      clock,
      newId: () => `sp-${++n}`,
      onChange: () => changes++,
    });
    services = {
      clock,
      statusPages: service,
      incidentUpdates: createIncidentUpdateService({ store, clock, newId: () => 'u' }),
      unavailableReason: 'test',
    } as unknown as OperationServices;
    await service.create({
      slug: 'main',
      title: 'Main',
      customDomains: ['status.example.com'],
      groups: [{ name: 'Web', monitorIds: ['m1', 'm2'] }],
      showRegions: false,
      showDetails: false,
      badgeMonitorIds: ['m3'],
    });
  });
  after(() => cleanup());

  it('names every bad field of an operation call at once', async () => {
    const error = await rejection(
      invokeOperation(createStatusPage, LOCAL_ADMIN, services, {
        slug: 'Not A Slug',
        title: '',
        customDomains: 'https://x.example.com/, ok.example.com',
        groups: [{ name: 'Web', monitorIds: 'm1' }],
      }),
    );
    assert.equal(error.code, 'VALIDATION');
    const paths = error.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ['customDomains.0', 'groups.0.monitorIds', 'slug', 'title']);
  });

  it('refuses monitors that do not exist, naming where they were given', async () => {
    const error = await rejection(
      invokeOperation(createStatusPage, LOCAL_ADMIN, services, {
        slug: 'other',
        title: 'Other',
        groups: [{ name: 'A', monitorIds: ['m1', 'ghost'] }],
        badgeMonitorIds: 'nope',
      }),
    );
    assert.equal(error.code, 'VALIDATION');
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ['groups.0.monitorIds.1', 'badgeMonitorIds.0'],
    );
  });

  it('refuses a taken slug or custom domain with CONFLICT naming the field', async () => {
    const slug = await rejection(service.create({ ...base(), slug: 'main' }));
    assert.equal(slug.code, 'CONFLICT');
    assert.deepEqual(
      slug.issues.map((i) => i.path),
      ['slug'],
    );
    const domain = await rejection(
      service.create({ ...base(), slug: 'two', customDomains: ['status.example.com'] }),
    );
    assert.equal(domain.code, 'CONFLICT');
    assert.deepEqual(
      domain.issues.map((i) => i.path),
      ['customDomains.0'],
    );
  });

  it('updates by slug, clears the description with "", and tells the cache', async () => {
    const before = changes;
    const page = (await invokeOperation(updateStatusPage, LOCAL_ADMIN, services, {
      id: 'main',
      title: 'Main site',
      description: '',
      showRegions: 'true',
    })) as StatusPage;
    assert.equal(page.title, 'Main site');
    assert.equal(page.description, null);
    assert.equal(page.showRegions, true);
    assert.deepEqual(page.customDomains, ['status.example.com']);
    assert.equal(changes, before + 1);
  });

  it('drops a deleted monitor from the page at its next edit; still refuses new unknown ones', async () => {
    await store.deleteMonitor('m2');
    await store.deleteMonitor('m3');
    const page = await service.update('main', { title: 'After deletion' });
    assert.deepEqual(page.groups, [{ name: 'Web', monitorIds: ['m1'] }]);
    assert.deepEqual(page.badgeMonitorIds, []);
    const error = await rejection(
      service.update('main', { groups: [{ name: 'Web', monitorIds: ['m1', 'm2'] }] }),
    );
    assert.equal(error.code, 'VALIDATION');
  });

  it('refuses an update of an incident that does not exist', async () => {
    const error = await rejection(
      invokeOperation(addIncidentUpdate, LOCAL_ADMIN, services, {
        incident: 'inc-missing',
        status: 'investigating',
        message: 'looking',
      }),
    );
    assert.equal(error.code, 'NOT_FOUND');
    const bad = await rejection(
      invokeOperation(addIncidentUpdate, LOCAL_ADMIN, services, {
        incident: 'x',
        status: 'fixed',
        message: ' ',
      }),
    );
    assert.equal(bad.code, 'VALIDATION');
    assert.deepEqual(bad.issues.map((i) => i.path).sort(), ['message', 'status']);
  });

  it('removes a page by slug; NOT_FOUND after', async () => {
    await service.remove('main');
    assert.equal((await rejection(service.get('main'))).code, 'NOT_FOUND');
  });
});

function base() {
  return {
    slug: 'x',
    title: 'X',
    customDomains: [],
    groups: [],
    showRegions: false,
    showDetails: false,
    badgeMonitorIds: [],
  };
}
