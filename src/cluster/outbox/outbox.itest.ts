import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import { newResultId } from '../../lib/ids.ts';
import { silentLogger } from '../../observability/logger.ts';
import { openOutbox } from './outbox.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-outbox-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function result(checkedAt: number): RecordedResult {
  return {
    id: newResultId(),
    monitorId: 'mon_a',
    nodeId: 'node_a',
    checkedAt,
    status: 'down',
    latencyMs: 3,
    timings: { connectMs: 1 },
    errorKind: 'refused',
    message: 'connection refused',
    details: { code: 'ECONNREFUSED' },
  };
}

describe('outbox', () => {
  it('keeps results across a reopen until they are acknowledged, oldest first', () => {
    const file = path.join(dir, 'a.db');
    const first = openOutbox({ file, maxResults: 100, logger: silentLogger() });
    const written = [1, 2, 3, 4, 5].map(result);
    first.append(written.slice(0, 3));
    first.append(written.slice(3));
    first.close();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    const again = openOutbox({ file, maxResults: 100, logger: silentLogger() });
    assert.equal(again.backlog(), 5);
    const batch = again.read(0, 2);
    assert.ok(batch);
    assert.deepEqual(batch.results, written.slice(0, 2));
    const rest = again.read(batch.upTo, 10);
    assert.deepEqual(rest?.results, written.slice(2));
    again.acknowledge(batch.upTo);
    assert.equal(again.backlog(), 3);
    assert.deepEqual(again.read(0, 10)?.results, written.slice(2));
    again.close();
  });

  it('drops the oldest results beyond the bound', () => {
    const outbox = openOutbox({
      file: path.join(dir, 'b.db'),
      maxResults: 3,
      logger: silentLogger(),
    });
    const written = [1, 2, 3, 4, 5].map(result);
    for (const r of written) outbox.append([r]);
    assert.equal(outbox.backlog(), 3);
    assert.equal(outbox.dropped(), 2);
    assert.deepEqual(
      outbox.read(0, 10)?.results.map((r) => r.checkedAt),
      [3, 4, 5],
    );
    outbox.close();
  });

  it('reads nothing from an empty outbox', () => {
    const outbox = openOutbox({
      file: path.join(dir, 'c.db'),
      maxResults: 3,
      logger: silentLogger(),
    });
    assert.equal(outbox.read(0, 10), undefined);
    outbox.close();
  });
});
