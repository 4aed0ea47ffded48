import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { RecordedResult } from '../../domain/check-result.ts';
import { silentLogger } from '../../observability/logger.ts';
import { capturedLogger } from '../../../test/helpers/captured-logger.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import type { Outbox } from './outbox.ts';
import { openOutbox } from './outbox.ts';
import { createOutboxWriter } from './outbox-writer.ts';

// Issue #15: an agent whose disk was full dropped each batch and logged it on every flush.
// Now the batch is held in memory (bounded) and retried, and the failure is logged once a
// minute with the repeats counted.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-outbox-writer-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
let seq = 0;

function result(checkedAt: number): RecordedResult {
  seq++;
  return {
    id: `res_${seq}`,
    monitorId: 'mon_a',
    nodeId: 'node_a',
    checkedAt,
    status: 'up',
    latencyMs: 3,
    timings: {},
    message: 'connected',
    details: {},
  };
}

/** A real SQLite outbox whose writes fail the way better-sqlite3 does on a full disk. */
function diskThatFills(): { outbox: Outbox; full: { now: boolean } } {
  const outbox = openOutbox({
    file: path.join(dir, `outbox-${files++}.db`),
    maxResults: 1_000_000,
    logger: silentLogger(),
  });
  const full = { now: false };
  const failing: Outbox = {
    ...outbox,
    append(results) {
      if (full.now)
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      outbox.append(results);
    },
  };
  return { outbox: failing, full };
}

function stored(outbox: Outbox): string[] {
  return (outbox.read(0, 1_000_000)?.results ?? []).map((r) => r.id);
}

describe('outbox writer on a disk that fills', () => {
  it('holds results while writes fail, logs once a minute, and writes them all once it recovers', async () => {
    const clock = new FakeClock();
    const { outbox, full } = diskThatFills();
    const { logger, lines } = capturedLogger();
    let written = 0;
    const writer = createOutboxWriter({
      outbox,
      clock,
      logger,
      flushIntervalMs: 200,
      onWritten: (count) => (written += count),
    });
    const produced: string[] = [];
    const produce = (): void => {
      const r = result(clock.now());
      produced.push(r.id);
      writer.add(r);
    };

    produce();
    await clock.advance(1_000);
    assert.equal(written, 1);
    full.now = true;
    // Ten minutes of a check a second: about 600 failed writes.
    for (let s = 0; s < 600; s++) {
      produce();
      await clock.advance(1_000);
    }
    const failures = lines.filter((l) => String(l['msg']).startsWith('writing results'));
    assert.ok(failures.length >= 10 && failures.length <= 11, `${failures.length} lines`);
    assert.ok(
      failures.slice(1).every((l) => Number(l['suppressedRepeats']) > 0),
      'each later line counts the repeats it stands for',
    );
    assert.equal(failures[0]?.['storageFull'], true);
    assert.equal(writer.held(), 600);
    assert.equal(writer.dropped(), 0);
    assert.equal(stored(outbox).length, 1);

    full.now = false;
    await clock.advance(2_000);
    assert.equal(writer.held(), 0);
    assert.deepEqual(stored(outbox), produced, 'every result, once, in order');
    assert.equal(written, 601);
    assert.ok(lines.some((l) => String(l['msg']).includes('works again')));
  });

  it('keeps the newest results within the memory bound and counts the oldest it drops', async () => {
    const clock = new FakeClock();
    const { outbox, full } = diskThatFills();
    const { logger, lines } = capturedLogger();
    const writer = createOutboxWriter({
      outbox,
      clock,
      logger,
      flushIntervalMs: 200,
      maxHeldResults: 50,
      onWritten: () => undefined,
    });
    full.now = true;
    const produced: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = result(clock.now());
      produced.push(r.id);
      writer.add(r);
      await clock.advance(100);
    }
    assert.ok(writer.held() <= 50);
    const logged = lines.at(-1);
    assert.equal(typeof logged?.['droppedTotal'], 'number');

    full.now = false;
    await clock.advance(2_000);
    assert.equal(writer.dropped(), 150);
    assert.deepEqual(stored(outbox), produced.slice(150), 'the newest 50 reach the outbox');
  });

  it('never holds more than its bound and accounts for every result (property)', async () => {
    const step = fc.record({
      results: fc.integer({ min: 0, max: 30 }),
      full: fc.boolean(),
      advanceMs: fc.integer({ min: 0, max: 3_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.integer({ min: 1, max: 40 }),
        async (steps, bound) => {
          const clock = new FakeClock();
          const { outbox, full } = diskThatFills();
          const writer = createOutboxWriter({
            outbox,
            clock,
            logger: silentLogger(),
            flushIntervalMs: 200,
            maxHeldResults: bound,
            onWritten: () => undefined,
          });
          let added = 0;
          for (const s of steps) {
            full.now = s.full;
            for (let i = 0; i < s.results; i++) writer.add(result(clock.now()));
            added += s.results;
            await clock.advance(s.advanceMs);
            // Within a flush interval results are only batched; after one, the bound holds.
            if (s.advanceMs >= 200) assert.ok(writer.held() <= bound, `${writer.held()} held`);
          }
          full.now = false;
          await clock.advance(2_000);
          assert.equal(writer.held(), 0);
          assert.equal(stored(outbox).length + writer.dropped(), added);
          outbox.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
