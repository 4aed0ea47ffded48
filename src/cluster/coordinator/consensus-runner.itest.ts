import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Ingestor } from './ingest.ts';
import type { VoteReply } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { makeMonitor, makeResult } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { ImpairmentTransition } from '../../consensus/impairment.ts';
import { createConsensusRunner } from './consensus-runner.ts';
import { startTestIngestor, testRunnerDeps, voteEvidence } from './testing/runner-fixture.ts';
import type { ConsensusRunner } from './consensus-runner.ts';

// The runner around the real core, the real ingest pipeline and real SQLite, on a fake clock:
// vote requests are recorded instead of sent, answers are fed back by the test.

const NODES = [
  { id: 'coord', name: 'coord', region: 'us', labels: {} },
  { id: 'a1', name: 'a1', region: 'eu', labels: {} },
  { id: 'a2', name: 'a2', region: 'eu', labels: {} },
];

const evidence = voteEvidence;

describe('consensus runner over the real ingest pipeline and SQLite', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let ingestor: Ingestor;
  let monitors: Map<string, Monitor>;
  let requests: { nodeId: string; roundId: string; monitorId: string }[];
  let health: ImpairmentTransition[];
  let runners: ConsensusRunner[];

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    monitors = new Map();
    for (const id of ['mon_1', 'mon_2', 'mon_3']) {
      const monitor = makeMonitor(id, {
        intervalMs: 10_000,
        timeoutMs: 1_000,
        alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/hook' } }],
      });
      monitors.set(id, monitor);
      await store.insertMonitor(monitor);
    }
    requests = [];
    health = [];
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

  function runner(): ConsensusRunner {
    const created = createConsensusRunner(
      testRunnerDeps({
        clock,
        monitors: () => monitors,
        nodes: () => NODES,
        ingestor,
        requestVote: (nodeId, request) => requests.push({ nodeId, ...request }),
        onNodeHealth: (transition) => health.push(transition),
      }),
    );
    created.start();
    runners.push(created);
    return created;
  }

  function answer(r: ConsensusRunner, nodeId: string, failing: boolean): void {
    const request = requests.filter((q) => q.nodeId === nodeId).at(-1);
    assert.ok(request, `a vote was asked of ${nodeId}`);
    const reply: VoteReply = {
      outcome: failing ? 'fail' : 'ok',
      evidence: evidence(failing, clock.now()),
      canariesFailing: false,
    };
    r.vote(nodeId, request.roundId, request.monitorId, reply);
  }

  function suspect(r: ConsensusRunner, nodeId: string, monitorId: string): void {
    r.signal(nodeId, {
      monitorId,
      kind: 'suspect',
      since: clock.now() - 10_000,
      evidence: evidence(true, clock.now()),
      canariesFailing: false,
    });
  }

  it('a suspect report asks the others; their failures open one incident, stored with its round and alert', async () => {
    const r = runner();
    suspect(r, 'a1', 'mon_1');
    assert.deepEqual(
      requests.map((q) => q.nodeId),
      ['coord', 'a2'],
    );
    answer(r, 'coord', true);
    answer(r, 'a2', true);
    await clock.advance(0);
    await ingestor.flush();
    const [incident] = await store.listIncidents({ active: true });
    assert.equal(incident?.verdict, 'down');
    const [round] = await store.listRounds({ incidentId: incident?.id ?? '' });
    assert.deepEqual(
      round?.votes.map((v) => `${v.nodeId}:${v.outcome}`),
      ['a1:fail', 'a2:fail', 'coord:fail'],
    );
    const deliveries = await store.listAlertDeliveries({ monitorId: 'mon_1' });
    assert.deepEqual(
      deliveries.map((d) => d.event.kind),
      ['down'],
    );
    assert.equal(ingestor.state('mon_1').status, 'down');
  });

  it('after a restart the open incident is rechecked (not at once) and resolves with one recovery alert', async () => {
    const first = runner();
    suspect(first, 'a1', 'mon_1');
    answer(first, 'coord', true);
    answer(first, 'a2', true);
    await clock.advance(0);
    first.stop();
    await ingestor.stop();

    ingestor = await startIngestor();
    requests = [];
    const second = runner();
    await clock.advance(5_000);
    assert.equal(requests.length, 0, 'nodes get time to reconnect before any recheck');
    // The recheck comes one period (60 s) after the last verdict; its deadline 3 s later.
    await clock.advance(56_000);
    assert.deepEqual(requests.map((q) => q.nodeId).sort(), ['a1', 'a2', 'coord']);
    for (const nodeId of ['coord', 'a1', 'a2']) answer(second, nodeId, false);
    await clock.advance(0);
    await ingestor.flush();
    const incidents = await store.listIncidents({});
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]?.status, 'resolved');
    const kinds = (await store.listAlertDeliveries({ monitorId: 'mon_1' })).map(
      (d) => d.event.kind,
    );
    assert.deepEqual(kinds.sort(), ['down', 'recovered']);
  });

  it("links a child to its parent's stored incident, and a stored circle of dependencies ends", async () => {
    // A circle written past the checks (they refuse one): telling dependents must still end.
    for (const [id, parent] of [
      ['mon_1', 'mon_2'],
      ['mon_2', 'mon_1'],
    ] as const) {
      const monitor = monitors.get(id);
      assert.ok(monitor);
      monitors.set(id, { ...monitor, dependsOn: [parent] });
    }
    const r = runner();
    suspect(r, 'a1', 'mon_1');
    answer(r, 'coord', true);
    answer(r, 'a2', true);
    suspect(r, 'a1', 'mon_2');
    answer(r, 'coord', true);
    answer(r, 'a2', true);
    await clock.advance(0);
    await ingestor.flush();
    const incidents = await store.listIncidents({ active: true });
    const parent = incidents.find((i) => i.monitorId === 'mon_1');
    const child = incidents.find((i) => i.monitorId === 'mon_2');
    assert.equal(parent?.causedBy, null, 'the first confirmed pages on its own');
    assert.equal(child?.causedBy?.incidentId, parent?.id);
    const pages = await store.listAlertDeliveries({ monitorId: 'mon_2' });
    assert.deepEqual(
      pages.map((d) => `${d.event.kind}:${d.status}:${d.reason ?? ''}`),
      ['down:suppressed:dependency-down'],
    );
  });

  it('the vantage rule: a node failing alone is impaired; a whole region failing together is not', async () => {
    const r = runner();
    const results = (nodeId: string, status: 'up' | 'down') => {
      for (const monitorId of ['mon_1', 'mon_2', 'mon_3'])
        r.observeResult({ ...makeResult(monitorId, clock.now(), status), nodeId });
    };
    // Both eu nodes fail everything while the coordinator (us) sees it up: eu lost its reach.
    results('coord', 'up');
    results('a1', 'down');
    results('a2', 'down');
    await clock.advance(12_000);
    assert.equal(health.length, 0, 'the region agrees with itself: no node is impaired');
    // a2 sees them up again: a1 now fails alone, its own trouble.
    results('a2', 'up');
    results('a1', 'down');
    await clock.advance(3_000);
    assert.deepEqual(
      health.map((h) => `${h.nodeId}:${h.impaired}`),
      ['a1:true'],
    );
  });

  it('a runner just started judges no node before the others reported: a real outage is no vantage failure', async () => {
    // A new leader after a failover: only a1 has reconnected and replayed its failing results.
    const r = runner();
    for (const monitorId of ['mon_1', 'mon_2', 'mon_3'])
      r.observeResult({ ...makeResult(monitorId, clock.now(), 'down'), nodeId: 'a1' });
    await clock.advance(3_000);
    assert.deepEqual(health, [], 'nodes not heard from yet are no witnesses that it is up');
    // The others reconnect within the settle time and see the same outage.
    for (const nodeId of ['a2', 'coord'])
      for (const monitorId of ['mon_1', 'mon_2', 'mon_3'])
        r.observeResult({ ...makeResult(monitorId, clock.now(), 'down'), nodeId });
    await clock.advance(10_000);
    assert.deepEqual(health, [], 'an outage every node sees sets no node aside');
  });

  it('a node that fails alone on three monitors is reported impaired once; its recovery report clears it', async () => {
    const r = runner();
    for (const monitorId of ['mon_1', 'mon_2', 'mon_3']) {
      suspect(r, 'a1', monitorId);
      answer(r, 'coord', false);
      answer(r, 'a2', false);
    }
    assert.deepEqual(
      health.map((h) => `${h.nodeId}:${h.impaired}`),
      ['a1:true'],
    );
    assert.equal(r.impaired('a1'), true);
    await clock.advance(0);
    await ingestor.flush();
    assert.deepEqual(await store.listIncidents({}), []);
    // A reconnect whose failing set no longer lists them counts as recoveries.
    r.views('a1', [], false);
    assert.deepEqual(
      health.map((h) => `${h.nodeId}:${h.impaired}`),
      ['a1:true', 'a1:false'],
    );
  });
});
