// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import { isAppError } from '../../lib/errors.ts';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  MINUTE,
  T0,
  batch,
  makeIncident,
  makeMonitor,
  makeResult,
  withStore,
} from './fixtures.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

/** A failed browser result with a screenshot (or only console errors). */
function failed(
  monitorId: string,
  checkedAt: number,
  id: string,
  screenshot = true,
): RecordedResult {
  return {
    ...makeResult(monitorId, checkedAt, 'down', 50, id),
    errorKind: 'assertion',
    evidence: {
      consoleErrors: [`error at ${id}`],
      ...(screenshot ? { screenshotJpeg: JPEG.toString('base64') } : {}),
    },
  };
}

/** Browser evidence: kept with the incident it belongs to, capped, pruned with it. */
export function evidenceContract(makeStore: MakeStore): void {
  it('lists the evidence of an incident, from shortly before its start to its end', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const start = T0 + DAY;
      await store.commitBatch(
        batch({
          results: [
            failed('m1', start - 2 * MINUTE, 'before', true),
            failed('m1', start + MINUTE, 'during', false),
            failed('m1', start - DAY / 2, 'long-before', true),
          ],
          incidentsOpened: [makeIncident('inc-1', 'm1', start)],
        }),
      );
      const entries = await store.incidentEvidence('inc-1', start + 10 * MINUTE);
      assert.deepEqual(
        entries.map((e) => [e.resultId, e.screenshotBytes, e.consoleErrors]),
        [
          ['during', 0, ['error at during']],
          ['before', JPEG.length, ['error at before']],
        ],
      );
      assert.equal(entries[0]?.nodeId, 'node-a');
      const image = await store.evidenceScreenshot('inc-1', 'before', start + 10 * MINUTE);
      assert.deepEqual(Buffer.from(image ?? []), JPEG);
      assert.equal(await store.evidenceScreenshot('inc-1', 'long-before', start), undefined);
      assert.equal(await store.evidenceScreenshot('inc-404', 'before', start), undefined);
      await assert.rejects(
        store.incidentEvidence('inc-404', start),
        (error) => isAppError(error) && error.code === 'NOT_FOUND',
      );
    }));

  it('keeps at most 20 per monitor, the newest', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-1', 'm1', T0)] }));
      for (let i = 0; i < 25; i++)
        await store.commitBatch(batch({ results: [failed('m1', T0 + i * MINUTE, `r${i}`)] }));
      const entries = await store.incidentEvidence('inc-1', T0 + DAY);
      assert.equal(entries.length, 20);
      assert.equal(entries[0]?.resultId, 'r24');
      assert.equal(entries.at(-1)?.resultId, 'r5');
    }));

  it('prune drops old evidence of no incident and keeps an incident’s', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: [
            failed('m1', T0, 'in-incident'),
            failed('m1', T0 + 3 * DAY, 'stray-old'),
            failed('m1', T0 + 9 * DAY, 'stray-new'),
          ],
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
        }),
      );
      await store.commitBatch(
        batch({
          incidentsResolved: [
            { id: 'inc-1', endedAt: T0 + DAY, resolvedAt: T0 + DAY, durationMs: DAY },
          ],
        }),
      );
      await store.commitBatch(
        batch({ incidentsOpened: [makeIncident('inc-2', 'm1', T0 + 9 * DAY)] }),
      );
      const retention = { rawMs: 2 * DAY, minuteMs: 4 * DAY, hourMs: 10 * DAY, dayMs: 12 * DAY };
      const counts = await store.prune(T0 + 10 * DAY, retention);
      assert.equal(counts.evidence, 1);
      const now = T0 + 10 * DAY;
      assert.deepEqual(
        (await store.incidentEvidence('inc-1', now)).map((e) => e.resultId),
        ['in-incident'],
      );
      assert.deepEqual(
        (await store.incidentEvidence('inc-2', now)).map((e) => e.resultId),
        ['stray-new'],
      );
    }));

  it('evidence goes with its monitor', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: [failed('m1', T0, 'r1')],
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
        }),
      );
      await store.deleteMonitor('m1');
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-3', 'm1', T0)] }));
      assert.deepEqual(await store.incidentEvidence('inc-3', T0 + DAY), []);
    }));
}
