import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import pg from 'pg';
import { waitUntil } from '../../../test/helpers/lease-lab.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import { silentLogger } from '../../observability/logger.ts';
import { busApplicationName } from './listen-connection.ts';
import type { BusMessage } from './messages.ts';
import { emptyBatchCommitted } from './messages.ts';
import type { PostgresBusOptions } from './postgres-bus.ts';
import { BUS_CHANNEL, createPostgresBus } from './postgres-bus.ts';
import type { ClusterBus } from './types.ts';

// Two coordinators' buses on one real PostgreSQL database, plus a plain session listening on
// the channel to count what actually went over the wire.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

void describe('cluster bus on PostgreSQL', { skip, timeout: 120_000 }, () => {
  let server: TestPostgres;
  let database: { url: string; drop(): Promise<void> };
  let wire: pg.Client;
  const payloads: string[] = [];
  const buses: ClusterBus[] = [];

  async function bus(
    nodeId: string,
    options: Partial<PostgresBusOptions> = {},
  ): Promise<{ bus: ClusterBus; heard: BusMessage[] }> {
    const made = createPostgresBus({
      target: { url: database.url },
      nodeId,
      logger: silentLogger(),
      backoff: { firstMs: 50, maxMs: 500 },
      ...options,
    });
    const heard: BusMessage[] = [];
    made.subscribe((message) => heard.push(message));
    await made.start();
    buses.push(made);
    return { bus: made, heard };
  }

  before(async () => {
    server = await startPostgres();
    database = await createTestDatabase(server, 'bus_test');
    wire = new pg.Client({ connectionString: database.url });
    await wire.connect();
    wire.on('notification', (message) => payloads.push(message.payload ?? ''));
    await wire.query(`listen ${BUS_CHANNEL}`);
  });

  afterEach(async () => {
    for (const made of buses.splice(0)) await made.stop();
    payloads.length = 0;
  });

  after(async () => {
    await wire.end();
    await database.drop();
    await server.stop();
  });

  it('delivers to the other coordinator and never back to the sender', async () => {
    const a = await bus('coord-a');
    const b = await bus('coord-b');
    a.bus.publish({ type: 'monitor-changed', upserted: ['m1'], removed: ['m0'] });
    b.bus.publish({ type: 'maintenance-changed' });
    await waitUntil(() => b.heard.length === 1 && a.heard.length === 1, 10_000, 'delivery');
    assert.deepEqual(b.heard, [
      { type: 'monitor-changed', upserted: ['m1'], removed: ['m0'], v: 1, origin: 'coord-a' },
    ]);
    assert.deepEqual(a.heard, [{ type: 'maintenance-changed', v: 1, origin: 'coord-b' }]);
    // Each went over the wire once and came back to its sender's session too: it was dropped.
    await waitUntil(() => payloads.length === 2, 10_000, 'both on the wire');
  });

  it('drops a payload that is not a message, and keeps listening', async () => {
    const b = await bus('coord-b');
    await wire.query('select pg_notify($1, $2)', [BUS_CHANNEL, '{"v":1,"origin":"x","type":"?"}']);
    await wire.query('select pg_notify($1, $2)', [BUS_CHANNEL, 'not json']);
    await wire.query('select pg_notify($1, $2)', [
      BUS_CHANNEL,
      JSON.stringify({ type: 'maintenance-changed', v: 1, origin: 'coord-x' }),
    ]);
    await waitUntil(() => b.heard.length === 1, 10_000, 'the valid message');
    assert.equal(b.bus.stats().dropped, 2);
    assert.equal(b.heard[0]?.origin, 'coord-x');
  });

  it('brings a batch for 5,000 monitors complete, in notifications under 8000 bytes', async () => {
    const a = await bus('coord-a', { coalesceMs: 20 });
    const b = await bus('coord-b');
    const ids = Array.from({ length: 5_000 }, (_, n) => `mon_${n.toString(36).padStart(8, '0')}`);
    a.bus.publish({ ...emptyBatchCommitted(), states: ids });
    const received = () =>
      b.heard.flatMap((m) => (m.type === 'batch-committed' ? m.states : [])).length;
    await waitUntil(() => received() === ids.length, 20_000, 'every id');
    const states = b.heard.flatMap((m) => (m.type === 'batch-committed' ? m.states : []));
    assert.deepEqual(states, ids);
    assert.ok(b.heard.length > 1, `${b.heard.length} notifications`);
    for (const payload of payloads) assert.ok(Buffer.byteLength(payload) < 8_000);
  });

  it('coalesces a burst of 1,000 committed batches into a few notifications', async () => {
    const a = await bus('coord-a');
    const b = await bus('coord-b');
    for (let n = 0; n < 1_000; n++)
      a.bus.publish({
        ...emptyBatchCommitted(),
        results: [[`r${n}`, `m${n % 50}`, 'coord-a', 'up', 12, 1_000 + n]],
        states: [`m${n % 50}`],
      });
    const results = () =>
      b.heard.flatMap((m) => (m.type === 'batch-committed' ? m.results : [])).length;
    await waitUntil(() => results() === 1_000, 20_000, 'every result');
    assert.ok(payloads.length <= 10, `${payloads.length} notifications for 1,000 batches`);
    const heard = b.heard.flatMap((m) => (m.type === 'batch-committed' ? m.results : []));
    assert.deepEqual(
      heard.map((r) => r[0]),
      Array.from({ length: 1_000 }, (_, n) => `r${n}`),
    );
    const states = new Set(b.heard.flatMap((m) => (m.type === 'batch-committed' ? m.states : [])));
    assert.equal(states.size, 50);
  });

  it('reconnects a killed listening session and tells its coordinator to resync', async () => {
    const a = await bus('coord-a');
    const b = await bus('coord-b');
    const { rows } = await wire.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1',
      [busApplicationName('coord-b')],
    );
    assert.equal(rows.length, 1);
    await wire.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
    await waitUntil(() => b.heard.some((m) => m.type === 'resync'), 20_000, 'resync');
    assert.deepEqual(b.heard[0], {
      type: 'resync',
      reason: 'reconnected',
      v: 1,
      origin: 'coord-b',
    });
    assert.equal(b.bus.stats().reconnects, 1);
    // Listening again: what the other sends now arrives.
    a.bus.publish({ type: 'maintenance-changed' });
    await waitUntil(() => b.heard.length === 2, 10_000, 'a message after the reconnect');
  });

  it('keeps what it publishes while its session is down, and sends it once back', async () => {
    const a = await bus('coord-a', { backoff: { firstMs: 1_000, maxMs: 1_000 } });
    const b = await bus('coord-b');
    const { rows } = await wire.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1',
      [busApplicationName('coord-a')],
    );
    await wire.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
    await waitUntil(() => !a.bus.stats().listening, 10_000, 'the session noticed lost');
    a.bus.publish({ type: 'monitor-changed', upserted: ['m9'], removed: [] });
    await waitUntil(() => b.heard.length === 1, 20_000, 'the waiting message');
    assert.deepEqual(b.heard, [
      { type: 'monitor-changed', upserted: ['m9'], removed: [], v: 1, origin: 'coord-a' },
    ]);
    assert.equal(a.bus.stats().reconnects, 1);
  });

  it('tells the others to resync when it had to leave something out', async () => {
    const a = await bus('coord-a', { maxPayloadBytes: 300 });
    const b = await bus('coord-b');
    // The second id cannot fit a 300-byte payload even alone.
    a.bus.publish({ type: 'monitor-changed', upserted: ['m1', 'm'.repeat(400)], removed: [] });
    await waitUntil(() => b.heard.length === 2, 10_000, 'the resync and the part that fit');
    assert.deepEqual(
      b.heard.map((m) => m.type),
      ['resync', 'monitor-changed'],
    );
    assert.deepEqual(b.heard[0], {
      type: 'resync',
      reason: 'lost-messages',
      v: 1,
      origin: 'coord-a',
    });
    assert.equal(a.bus.stats().dropped, 1);
  });
});
