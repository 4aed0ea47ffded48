// Quorum consensus across real partitions (issue #4, "Real partitions"): nftables drops inside
// agents' namespaces cut them from the targets while they still reach the coordinator. One
// lab (coordinator us-east; eu-1, eu-2 in eu-west; us-1 in us-east; two target namespaces; a
// webhook receiver in the coordinator's namespace) serves the three scenarios in turn, each
// healing its partition and deleting its monitors before the next. Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { COORDINATOR } from '../helpers/cluster-lab.ts';
import { bootConsensusLab, EU } from '../helpers/consensus-lab.ts';
import type { ConsensusLab } from '../helpers/consensus-lab.ts';
import type { NodeDetail, NodeView, StoredResult } from '../helpers/cluster-views.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import type { ReceivedRequest } from '../helpers/webhook-receiver.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;

describe('quorum consensus across namespaces: partitions', { skip, timeout: 240_000 }, () => {
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

  it('one agent cut from the target: a local round names it, no incident, no webhook (a 25 % rule pages)', async (t) => {
    const monitor = await lab.addMonitor({
      name: 's1-local',
      type: 'http',
      target: 'target',
      webhook: '/s1/',
    });
    // The same target under a rule that asks for only a quarter of the nodes: one of four
    // failing confirms it (the user chose that), so the same cut opens an incident and pages.
    const quarter = await lab.addMonitor({
      name: 's1-percent',
      type: 'http',
      target: 'target',
      webhook: '/s1p/',
      flags: ['--quorum', 'percent', '--quorum-percent', '25'],
    });
    await lab.waitChecking(monitor.id);
    await lab.waitChecking(quarter.id);

    await lab.cluster.lab.block('eu-1', 'target');
    const cutAt = Date.now();
    const round = await waitFor(
      async () => (await lab.rounds(monitor.id, ['local']))[0],
      30_000,
      () => `a local round of s1; logs:\n${lab.diagnostics()}`,
      500,
    );
    t.diagnostic(`local round decided ${round.decidedAt - cutAt} ms after the cut`);
    const why = JSON.stringify(round.votes);
    assert.equal(round.verdict, 'local');
    assert.deepEqual(failingNames(round.votes), ['eu-1'], `only eu-1 failed: ${why}`);
    assert.deepEqual(
      names(round.votes.filter((vote) => vote.outcome === 'ok')),
      [COORDINATOR, 'eu-2', 'us-1'],
      `every other node saw it up: ${why}`,
    );

    const confirmed = await waitFor(
      async () => (await lab.incidents(quarter.id))[0],
      30_000,
      () => `an incident of s1-percent; logs:\n${lab.diagnostics()}`,
      500,
    );
    assert.equal(confirmed.verdict, 'down');
    const deciding = (await lab.rounds(quarter.id, ['down']))[0];
    assert.ok(deciding, 'a down round of s1-percent');
    assert.deepEqual(failingNames(deciding.votes), ['eu-1'], JSON.stringify(deciding.votes));
    await waitFor(
      async () => (lab.hooks.under('/s1p/').length > 0 ? true : undefined),
      15_000,
      () => `the s1-percent page; logs:\n${lab.diagnostics()}`,
      250,
    );

    // Visible without a page, and without lowering uptime: eu-1's own figures name its
    // failures, and the CLI shows the sub-quorum rounds.
    const uptime = await lab.uptime(monitor.id);
    const rows = JSON.stringify(uptime);
    assert.equal(uptime.uptime, 1, `no incident, no downtime: ${rows}`);
    assert.ok(
      uptime.regions.every((r) => r.uptime === 1),
      `no region lost uptime either: ${rows}`,
    );
    const byName = new Map(uptime.nodes.map((n) => [n.name, n]));
    assert.ok((byName.get('eu-1')?.failures ?? 0) > 0, `eu-1 shows failures: ${rows}`);
    assert.ok((byName.get('eu-1')?.localFailures ?? 0) > 0, `eu-1 shows local rounds: ${rows}`);
    assert.equal(byName.get('us-1')?.failures, 0, `us-1 has none: ${rows}`);
    const history = await lab.cluster.cli(COORDINATOR, ['history', monitor.id]);
    assert.equal(history.code, 0, history.stderr);
    const subQuorum = history.stdout.slice(history.stdout.indexOf('sub-quorum'));
    assert.match(subQuorum, /local/, history.stdout);
    assert.match(subQuorum, /eu-1/, history.stdout);

    // Healed: eu-1 checks the target fine again (two passes in a row end its local streak).
    await lab.cluster.lab.unblock('eu-1', 'target');
    const healedAt = Date.now();
    await waitFor(
      async () =>
        passesSince(await lab.cluster.history(monitor.id), lab.nodeIds['eu-1'], healedAt) >= 2
          ? true
          : undefined,
      20_000,
      () => `eu-1 passing again; logs:\n${lab.diagnostics()}`,
      500,
    );
    assert.deepEqual(await lab.incidents(monitor.id), [], 'no incident');
    await waitFor(
      async () =>
        (await lab.incidents(quarter.id)).every((incident) => incident.status === 'resolved')
          ? true
          : undefined,
      30_000,
      () => `s1-percent resolved; logs:\n${lab.diagnostics()}`,
      500,
    );
    assert.deepEqual(describeHooks(lab.hooks.under('/s1/')), [], 'no monitor webhook');
    assert.deepEqual(
      describeHooks(lab.hooks.under('/node')).filter((line) => line.includes('node-impaired')),
      [],
      'one local problem does not impair the node',
    );
    await lab.deleteMonitor(monitor.id);
    await lab.deleteMonitor(quarter.id);
  });

  it('every agent of one region cut from the target: a regional incident naming it, paged on the regional route only', async (t) => {
    const monitor = await lab.addMonitor({
      name: 's3-regional',
      type: 'http',
      target: 'target',
      webhook: '/s3/main',
      regionalWebhook: '/s3/regional',
    });
    await lab.waitChecking(monitor.id);

    await lab.cluster.lab.block('eu-1', 'target');
    await lab.cluster.lab.block('eu-2', 'target');
    const cutAt = Date.now();
    const incident = await waitFor(
      async () => (await lab.incidents(monitor.id)).find((i) => i.status === 'open'),
      30_000,
      () => `an open incident of s3; logs:\n${lab.diagnostics()}`,
      500,
    );
    assert.equal(incident.verdict, 'regional');
    assert.deepEqual(incident.regions, [EU]);
    const regional = await waitFor(
      () => lab.hooks.under('/s3/regional')[0],
      15_000,
      () => `the regional webhook; logs:\n${lab.diagnostics()}`,
      200,
    );
    t.diagnostic(`regional webhook ${regional.receivedAt - cutAt} ms after the cut`);
    assert.equal(regional.headers['x-crosscheck-event'], 'regional');
    const body = regional.json as { kind: string; regions: string[]; verdict: string };
    assert.equal(body.kind, 'regional');
    assert.equal(body.verdict, 'regional');
    assert.deepEqual(body.regions, [EU]);
    const detail = await lab.incident(incident.id);
    const opening = detail.evidence.find((round) => round.verdict === 'regional');
    assert.ok(opening, `a regional round in the evidence: ${JSON.stringify(detail.evidence)}`);
    assert.deepEqual(failingNames(opening.votes), ['eu-1', 'eu-2']);

    await lab.cluster.lab.unblock('eu-1', 'target');
    await lab.cluster.lab.unblock('eu-2', 'target');
    await waitFor(
      async () => ((await lab.incident(incident.id)).status === 'resolved' ? true : undefined),
      30_000,
      () => `s3's incident resolved; logs:\n${lab.diagnostics()}`,
      500,
    );
    const recovered = await waitFor(
      () => lab.hooks.under('/s3/').find((r) => r.headers['x-crosscheck-event'] === 'recovered'),
      15_000,
      () => `the recovery webhook; logs:\n${lab.diagnostics()}`,
      200,
    );
    assert.equal(recovered.path, '/s3/regional', 'the recovery goes where the opening went');
    assert.deepEqual(describeHooks(lab.hooks.under('/s3/main')), [], 'nothing on the main route');
    assert.deepEqual(
      describeHooks(lab.hooks.under('/s3/')),
      ['/s3/regional regional', '/s3/regional recovered'],
      'one regional page, one recovery',
    );
    assert.equal((await lab.incidents(monitor.id)).length, 1, 'exactly one incident');
    await lab.deleteMonitor(monitor.id);
  });

  it('one agent cut from every target: it becomes impaired, one node alert, no monitor incident', async (t) => {
    const monitors = await Promise.all([
      lab.addMonitor({ name: 's5-http', type: 'http', target: 'target', webhook: '/s5/http' }),
      lab.addMonitor({ name: 's5-tcp', type: 'tcp', target: 'target2', webhook: '/s5/tcp' }),
      lab.addMonitor({ name: 's5-dns', type: 'dns', target: 'target2', webhook: '/s5/dns' }),
    ]);
    await Promise.all(monitors.map((monitor) => lab.waitChecking(monitor.id)));
    const usId = lab.nodeIds['us-1'];
    const nodeHooks = (kind: string): ReceivedRequest[] =>
      lab.hooks
        .under('/node')
        .filter((r) => r.headers['x-crosscheck-event'] === kind && nodeIdOf(r) === usId);

    await lab.cluster.lab.block('us-1', 'target');
    await lab.cluster.lab.block('us-1', 'target2');
    const cutAt = Date.now();
    const impaired = await waitFor(
      () => nodeHooks('node-impaired')[0],
      45_000,
      () => `a node-impaired webhook for us-1; logs:\n${lab.diagnostics()}`,
      250,
    );
    t.diagnostic(`node-impaired webhook ${impaired.receivedAt - cutAt} ms after the cut`);
    const listed = await lab.cluster.nodeList();
    assert.ok(
      impairedSince(listed, usId),
      `node list shows us-1 impaired: ${JSON.stringify(listed)}`,
    );
    for (const other of ['eu-1', 'eu-2', COORDINATOR])
      assert.equal(impairedSince(listed, lab.nodeIds[other]), null, `${other} stays healthy`);
    const shown = await lab.cluster.cliJson<NodeDetail>(COORDINATOR, ['node', 'show', usId ?? '']);
    assert.ok(
      shown.events.some((event) => event.to === 'impaired'),
      `node show has the impaired event: ${JSON.stringify(shown.events)}`,
    );
    // The evidence behind it: us-1 alone failing every monitor (its own results), which the
    // coordinator's record of each node shows before any round could (the vantage rule); no
    // monitor lost uptime.
    for (const monitor of monitors) {
      const uptime = await lab.uptime(monitor.id);
      const us1 = uptime.nodes.find((n) => n.name === 'us-1');
      assert.ok(
        (us1?.failures ?? 0) > 0,
        `${monitor.id}: us-1's failures: ${JSON.stringify(uptime)}`,
      );
      assert.equal(uptime.uptime, 1, `${monitor.id}: no downtime: ${JSON.stringify(uptime)}`);
    }

    await lab.cluster.lab.unblock('us-1', 'target');
    await lab.cluster.lab.unblock('us-1', 'target2');
    await waitFor(
      async () => (impairedSince(await lab.cluster.nodeList(), usId) === null ? true : undefined),
      30_000,
      () => `us-1 healthy again; logs:\n${lab.diagnostics()}`,
      500,
    );
    await waitFor(
      () => nodeHooks('node-healthy')[0],
      15_000,
      () => `a node-healthy webhook for us-1; logs:\n${lab.diagnostics()}`,
      250,
    );
    assert.equal(nodeHooks('node-impaired').length, 1, 'exactly one node-impaired webhook');
    assert.equal(nodeHooks('node-healthy').length, 1, 'exactly one node-healthy webhook');
    for (const monitor of monitors)
      assert.deepEqual(await lab.incidents(monitor.id), [], `${monitor.id}: no incident`);
    assert.deepEqual(describeHooks(lab.hooks.under('/s5/')), [], 'no monitor webhook');
    await Promise.all(monitors.map((monitor) => lab.deleteMonitor(monitor.id)));
  });
});

function names(votes: readonly { nodeName: string }[]): string[] {
  return votes.map((vote) => vote.nodeName).sort();
}

function failingNames(votes: readonly { nodeName: string; outcome: string }[]): string[] {
  return names(votes.filter((vote) => vote.outcome === 'fail'));
}

/** "path event" per request, to compare deliveries in one readable assertion. */
function describeHooks(requests: readonly ReceivedRequest[]): string[] {
  return requests.map((r) => `${r.path} ${String(r.headers['x-crosscheck-event'])}`);
}

function nodeIdOf(request: ReceivedRequest): string | undefined {
  return (request.json as { node?: { id?: string } } | undefined)?.node?.id;
}

function impairedSince(
  nodes: readonly NodeView[],
  id: string | undefined,
): number | null | undefined {
  return nodes.find((node) => node.id === id)?.impairedSince;
}

function passesSince(
  results: readonly StoredResult[],
  nodeId: string | undefined,
  since: number,
): number {
  return results.filter((r) => r.nodeId === nodeId && r.checkedAt >= since && r.status === 'up')
    .length;
}
