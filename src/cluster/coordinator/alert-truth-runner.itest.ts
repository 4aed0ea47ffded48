import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Ingestor } from './ingest.ts';
import type { CheckStatus } from '../../domain/check-result.ts';
import type { VoteReply } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { newId } from '../../lib/ids.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { ImpairmentTransition } from '../../consensus/impairment.ts';
import { createConsensusRunner } from './consensus-runner.ts';
import { startTestIngestor, testRunnerDeps, voteEvidence } from './testing/runner-fixture.ts';
import type { ConsensusRunner } from './consensus-runner.ts';

// Alert truth through the runner, the real ingest pipeline and real SQLite on a fake clock:
// three of four nodes lose their own uplink (the target is fine). Their records (every node's
// results, as the coordinator stores them) set their failing votes aside at vote time, and an
// incident they confirmed before the coordinator could tell is retracted, its page followed by
// a `retracted` alert on the same route.

const NODES = ['coord', 'a1', 'a2', 'a3'].map((id) => ({ id, name: id, region: 'us', labels: {} }));
const BROKEN = ['a1', 'a2', 'a3'];
const MONITORS = ['mon_1', 'mon_2', 'mon_3'];

const evidence = voteEvidence;

describe('alert truth: nodes losing their uplink at once (runner, ingest, SQLite)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;
  let ingestor: Ingestor;
  let runner: ConsensusRunner;
  let monitors: Map<string, Monitor>;
  let requests: { nodeId: string; roundId: string; monitorId: string }[];
  let health: ImpairmentTransition[];

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock();
    monitors = new Map();
    for (const id of MONITORS) {
      const monitor = makeMonitor(id, {
        intervalMs: 1_000,
        timeoutMs: 1_000,
        alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/hook' } }],
      });
      monitors.set(id, monitor);
      await store.insertMonitor(monitor);
    }
    requests = [];
    health = [];
    ingestor = await startTestIngestor({
      store,
      clock,
      monitors,
      onAccepted: (result) => runner.observeResult(result),
    });
    runner = createConsensusRunner(
      testRunnerDeps({
        clock,
        monitors: () => monitors,
        nodes: () => NODES,
        ingestor,
        requestVote: (nodeId, request) => requests.push({ nodeId, ...request }),
        onNodeHealth: (transition) => health.push(transition),
        settleMs: 0,
      }),
    );
    runner.start();
  });
  afterEach(async () => {
    runner.stop();
    await ingestor.stop();
    await cleanup();
  });

  /** Every node checks the monitors once: the broken ones fail, the others pass. */
  function checkRound(monitorIds = MONITORS, broken = BROKEN): void {
    for (const nodeId of NODES.map((n) => n.id)) {
      for (const monitorId of monitorIds) {
        const status: CheckStatus = broken.includes(nodeId) ? 'down' : 'up';
        ingestor.submit({
          id: newId('res'),
          monitorId,
          nodeId,
          checkedAt: clock.now(),
          status,
          latencyMs: 4,
          timings: {},
          message: status,
          details: {},
          ...(status === 'down' ? { errorKind: 'timeout' as const } : {}),
        });
      }
    }
  }

  function suspect(nodeId: string, monitorId: string): void {
    runner.signal(nodeId, {
      monitorId,
      kind: 'suspect',
      since: clock.now() - 2_000,
      evidence: evidence(true, clock.now()),
      canariesFailing: false,
    });
  }

  function answerAll(): void {
    const roundId = requests.at(-1)?.roundId;
    for (const request of requests.filter((q) => q.roundId === roundId)) {
      const failing = BROKEN.includes(request.nodeId);
      const reply: VoteReply = {
        outcome: failing ? 'fail' : 'ok',
        evidence: evidence(failing, clock.now()),
        canariesFailing: false,
      };
      runner.vote(request.nodeId, request.roundId, request.monitorId, reply);
    }
  }

  it('with their records in, their reports start no round and nothing pages', async () => {
    checkRound();
    await clock.advance(1_000);
    checkRound();
    for (const nodeId of BROKEN) suspect(nodeId, 'mon_1');
    assert.deepEqual(requests, [], 'nodes failing everything others see up start nothing');
    await clock.advance(0);
    await ingestor.flush();
    assert.deepEqual(await store.listIncidents({}), []);
    assert.deepEqual(await store.listAlertDeliveries({}), []);
    // Not invisible either: each is reported impaired once (a node alert, not a monitor page).
    await clock.advance(1_000);
    assert.deepEqual(health.map((h) => `${h.nodeId}:${h.impaired}`).sort(), [
      'a1:true',
      'a2:true',
      'a3:true',
    ]);
  });

  it('one node failing its monitors one after another is reported impaired once the third fails', async () => {
    checkRound(['mon_1', 'mon_2'], ['a1']);
    await clock.advance(1_000);
    assert.equal(health.length, 0, 'two contradicted monitors are not yet impairment');
    checkRound(['mon_3'], ['a1']);
    await clock.advance(1_000);
    assert.deepEqual(
      health.map((h) => `${h.nodeId}:${h.impaired}:${h.monitors.length}`),
      ['a1:true:3'],
    );
    await clock.advance(5_000);
    assert.equal(health.length, 1, 'reported once');
  });

  it('an incident confirmed before their records arrived is retracted, and its page followed', async () => {
    suspect('a1', 'mon_1');
    answerAll();
    await clock.advance(0);
    await ingestor.flush();
    const [incident] = await store.listIncidents({ active: true });
    assert.ok(incident !== undefined, 'the stale votes did confirm it (the hole being closed)');
    // Their results arrive: each fails every monitor the coordinator sees up.
    checkRound();
    requests = [];
    await clock.advance(1_000);
    assert.deepEqual(
      requests.map((q) => q.nodeId).sort(),
      ['a1', 'a2', 'a3', 'coord'],
      'a reconfirm round asks everyone afresh',
    );
    answerAll();
    await clock.advance(0);
    await ingestor.flush();
    const retracted = await store.getIncident(incident.id);
    assert.equal(retracted?.status, 'retracted');
    assert.match(retracted?.retraction ?? '', /a1 set aside \(vantage\)/);
    const deliveries = await store.listAlertDeliveries({ incidentId: incident.id });
    const down = deliveries.find((d) => d.event.kind === 'down');
    const closing = deliveries.find((d) => d.event.kind === 'retracted');
    assert.equal(closing?.followsId, down?.id, 'the retraction follows the page on its route');
    assert.match(closing?.event.message ?? '', /^Retracted — not confirmed/);
    assert.equal(ingestor.state('mon_1').openIncident, null);
  });
});
