import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordedResult } from '../domain/check-result.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { silentLogger } from '../observability/logger.ts';
import type { OperationServices } from '../operations/services.ts';
import { createAlertLogService } from '../services/alert-log-service.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import { createHealthService } from '../services/health-service.ts';
import { createIncidentService } from '../services/incident-service.ts';
import { createMonitorService } from '../services/monitors/monitor-service.ts';
import { createQueryService, storeStateSource } from '../services/status-service.ts';
import {
  MINUTE,
  batch,
  makeIncident,
  makeMonitor,
  makeResult,
} from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { buildApiServer } from './server.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7, 0xff, 0xd9]);

interface EvidenceItem {
  resultId: string;
  nodeId: string;
  consoleErrors: string[];
  screenshotBytes: number;
  screenshotUrl: string | null;
}

describe('incident evidence over REST: a failed browser check’s screenshot and console errors', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof buildApiServer>;
  const clock = new FakeClock();
  const start = clock.now() - 30 * MINUTE;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertMonitor(makeMonitor('m1', { name: 'Shop login' }));
    const failed: RecordedResult = {
      ...makeResult('m1', start + MINUTE, 'down', 900, 'res-browser-1'),
      errorKind: 'assertion',
      message: 'step 4 (expectText h1): h1 does not contain "Welcome"',
      evidence: {
        screenshotJpeg: JPEG.toString('base64'),
        consoleErrors: ['login failed for alice with ***'],
      },
    };
    await store.commitBatch(
      batch({ results: [failed], incidentsOpened: [makeIncident('inc-1', 'm1', start)] }),
    );
    const services: OperationServices = {
      clock,
      queries: createQueryService({ store, clock, states: storeStateSource(store) }),
      health: createHealthService({
        store,
        clock,
        version: 'test',
        dataDir: '/nonexistent',
        databasePath: '/nonexistent/crosscheck.db',
      }),
      alerts: createAlertLogService({ store, clock }),
      monitors: createMonitorService({
        store,
        clock,
        changes: createMonitorChangeBus(),
        newId: () => newId('mon'),
      }),
      cluster: {
        listNodes: () => Promise.resolve([]),
        getNode: (id) => Promise.reject(notFound('node', id)),
        nodeAlertRoutes: () => Promise.resolve([]),
        overview: () => Promise.resolve(null),
      },
      incidents: createIncidentService({ store, clock }),
      unavailableReason: 'not running',
    };
    api = buildApiServer({
      services,
      logger: silentLogger(),
      // A viewer with the test header; nobody without it.
      authenticate: (request) =>
        request.headers['x-test-user'] === undefined
          ? Promise.reject(new AppError('UNAUTHORIZED', 'sign in first'))
          : Promise.resolve({
              userId: 'v',
              name: 'viewer',
              role: 'viewer',
              access: 'read',
              via: 'token',
            }),
    });
    await api.ready();
  });

  after(async () => {
    await api.close();
    await cleanup();
  });

  const signedIn = { 'x-test-user': 'viewer' };

  it('lists the evidence with the console errors and where the screenshot is', async () => {
    const response = await api.inject({
      method: 'GET',
      url: '/api/v1/incidents/inc-1/evidence',
      headers: signedIn,
    });
    assert.equal(response.statusCode, 200, response.body);
    const { items } = response.json<{ items: EvidenceItem[] }>();
    assert.equal(items.length, 1);
    assert.deepEqual(items[0]?.consoleErrors, ['login failed for alice with ***']);
    assert.equal(items[0]?.screenshotBytes, JPEG.length);
    assert.equal(
      items[0]?.screenshotUrl,
      '/api/v1/incidents/inc-1/evidence/res-browser-1/screenshot',
    );
  });

  it('serves the screenshot as a JPEG to a signed-in user only', async () => {
    const url = '/api/v1/incidents/inc-1/evidence/res-browser-1/screenshot';
    const image = await api.inject({ method: 'GET', url, headers: signedIn });
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/jpeg');
    assert.deepEqual(image.rawPayload, JPEG);
    const anonymous = await api.inject({ method: 'GET', url });
    assert.equal(anonymous.statusCode, 401);
  });

  it('404 for an unknown incident or a result that is not its evidence', async () => {
    const list = await api.inject({
      method: 'GET',
      url: '/api/v1/incidents/inc-404/evidence',
      headers: signedIn,
    });
    assert.equal(list.statusCode, 404);
    const image = await api.inject({
      method: 'GET',
      url: '/api/v1/incidents/inc-1/evidence/res-other/screenshot',
      headers: signedIn,
    });
    assert.equal(image.statusCode, 404);
  });
});
