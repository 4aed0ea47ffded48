// Cluster enrolment across network namespaces (issue #3): agents join with single-use tokens,
// bad tokens enrol nothing, and the peer port refuses clients without a cluster certificate.
// Needs root, `ip` and `nft`; every process runs the real CLI inside its host's namespace.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createClusterCa } from '../../src/cluster/pki/ca.ts';
import { createKeyAndCsr } from '../../src/cluster/pki/csr.ts';
import { issueNodeCertificate } from '../../src/cluster/pki/issue.ts';
import { PEER_ALPN } from '../../src/cluster/pki/tls-options.ts';
import {
  encodeJoinToken,
  newTokenCredentials,
  parseJoinToken,
} from '../../src/cluster/join-token.ts';
import { createTestCa, issueLeaf } from '../helpers/certs.ts';
import { waitFor } from '../helpers/cli.ts';
import {
  bootCluster,
  COORDINATOR,
  createClusterLab,
  daemonLogs,
  PEER_PORT,
} from '../helpers/cluster-lab.ts';
import type { NodeView } from '../helpers/cluster-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import { probePeerPort, writePemFiles } from '../helpers/peer-probe.ts';
import type { ProbeOutcome } from '../helpers/peer-probe.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;

/** Exit codes of the CLI contract (src/cli/exit-codes.ts). */
const EXIT_CONFLICT = 5;
const EXIT_UNAUTHORIZED = 6;

describe('cluster across namespaces: join', { skip, timeout: 120_000 }, () => {
  it('three agents join with tokens and are online; reused, expired, forged and wrong-CA tokens enrol nothing', async (t) => {
    const cluster = await createClusterLab({
      agents: [
        { name: 'agent-a', region: 'eu', labels: { tier: 'gold' } },
        { name: 'agent-b', region: 'eu' },
        { name: 'agent-c', region: 'us' },
        // Never enrolled: it tries the bad tokens.
        { name: 'intruder' },
      ],
    });
    t.after(() => cluster.cleanup());
    const agents = ['agent-a', 'agent-b', 'agent-c'];

    await cluster.init();
    const again = await cluster.cli(COORDINATOR, [
      'init',
      '--name',
      COORDINATOR,
      '--listen',
      cluster.coordinatorAddress,
    ]);
    assert.equal(again.code, EXIT_CONFLICT, `second init: ${again.stderr}`);

    await cluster.startNode(COORDINATOR);
    // Minted first, so the joins below outlast it and the test needs no sleep of its own.
    const shortLived = await cluster.joinToken('2s');
    const shortLivedExpiry = parseJoinToken(shortLived).expiresAt;
    assert.ok(shortLivedExpiry <= Date.now() + 2_500, 'the token carries the short expiry');

    const used: string[] = [];
    for (const agent of agents) {
      const token = await cluster.joinToken();
      assert.match(token, /^cc1\.[A-Za-z0-9_-]+$/, 'join-token prints the token alone');
      assert.equal(parseJoinToken(token).address, cluster.coordinatorAddress);
      const joined = await cluster.join(agent, token);
      assert.equal(joined.code, 0, `join ${agent}: ${joined.stderr}`);
      used.push(token);
    }
    await Promise.all(agents.map((agent) => cluster.startNode(agent)));

    const reused = await cluster.join('intruder', used[0] ?? '');
    assert.equal(reused.code, EXIT_CONFLICT, `reused token: ${reused.stderr}`);
    assert.match(reused.stderr, /already (been )?used/i);

    await waitFor(
      () => (Date.now() > shortLivedExpiry ? true : undefined),
      5_000,
      () => 'the short token to expire',
    );
    const expired = await cluster.join('intruder', shortLived);
    assert.equal(expired.code, EXIT_UNAUTHORIZED, `expired token: ${expired.stderr}`);
    assert.match(expired.stderr, /expired/i);

    // A fresh, unused token, altered: once with a secret it was not minted with, once pinned to
    // another CA. The coordinator must refuse the first; the joiner must refuse the second.
    const fresh = parseJoinToken(await cluster.joinToken());
    const forged = encodeJoinToken({ ...fresh, secret: newTokenCredentials().secret });
    const forgedRun = await cluster.join('intruder', forged);
    assert.equal(forgedRun.code, EXIT_UNAUTHORIZED, `forged token: ${forgedRun.stderr}`);
    const otherCa = createHash('sha256').update('not our CA').digest('hex');
    const pinnedElsewhere = encodeJoinToken({ ...fresh, caSha256: otherCa });
    const wrongCa = await cluster.join('intruder', pinnedElsewhere);
    assert.equal(wrongCa.code, EXIT_UNAUTHORIZED, `wrong CA fingerprint: ${wrongCa.stderr}`);
    assert.match(wrongCa.stderr, /fingerprint/i);
    assert.ok(
      !fs.existsSync(path.join(cluster.dataDir('intruder'), 'certs', 'node.crt')),
      'the refused node holds no certificate',
    );

    const nodes = await waitFor(
      async () => {
        const list = await cluster.nodeList();
        return list.length === 4 && list.every((node) => node.state === 'online')
          ? list
          : undefined;
      },
      20_000,
      () => `4 online nodes; logs:\n${daemonLogs(cluster)}`,
      500,
    );
    const byName = new Map(nodes.map((node) => [node.name, node]));
    assert.deepEqual([...byName.keys()].sort(), [COORDINATOR, ...agents].sort());
    assert.equal(byName.get(COORDINATOR)?.role, 'coordinator');
    for (const agent of agents) assert.equal(byName.get(agent)?.role, 'agent');
    assert.equal(byName.get('agent-a')?.region, 'eu');
    assert.equal(byName.get('agent-b')?.region, 'eu');
    assert.equal(byName.get('agent-c')?.region, 'us');
    assert.deepEqual(byName.get('agent-a')?.labels, { tier: 'gold' });
    for (const agent of agents)
      assert.equal(byName.get(agent)?.id, cluster.node(agent).nodeId, `${agent}'s id`);
    const fields = ['id', 'name', 'role', 'region', 'labels', 'state', 'lastSeen', 'version'];
    for (const node of nodes) {
      for (const field of [...fields, 'clockOffsetMs', 'checksPerSecond'])
        assert.ok(field in node, `${node.name} has ${field}`);
      assert.ok(node.lastSeen !== null, `${node.name} has a last-seen time`);
      assert.ok(typeof node.version === 'string' && node.version !== '', `${node.name} version`);
    }

    // An agent answers the same list: its API call is forwarded to the coordinator.
    const fromAgent = await cluster.nodeList('agent-c');
    assert.deepEqual(fromAgent.map((node) => node.id).sort(), nodes.map((node) => node.id).sort());
    assert.ok(!fromAgent.some((node) => node.name === 'intruder'), 'nothing extra enrolled');
  });

  it('refuses clients without a certificate or with a foreign CA on the peer port', async (t) => {
    const cluster = await bootCluster({ agents: [{ name: 'agent-a', region: 'eu' }] });
    t.after(() => cluster.cleanup());
    const host = cluster.lab.host(COORDINATOR).address;
    const probeFrom = (options: { certFile?: string; keyFile?: string; alpn?: string }) =>
      probePeerPort(cluster.lab, 'agent-a', { host, port: PEER_PORT, ...options });

    // Two look-alikes: a plain foreign CA (test helper), and another Crosscheck cluster's CA
    // issuing a certificate with agent-a's very node id and role.
    const foreignCa = await createTestCa('Foreign CA');
    const foreignLeaf = await issueLeaf(foreignCa, { hosts: ['agent-a'] });
    const otherCluster = await createClusterCa({ now: new Date() });
    const { keyPem, csrPem } = await createKeyAndCsr({ commonName: 'agent-a' });
    const impostor = await issueNodeCertificate({
      ca: otherCluster,
      csrPem,
      nodeId: cluster.node('agent-a').nodeId,
      role: 'agent',
      now: new Date(),
    });
    const foreignFiles = writePemFiles(foreignLeaf);
    const impostorFiles = writePemFiles({ certPem: impostor.certPem, keyPem });
    t.after(() => {
      for (const dir of [foreignFiles.dir, impostorFiles.dir])
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const refused = (outcome: ProbeOutcome, what: string): void => {
      assert.equal(
        outcome.bytesReceived,
        0,
        `${what}: no application data (${JSON.stringify(outcome)})`,
      );
      assert.ok(
        !outcome.handshake || outcome.closed,
        `${what}: the handshake fails or the server closes right after it (${JSON.stringify(outcome)})`,
      );
    };
    refused(await probeFrom({ alpn: PEER_ALPN }), 'no certificate');
    refused(await probeFrom({}), 'no certificate, no ALPN');
    refused(await probeFrom({ ...pick(foreignFiles), alpn: PEER_ALPN }), 'foreign CA');
    refused(await probeFrom({ ...pick(impostorFiles), alpn: PEER_ALPN }), 'other cluster CA');

    // Control: the same probe with agent-a's own enrolled certificate is let through (the peer
    // port's HTTP server answers), so the refusals above are the server's doing.
    const certs = path.join(cluster.dataDir('agent-a'), 'certs');
    const accepted = await probeFrom({
      certFile: path.join(certs, 'node.crt'),
      keyFile: path.join(certs, 'node.key'),
      alpn: PEER_ALPN,
    });
    assert.equal(accepted.handshake, true, JSON.stringify(accepted));
    assert.equal(accepted.alpn, PEER_ALPN);
    assert.match(accepted.firstLine ?? '', /^HTTP\/1\.1 \d{3}/, JSON.stringify(accepted));

    const nodes: NodeView[] = await cluster.nodeList();
    assert.equal(nodes.length, 2, 'the refused clients enrolled nothing');
    assert.equal((await cluster.health('agent-a')).cluster?.coordinator?.connected, true);
  });
});

function pick(files: { certFile: string; keyFile: string }): { certFile: string; keyFile: string } {
  return { certFile: files.certFile, keyFile: files.keyFile };
}
