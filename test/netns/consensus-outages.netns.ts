// Quorum consensus through real outages (issue #4, "Real partitions"): the target's service
// stops for every node (one incident, one page, within the promised detection bound, then one
// recovery), and the coordinator is killed -9 in the middle of a confirmation round and
// restarted (still one incident, one page). One lab (see consensus-lab.ts) for both, healed and
// cleaned between them. Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { COORDINATOR } from '../helpers/cluster-lab.ts';
import { bootConsensusLab } from '../helpers/consensus-lab.ts';
import type { ConsensusLab } from '../helpers/consensus-lab.ts';
import type { IncidentView } from '../helpers/cluster-views.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import type { ReceivedRequest } from '../helpers/webhook-receiver.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;
/** After the last expected page, how long a duplicate gets to show up before we count. */
const SETTLE_MS = 4_000;

describe('quorum consensus across namespaces: outages', { skip, timeout: 240_000 }, () => {
  let lab: ConsensusLab;
  before(async () => {
    lab = await bootConsensusLab();
  });
  // A failed scenario leaves its partition behind: heal it so the next one starts clean.
  afterEach(async (t) => {
    if (!lab) return;
    // The hook's context is the test's (the types also allow a suite's, which has no `passed`).
    if ('passed' in t && !t.passed) t.diagnostic(`daemon logs and webhooks:\n${lab.diagnostics()}`);
    await lab.heal();
  });
  after(async () => {
    await lab?.cleanup();
  });

  it('the target stops: one incident with every node as evidence, one page within the bound; started again: resolved, one recovery', async (t) => {
    const policy = { intervalMs: 1_000, timeoutMs: 1_000, failureThreshold: 2 };
    const monitor = await lab.addMonitor({
      name: 's2-down',
      type: 'http',
      target: 'target',
      interval: `${policy.intervalMs / 1000}s`,
      timeout: `${policy.timeoutMs / 1000}s`,
      failureThreshold: policy.failureThreshold,
      webhook: '/s2/',
    });
    await lab.waitChecking(monitor.id);
    // The product's promise: a page within failureThreshold × interval + timeout + 2 s.
    const boundMs = policy.failureThreshold * policy.intervalMs + policy.timeoutMs + 2_000;

    const stoppedAt = Date.now();
    await lab.stopTarget('target');
    const page = await waitFor(
      () => ofKind(lab.hooks.under('/s2/'), 'down')[0],
      boundMs + 20_000,
      () => `the down webhook of s2; logs:\n${lab.diagnostics()}`,
      50,
    );
    const incident = await openIncident(lab, monitor.id);
    const pagedAfter = page.receivedAt - stoppedAt;
    t.diagnostic(
      `stop → incident confirmed ${incident.openedAt - stoppedAt} ms, → webhook ${pagedAfter} ms (bound ${boundMs} ms)`,
    );
    assert.ok(pagedAfter <= boundMs, `paged ${pagedAfter} ms after the stop; bound ${boundMs} ms`);
    assert.equal(incident.verdict, 'down');
    assert.equal((page.json as { incident?: { id?: string } }).incident?.id, incident.id);

    const detail = await lab.incident(incident.id);
    const opening = detail.evidence.find((round) => round.verdict === 'down');
    assert.ok(opening, `a down round in the evidence: ${JSON.stringify(detail.evidence)}`);
    const voters = opening.votes.filter((vote) => vote.outcome === 'fail').map((v) => v.nodeId);
    assert.deepEqual(
      voters.toSorted(),
      Object.values(lab.nodeIds).toSorted(),
      `every node voted fail: ${JSON.stringify(opening.votes)}`,
    );

    await lab.startTarget('target');
    await resolved(lab, incident.id);
    await waitFor(
      () => ofKind(lab.hooks.under('/s2/'), 'recovered')[0],
      15_000,
      () => `the recovery webhook of s2; logs:\n${lab.diagnostics()}`,
      200,
    );
    await delay(SETTLE_MS);
    assertOnePagePerTransition(lab.hooks.under('/s2/'));
    assert.equal((await lab.incidents(monitor.id)).length, 1, 'exactly one incident');
    await lab.deleteMonitor(monitor.id);
  });

  it('the coordinator is killed -9 in the middle of a round (and again during the incident) and restarted: still one incident, one page each way', async (t) => {
    // A hanging target (dropped SYNs) keeps every check, and so the round, open for the timeout.
    const monitor = await lab.addMonitor({
      name: 's4-kill',
      type: 'http',
      target: 'target',
      // 5 s keeps the round open long enough for the kill to land inside it on a loaded machine.
      interval: '5s',
      timeout: '5s',
      webhook: '/s4/',
    });
    await lab.waitChecking(monitor.id);
    const killed = lab.cluster.node(COORDINATOR).process;

    await lab.ports.drop('target', lab.target('target').httpPort);
    const droppedAt = Date.now();
    const opened = await waitFor(
      () =>
        lab
          .logLines(killed)
          .find(
            (line) => line.msg === 'confirmation round opened' && line.monitorId === monitor.id,
          ),
      30_000,
      () => `a round of s4 to open; logs:\n${lab.diagnostics()}`,
      20,
    );
    await lab.cluster.stopNode(COORDINATOR, 'SIGKILL');
    const killedAt = Date.now();
    const decidedBeforeKill = lab
      .logLines(killed)
      .filter((line) => line.msg === 'confirmation round decided' && line.monitorId === monitor.id);
    assert.deepEqual(decidedBeforeKill, [], 'the kill landed while the round was open');
    t.diagnostic(
      `round ${String(opened.roundId)} open; killed ${killedAt - droppedAt} ms after the drop`,
    );

    await lab.cluster.startNode(COORDINATOR);
    await Promise.all(lab.cluster.agents.map((agent) => lab.cluster.waitConnected(agent, 40_000)));
    const incident = await openIncident(lab, monitor.id, 40_000);
    const page = await waitFor(
      () => ofKind(lab.hooks.under('/s4/'), 'down')[0],
      20_000,
      () => `the down webhook of s4; logs:\n${lab.diagnostics()}`,
      100,
    );
    t.diagnostic(
      `after the restart: incident confirmed ${incident.openedAt - killedAt} ms, webhook ${page.receivedAt - killedAt} ms after the kill`,
    );
    await delay(SETTLE_MS);
    assert.equal((await lab.incidents(monitor.id)).length, 1, 'one incident after the restart');
    assertOnePagePerTransition(lab.hooks.under('/s4/'), ['down']);

    // Killed again while the incident is open: the restarted coordinator neither pages again
    // nor forgets it (the agents still report the monitor suspect when they reconnect).
    await lab.cluster.stopNode(COORDINATOR, 'SIGKILL');
    await lab.cluster.startNode(COORDINATOR);
    await Promise.all(lab.cluster.agents.map((agent) => lab.cluster.waitConnected(agent, 40_000)));
    await delay(SETTLE_MS);
    const afterSecondKill = await lab.incidents(monitor.id);
    assert.deepEqual(
      afterSecondKill.map((i) => `${i.id} ${i.status}`),
      [`${incident.id} open`],
      'the same incident, still open',
    );
    assertOnePagePerTransition(lab.hooks.under('/s4/'), ['down']);

    await lab.ports.accept('target', lab.target('target').httpPort);
    await resolved(lab, incident.id);
    await waitFor(
      () => ofKind(lab.hooks.under('/s4/'), 'recovered')[0],
      15_000,
      () => `the recovery webhook of s4; logs:\n${lab.diagnostics()}`,
      200,
    );
    await delay(SETTLE_MS);
    assertOnePagePerTransition(lab.hooks.under('/s4/'));
    assert.equal((await lab.incidents(monitor.id)).length, 1, 'exactly one incident');
    await lab.deleteMonitor(monitor.id);
  });
});

function ofKind(requests: readonly ReceivedRequest[], kind: string): ReceivedRequest[] {
  return requests.filter((request) => request.headers['x-crosscheck-event'] === kind);
}

/** Exactly one raw request and one idempotency key per transition (default down + recovered). */
function assertOnePagePerTransition(
  requests: readonly ReceivedRequest[],
  kinds: readonly string[] = ['down', 'recovered'],
): void {
  const seen = requests.map(
    (r) =>
      `${String(r.headers['x-crosscheck-event'])} ${String(r.headers['x-crosscheck-idempotency-key'])}`,
  );
  assert.deepEqual(
    requests.map((r) => r.headers['x-crosscheck-event']),
    kinds,
    `one request per transition: ${JSON.stringify(seen)}`,
  );
  const keys = new Set(requests.map((r) => r.headers['x-crosscheck-idempotency-key']));
  assert.equal(
    keys.size,
    kinds.length,
    `one idempotency key per transition: ${JSON.stringify(seen)}`,
  );
}

async function openIncident(
  lab: ConsensusLab,
  monitorId: string,
  timeoutMs = 20_000,
): Promise<IncidentView> {
  return waitFor(
    async () => (await lab.incidents(monitorId)).find((incident) => incident.status === 'open'),
    timeoutMs,
    () => `an open incident of ${monitorId}; logs:\n${lab.diagnostics()}`,
    250,
  );
}

async function resolved(lab: ConsensusLab, incidentId: string): Promise<void> {
  await waitFor(
    async () => ((await lab.incident(incidentId)).status === 'resolved' ? true : undefined),
    30_000,
    () => `incident ${incidentId} resolved; logs:\n${lab.diagnostics()}`,
    500,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
