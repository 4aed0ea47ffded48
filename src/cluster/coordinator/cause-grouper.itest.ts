import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AlertDelivery, MonitorAlertEvent } from '../../domain/alert.ts';
import type { VoteReply } from '../../domain/consensus.ts';
import type { GroupingSettings } from '../../domain/cause-group.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createConsensusRunner } from './consensus-runner.ts';
import type { ConsensusRunner } from './consensus-runner.ts';
import type { Ingestor } from './ingest.ts';
import { startTestIngestor, testRunnerDeps, voteEvidence } from './testing/runner-fixture.ts';

// One page per shared cause through the runner, the real ingest pipeline and real SQLite, on a
// fake clock: monitors on one host fail together, their group pages once per route, later
// members join silently, a restart resumes the group, and its recovery lists who recovered.

const NODES = [
  { id: 'coord', name: 'coord', region: 'us', labels: {} },
  { id: 'a1', name: 'a1', region: 'eu', labels: {} },
  { id: 'a2', name: 'a2', region: 'eu', labels: {} },
];
const SETTINGS: GroupingSettings = { waitMs: 30_000, windowMs: 300_000, minMonitors: 2 };
const HOOK_A = { channel: 'webhook', settings: { url: 'http://127.0.0.1:9/a' } };
const HOOK_B = { channel: 'webhook', settings: { url: 'http://127.0.0.1:9/b' } };
const HOOK_C = { channel: 'webhook', settings: { url: 'http://127.0.0.1:9/c' } };

describe('cause groups through the consensus runner and SQLite', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let ingestor: Ingestor;
  let monitors: Map<string, Monitor>;
  let requests: { nodeId: string; roundId: string; monitorId: string }[];
  let runners: ConsensusRunner[];

  async function addMonitor(id: string, overrides: Partial<Monitor>): Promise<void> {
    const monitor = makeMonitor(id, {
      name: id,
      intervalMs: 10_000,
      timeoutMs: 1_000,
      group: null,
      target: `http://db.internal:8080/${id}`,
      alerts: [HOOK_A],
      ...overrides,
    });
    monitors.set(id, monitor);
    await store.insertMonitor(monitor);
  }

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    monitors = new Map();
    for (const id of ['m1', 'm2', 'm3']) await addMonitor(id, {});
    for (const id of ['m4', 'm5']) await addMonitor(id, { alerts: [HOOK_A, HOOK_B] });
    await addMonitor('elsewhere', { target: 'http://cache.internal/x' });
    requests = [];
    runners = [];
    ingestor = await startIngestor();
  });
  afterEach(async () => {
    for (const runner of runners) runner.stop();
    await ingestor.stop();
    await cleanup();
  });

  function startIngestor(): Promise<Ingestor> {
    return startTestIngestor({ store, clock, monitors });
  }

  async function runner(): Promise<ConsensusRunner> {
    const created = createConsensusRunner(
      testRunnerDeps({
        clock,
        monitors: () => monitors,
        nodes: () => NODES,
        ingestor,
        requestVote: (nodeId, request) => requests.push({ nodeId, ...request }),
        grouping: { settings: SETTINGS, stored: await store.openCauseGroups() },
      }),
    );
    created.start();
    runners.push(created);
    return created;
  }

  function signal(r: ConsensusRunner, monitorId: string, failing: boolean): void {
    r.signal('a1', {
      monitorId,
      kind: failing ? 'suspect' : 'recovered',
      since: clock.now(),
      evidence: voteEvidence(failing, clock.now()),
      canariesFailing: false,
    });
  }

  /** The others answer the latest round asked about this monitor. */
  function answer(r: ConsensusRunner, monitorId: string, failing: boolean): void {
    for (const nodeId of ['coord', 'a2']) {
      const request = requests.filter((q) => q.nodeId === nodeId && q.monitorId === monitorId);
      const last = request.at(-1);
      assert.ok(last, `a vote on ${monitorId} was asked of ${nodeId}`);
      const reply: VoteReply = {
        outcome: failing ? 'fail' : 'ok',
        evidence: voteEvidence(failing, clock.now()),
        canariesFailing: false,
      };
      r.vote(nodeId, last.roundId, monitorId, reply);
    }
  }

  async function settle(ms = 0): Promise<void> {
    await clock.advance(ms);
    await ingestor.flush();
  }

  async function deliveries(filter: { monitorId?: string; incidentId?: string }) {
    return store.listAlertDeliveries(filter);
  }

  const summary = (list: readonly AlertDelivery[]): string[] =>
    list.map((d) => `${d.event.kind}:${d.status}:${d.reason ?? ''}`).sort();

  async function groupPages(groupId: string): Promise<AlertDelivery[]> {
    return (await deliveries({ incidentId: groupId })).filter((d) => d.monitorId === null);
  }

  it('monitors failing on one host page once per route, listing them; late members join silently; the recovery lists them', async () => {
    const r = await runner();
    await settle(11_000); // past the runner's settle time
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) signal(r, id, true);
    answer(r, 'm1', true);
    await settle();
    const [first] = await store.listIncidents({ active: true });
    assert.ok(first);
    assert.deepEqual(summary(await deliveries({ monitorId: 'm1' })), ['down:held:new-incident']);
    for (const id of ['m2', 'm3', 'm4', 'm5']) answer(r, id, true);
    await settle(1_000); // a tick: nobody is being judged any more
    const incidents = await store.listIncidents({ active: true });
    assert.equal(incidents.length, 5);
    const groupId = incidents[0]?.groupId ?? null;
    assert.ok(groupId !== null);
    assert.ok(incidents.every((i) => i.groupId === groupId));
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) {
      const own = summary(await deliveries({ monitorId: id }));
      assert.equal(own.length, id === 'm4' || id === 'm5' ? 2 : 1);
      assert.ok(own.every((d) => d === 'down:suppressed:grouped'));
    }
    const pages = await groupPages(groupId);
    assert.deepEqual(
      pages.map((d) => d.settings['url']).sort(),
      ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'],
      'one page per route of its members',
    );
    const event = pages[0]?.event as MonitorAlertEvent;
    assert.equal(event.monitor.name, '5 monitors down on db.internal');
    assert.match(event.message, /^5 monitors down on db\.internal: m1, m2, m3, m4, m5$/);
    assert.equal(event.group?.count, 5);

    // A monitor elsewhere pages on its own.
    signal(r, 'elsewhere', true);
    answer(r, 'elsewhere', true);
    await settle();
    assert.deepEqual(summary(await deliveries({ monitorId: 'elsewhere' })), [
      'down:pending:new-incident',
    ]);

    // A late member with a route the group never paged: that route alone hears the group.
    await addMonitor('m6', { alerts: [HOOK_A, HOOK_C] });
    signal(r, 'm6', true);
    answer(r, 'm6', true);
    await settle(1_000);
    assert.deepEqual(summary(await deliveries({ monitorId: 'm6' })), [
      'down:suppressed:grouped',
      'down:suppressed:grouped',
    ]);
    const after = await groupPages(groupId);
    assert.equal(after.length, 3);
    assert.deepEqual(
      after.filter((d) => d.settings['url'] === 'http://127.0.0.1:9/c').map((d) => d.event.kind),
      ['down'],
    );

    // Leaving does not page; the last one out closes the group once per route.
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) {
      signal(r, id, false);
      answer(r, id, false);
    }
    await settle();
    assert.equal((await groupPages(groupId)).length, 3, 'members leaving page nobody');
    signal(r, 'm6', false);
    answer(r, 'm6', false);
    await settle();
    const closings = (await groupPages(groupId)).filter((d) => d.event.kind === 'recovered');
    assert.equal(closings.length, 3);
    assert.ok(closings.every((d) => d.followsId !== null && d.status === 'pending'));
    assert.match(
      closings[0]?.event.message ?? '',
      /^All 6 monitors on db\.internal recovered: m1 \(down .*\), .*m6 \(down .*\)$/,
    );
    assert.deepEqual(summary(await deliveries({ monitorId: 'm1' })), [
      'down:suppressed:grouped',
      'recovered:suppressed:opening-suppressed',
    ]);
    assert.equal((await store.getCauseGroup(groupId))?.group.state, 'closed');
  });

  it('a group left open by a restart resumes: members still join it and its recovery goes out', async () => {
    const first = await runner();
    await settle(11_000);
    for (const id of ['m1', 'm2']) signal(first, id, true);
    for (const id of ['m1', 'm2']) answer(first, id, true);
    await settle(1_000);
    const [incident] = await store.listIncidents({ active: true });
    const groupId = incident?.groupId ?? null;
    assert.ok(groupId !== null);
    first.stop();
    await ingestor.stop();

    ingestor = await startIngestor();
    requests = [];
    const second = await runner();
    await settle(11_000);
    signal(second, 'm3', true);
    answer(second, 'm3', true);
    await settle(1_000);
    const m3 = (await store.listIncidents({ active: true })).find((i) => i.monitorId === 'm3');
    assert.equal(m3?.groupId, groupId, 'the resumed group takes a new member');
    for (const id of ['m1', 'm2', 'm3']) {
      signal(second, id, false);
      answer(second, id, false);
    }
    await settle();
    const closings = (await groupPages(groupId)).filter((d) => d.event.kind === 'recovered');
    assert.equal(closings.length, 1);
  });

  it('a page held for peers that then pass goes out on its own when the group stays alone', async () => {
    const r = await runner();
    await settle(11_000);
    signal(r, 'm1', true);
    signal(r, 'm2', true);
    answer(r, 'm1', true);
    await settle();
    assert.deepEqual(summary(await deliveries({ monitorId: 'm1' })), ['down:held:new-incident']);
    // m2's round finds only a1 failing it (a local matter): m2 is judged, nobody is being
    // judged any more, and the lone group dissolves at the next tick.
    answer(r, 'm2', false);
    await settle(1_000);
    assert.deepEqual(summary(await deliveries({ monitorId: 'm1' })), ['down:pending:new-incident']);
    const [incident] = await store.listIncidents({ active: true });
    const group = await store.getCauseGroup(incident?.groupId ?? '');
    assert.equal(group?.group.state, 'dissolved');
  });
});
