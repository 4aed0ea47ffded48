import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeAlertEvent } from '../../domain/alert.ts';
import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import { loadMaintenanceCalendar } from './maintenance-calendar.ts';
import { nodeAlertDeliveries } from './node-alerts.ts';

const upgrade: MaintenanceWindow = {
  id: 'mw-1',
  name: 'upgrade',
  scope: { monitors: [], groups: ['shop'], tags: [], nodes: ['eu-1'] },
  schedule: { kind: 'once', startsAt: 1_000, endsAt: 2_000 },
  reason: null,
  createdAt: 0,
  updatedAt: 0,
};

describe('maintenance calendar', () => {
  it('answers from the windows it loaded, and from the new ones after a reload', async () => {
    let stored: MaintenanceWindow[] = [];
    const calendar = await loadMaintenanceCalendar({
      listMaintenanceWindows: () => Promise.resolve(stored),
    });
    const shop = { kind: 'monitor', id: 'm1', group: 'shop', tags: [] } as const;
    assert.equal(calendar.inMaintenance(shop, 1_500), null);
    stored = [upgrade];
    assert.equal(calendar.inMaintenance(shop, 1_500), null, 'not until reloaded');
    await calendar.reload();
    assert.deepEqual(calendar.inMaintenance(shop, 1_500), { id: 'mw-1', name: 'upgrade' });
    assert.deepEqual(calendar.inMaintenance({ kind: 'node', name: 'eu-1' }, 1_999), {
      id: 'mw-1',
      name: 'upgrade',
    });
    assert.equal(calendar.inMaintenance(shop, 2_000), null, 'the end is exclusive');
  });
});

describe('node alert deliveries in maintenance', () => {
  const event: NodeAlertEvent = {
    kind: 'node-missing',
    idempotencyKey: 'node:n1:ev1:missing',
    node: { id: 'n1', name: 'eu-1', region: null },
    from: 'grace',
    to: 'missing',
    message: 'node eu-1 is missing',
    occurredAt: 1_500,
  };
  const routes = [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/' } }];
  let n = 0;
  const newId = () => `dlv-${++n}`;

  it('are pending outside a window and recorded suppressed (maintenance) inside one', () => {
    const [normal] = nodeAlertDeliveries(event, routes, 1_500, newId);
    assert.deepEqual([normal?.status, normal?.reason], ['pending', 'node-missing']);
    const [silenced] = nodeAlertDeliveries(event, routes, 1_500, newId, undefined, {
      id: 'mw-1',
      name: 'upgrade',
    });
    assert.deepEqual([silenced?.status, silenced?.reason], ['suppressed', 'maintenance']);
  });
});
