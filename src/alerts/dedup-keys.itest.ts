import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { batch, makeMonitor } from '../store/contract/fixtures.ts';
import { makeNode } from '../store/contract/cluster.ts';
import { healthAlert } from '../store/contract/node-health.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { outgoingAlert } from './outgoing.ts';
import { pendingDelivery } from './testing/memory-delivery-store.ts';

// Issue #17: when a paused old leader repeats a send, the provider must see the same dedup key
// as the new leader's send. Both read the same stored delivery, so the keys must come from the
// stored row alone — never from the process that sends. Two store handles stand for the two
// coordinators; each channel's fixture checks it puts these keys in its provider's field.

describe('provider dedup keys come from the stored delivery', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-dedup-'));
  const file = path.join(dir, 'crosscheck.db');
  const now = Date.UTC(2026, 0, 1);

  before(async () => {
    const store = await openSqliteStore({ file });
    await store.insertMonitor(makeMonitor('mon-1'));
    await store.insertNode(makeNode('n1', { state: 'online' }));
    await store.commitBatch(
      batch({ alerts: [pendingDelivery('d1', now), pendingDelivery('d2', now)] }),
    );
    await store.applyNodeHealthChange({ eventId: 'e1', nodeId: 'n1', impaired: true, at: now }, [
      { ...healthAlert('d3', 'n1', 'e1', true), nextAttemptAt: now },
    ]);
    await store.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The keys each due delivery is sent with, as a coordinator opening the database sees them. */
  async function keysSeenByACoordinator(): Promise<unknown[]> {
    const store = await openSqliteStore({ file });
    try {
      const due = await store.dueAlertDeliveries(now + 60_000, 10);
      return due.map((delivery) => {
        const alert = outgoingAlert(delivery, null);
        return { id: delivery.id, dedupKey: alert.dedupKey, idempotencyKey: alert.idempotencyKey };
      });
    } finally {
      await store.close();
    }
  }

  it('gives the same keys to every coordinator that sends the delivery', async () => {
    const oldLeader = await keysSeenByACoordinator();
    const newLeader = await keysSeenByACoordinator();
    assert.equal(oldLeader.length, 3);
    assert.deepEqual(newLeader, oldLeader);
  });

  it('names the incident (or node trouble) in the dedup key and the delivery in the idempotency key', async () => {
    assert.deepEqual(await keysSeenByACoordinator(), [
      { id: 'd1', dedupKey: 'crosscheck-mon-1-inc-1', idempotencyKey: 'mon-1:inc-1:down:d1' },
      { id: 'd2', dedupKey: 'crosscheck-mon-1-inc-1', idempotencyKey: 'mon-1:inc-1:down:d2' },
      {
        id: 'd3',
        dedupKey: 'crosscheck-node-n1-health',
        idempotencyKey: 'node:n1:e1:impaired:0',
      },
    ]);
  });
});
