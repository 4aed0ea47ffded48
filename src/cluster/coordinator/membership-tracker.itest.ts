import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ClusterNode } from '../../domain/node.ts';
import { silentLogger } from '../../observability/logger.ts';
import { capturedLogger } from '../../../test/helpers/captured-logger.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { MembershipTracker } from './membership-tracker.ts';
import { createMembershipTracker } from './membership-tracker.ts';

const POLICY = { heartbeatMs: 1_000, graceCount: 5 };
const GRACE_MS = POLICY.heartbeatMs * POLICY.graceCount;
/** Time the restarted coordinator spends between loading members and listening (migrations…). */
const STARTUP_MS = 4_000;

function agent(id: string, lastSeen: number): ClusterNode {
  return {
    id,
    name: id,
    role: 'agent',
    region: 'eu',
    labels: {},
    version: '0.1.0',
    certSerial: `serial-${id}`,
    certNotAfter: lastSeen + 86_400_000,
    enrolledAt: lastSeen - 60_000,
    lastSeen,
    // As stored before the crash: the coordinator died while the node was online.
    state: 'online',
    stateSince: lastSeen - 30_000,
    clockOffsetMs: null,
    checksPerSecond: null,
    outboxBacklog: null,
    remoteAddress: null,
    removedAt: null,
    impairedSince: null,
  };
}

describe('membership tracker across a coordinator restart', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let tracker: MembershipTracker;
  const crashedAt = Date.UTC(2026, 0, 1);

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertNode(agent('node_back', crashedAt));
    await store.insertNode(agent('node_gone', crashedAt));
    await store.setNodeAlertRoutes([
      { channel: 'webhook', settings: { url: 'http://127.0.0.1:9/' } },
    ]);
    // Down for a minute, then restarted: members load well before the listener opens.
    clock = new FakeClock(crashedAt + 60_000);
    let ids = 0;
    tracker = createMembershipTracker({
      store,
      clock,
      logger: silentLogger(),
      policy: POLICY,
      selfId: 'node_self',
      newId: (prefix) => `${prefix}_${++ids}`,
    });
    await tracker.load();
  });
  afterEach(async () => {
    tracker.stop();
    await cleanup();
  });

  const nodeAlerts = async () =>
    (await store.listAlertDeliveries({ limit: 100 })).map((d) => d.deliveryKey).toSorted();
  const missingEvents = async (nodeId: string) =>
    (await store.listNodeEvents(nodeId, 100)).filter((e) => e.to === 'missing').length;

  it('judges nobody before the listener opens, then gives every node the full grace from listen', async () => {
    assert.deepEqual(await tracker.evaluate(), [], 'nothing is judged before start');
    await clock.advance(STARTUP_MS);
    tracker.start(clock.now());
    await clock.advance(0);
    assert.equal(tracker.state('node_back'), 'grace', 'stored online: grace, not missing');
    assert.equal(tracker.state('node_gone'), 'grace');

    // The node that comes back does so just inside the grace period counted from listen (but
    // past it counted from load, as the tracker used to): no transition to missing, no alert.
    await clock.advance(GRACE_MS - 500);
    tracker.setConnected('node_back', true);
    tracker.seen('node_back', clock.now());
    await clock.advance(POLICY.heartbeatMs);
    assert.equal(tracker.state('node_back'), 'online');
    assert.equal(await missingEvents('node_back'), 0);

    // The node that stays away is reported missing once, after the full grace since listen.
    assert.equal(tracker.state('node_gone'), 'missing');
    for (let beat = 0; beat < 3 * POLICY.graceCount; beat++) {
      tracker.seen('node_back', clock.now());
      await clock.advance(POLICY.heartbeatMs);
    }
    assert.equal(await missingEvents('node_gone'), 1);
    const alerts = await nodeAlerts();
    assert.equal(alerts.length, 1, `one node alert: ${alerts.join(', ')}`);
    assert.match(alerts[0] ?? '', /^node:node_gone:.*:missing:inline:nodes:0$/);
  });

  it('a node still in grace at listen + grace - 1 ms is not paged', async () => {
    await clock.advance(STARTUP_MS);
    tracker.start(clock.now());
    await clock.advance(GRACE_MS - 1);
    assert.equal(tracker.state('node_gone'), 'grace');
    assert.deepEqual(await nodeAlerts(), []);
  });

  it('stops judging, after one warning, once its writes are refused (no longer the leader)', async () => {
    const { logger, lines } = capturedLogger();
    store.fenceLeaderWrites({ epoch: () => null });
    let ids = 0;
    const fenced = createMembershipTracker({
      store,
      clock,
      logger,
      policy: POLICY,
      selfId: 'node_self',
      newId: (prefix) => `${prefix}_${++ids}`,
    });
    await fenced.load();
    fenced.start(clock.now());
    for (let beat = 0; beat < 3 * POLICY.graceCount; beat++)
      await clock.advance(POLICY.heartbeatMs);
    fenced.stop();
    const refused = lines.filter((l) => String(l['msg']).startsWith('not the leader any more'));
    assert.equal(refused.length, 1, 'said once, not on every tick');
    assert.equal(refused[0]?.['level'], 40);
    assert.deepEqual(
      lines.filter((l) => Number(l['level']) >= 50),
      [],
    );
    assert.equal(await missingEvents('node_gone'), 0);
    assert.deepEqual(await nodeAlerts(), []);
  });
});
