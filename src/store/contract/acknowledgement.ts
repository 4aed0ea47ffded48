// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import {
  HOUR,
  MINUTE,
  T0,
  batch,
  makeIncident,
  makeMonitor,
  rejectsWithCode,
  withStore,
} from './fixtures.ts';

/** Incident acknowledgement: who and when, first one kept, open incidents only. */
export function acknowledgementContract(makeStore: MakeStore): void {
  it('records who acknowledged an open incident, when, and the note', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      assert.equal((await store.getIncident('inc-1'))?.acknowledgement, null);

      const first = { at: T0 + MINUTE, by: 'alice', note: 'looking at the load balancer' };
      const acked = await store.acknowledgeIncident('inc-1', first);
      assert.deepEqual(acked.acknowledgement, first);
      assert.deepEqual((await store.getIncident('inc-1'))?.acknowledgement, first);
      assert.deepEqual((await store.listIncidents())[0]?.acknowledgement, first);
    }));

  it('keeps the first time and author; a later note replaces the note, none keeps it', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      await store.acknowledgeIncident('inc-1', { at: T0 + MINUTE, by: 'alice', note: null });
      const again = await store.acknowledgeIncident('inc-1', {
        at: T0 + 2 * MINUTE,
        by: 'bob',
        note: 'failover started',
      });
      assert.deepEqual(again.acknowledgement, {
        at: T0 + MINUTE,
        by: 'alice',
        note: 'failover started',
      });
      const replay = await store.acknowledgeIncident('inc-1', {
        at: T0 + 3 * MINUTE,
        by: 'bob',
        note: null,
      });
      assert.deepEqual(replay.acknowledgement, again.acknowledgement, 'idempotent');
    }));

  it('refuses a resolved incident (CONFLICT) and an unknown one (NOT_FOUND)', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
          incidentsResolved: [
            { id: 'inc-1', endedAt: T0 + HOUR, resolvedAt: T0 + HOUR, durationMs: HOUR },
          ],
        }),
      );
      const ack = { at: T0 + 2 * HOUR, by: 'alice', note: null };
      await rejectsWithCode(store.acknowledgeIncident('inc-1', ack), 'CONFLICT');
      assert.equal((await store.getIncident('inc-1'))?.acknowledgement, null);
      await rejectsWithCode(store.acknowledgeIncident('missing', ack), 'NOT_FOUND');
    }));

  it('keeps the acknowledgement when the incident resolves later', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      const ack = { at: T0 + MINUTE, by: 'alice', note: 'on it' };
      await store.acknowledgeIncident('inc-1', ack);
      await store.commitBatch(
        batch({
          incidentsResolved: [
            { id: 'inc-1', endedAt: T0 + HOUR, resolvedAt: T0 + HOUR, durationMs: HOUR },
          ],
        }),
      );
      const resolved = await store.getIncident('inc-1');
      assert.equal(resolved?.status, 'resolved');
      assert.deepEqual(resolved.acknowledgement, ack);
    }));
}
