import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { capturedLogger } from '../../test/helpers/captured-logger.ts';
import { runCliInProcess } from '../../test/helpers/in-process-cli.ts';
import type { TestPostgres } from '../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../test/helpers/postgres-server.ts';
import type { ServingCoordinator } from '../../test/helpers/serving-coordinator.ts';
import { startServingCoordinator } from '../../test/helpers/serving-coordinator.ts';
import { CA_KEY_REQUEST } from '../cluster/peer/ca-key-protocol.ts';
import { createPeerServer } from '../cluster/peer/peer-server.ts';
import { createClusterCa } from '../cluster/pki/ca.ts';
import { CA_KEY_ALPN } from '../cluster/pki/tls-options.ts';
import { createKeyAndCsr } from '../cluster/pki/csr.ts';
import { peerIdentity } from '../cluster/pki/identity.ts';
import { issueNodeCertificate } from '../cluster/pki/issue.ts';
import type { PostgresDatabase } from '../config/database-config.ts';
import { parsePostgresSetting, readDatabaseRecord } from '../config/database-config.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { readNodeIdentity } from '../config/node-identity.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { databaseHoldsNode } from '../store/postgres/holds-node.ts';
import { joinCluster } from './cluster-setup.ts';
import { assertKeyOfCa, fetchCaKey, joinAsCoordinator } from './coordinator-join.ts';

// A second coordinator joining a real one on a real PostgreSQL: the enrolling side is the
// coordinator's own cluster service and mutual-TLS peer server on loopback (not its daemon:
// a second daemon on one database waits for the leader lease), the joining side is the CLI.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const FIELDS = { url: '--database-url', ca: '--database-ca' };

const mode = (file: string) => fs.statSync(file).mode & 0o777;

async function rejectsWith(promise: Promise<unknown>, code: string, text?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    if (text) assert.match(error.message, text);
    return true;
  });
}

describe('crosscheck coordinator join', { skip, timeout: 180_000 }, () => {
  let server: TestPostgres;
  let database: { url: string; drop(): Promise<void> };
  let shared: PostgresDatabase;
  let root: string;
  let serving: ServingCoordinator;
  const captured = capturedLogger();
  let joinedId: string;
  let agentDir: string;

  const dir = (name: string) => path.join(root, name);
  const tokenOf = async (kind: 'agent' | 'coordinator', expires?: number) =>
    (await serving.cluster.createJoinToken({ kind, ...(expires ? { expires } : {}) })).token;
  const joinOptions = (dataDir: string, token: string, name: string) => ({
    dataDir,
    token,
    name,
    region: null,
    labels: {},
    database: shared,
    databaseRecord: { url: database.url, ca: null },
    peerListen: '127.0.0.1:7533',
    advertise: null,
  });

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-cjoin-'));
    server = await startPostgres();
    database = await createTestDatabase(server, 'coordinator_join');
    shared = parsePostgresSetting({ url: database.url }, FIELDS);
    serving = await startServingCoordinator({
      dataDir: dir('coord-1'),
      database: shared,
      logger: captured.logger,
    });
  });
  after(async () => {
    await serving?.stop();
    await database?.drop();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes a coordinator data dir with the cluster’s CA key, its own certificate and the database', async () => {
    const token = await tokenOf('coordinator');
    const run = await runCliInProcess(dir('coord-2'), [
      'coordinator',
      'join',
      token,
      '--database-url',
      database.url,
      '--name',
      'coord-2',
      '--region',
      'us-east',
      '--listen',
      '127.0.0.1:7533',
      '--api-listen',
      '127.0.0.1:7534',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /joined as coordinator coord-2/);
    assert.match(run.stdout, /crosscheck start --data-dir \S+ --api-listen 127\.0\.0\.1:7534/);
    for (const secret of [server.password, 'PRIVATE KEY'])
      assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), `printed ${secret}`);

    const mine = dataDirPaths(dir('coord-2'));
    const theirs = dataDirPaths(dir('coord-1'));
    for (const file of [mine.caKey, mine.nodeKey, path.join(dir('coord-2'), 'database.json')])
      assert.equal(mode(file), 0o600, file);
    assert.equal(fs.readFileSync(mine.caKey, 'utf8'), fs.readFileSync(theirs.caKey, 'utf8'));
    assert.equal(fs.readFileSync(mine.caCert, 'utf8'), fs.readFileSync(theirs.caCert, 'utf8'));

    const identity = readNodeIdentity(mine.nodeIdentity);
    assert.ok(identity);
    assert.equal(identity.role, 'coordinator');
    assert.equal(identity.name, 'coord-2');
    assert.equal(identity.region, 'us-east');
    assert.deepEqual(identity.peer, { listen: '127.0.0.1:7533', advertise: null });
    assert.equal(readDatabaseRecord(dir('coord-2'))?.url, database.url);
    joinedId = identity.nodeId;

    const ca = new X509Certificate(fs.readFileSync(mine.caCert));
    const cert = new X509Certificate(fs.readFileSync(mine.nodeCert));
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'node certificate from the CA');
    const peer = peerIdentity(cert);
    assert.equal(peer.role, 'coordinator');
    assert.equal(peer.nodeId, joinedId);
    const stored = await serving.store.getNode(joinedId);
    assert.equal(stored?.role, 'coordinator');
    assert.equal(stored?.certSerial, peer.serial);
    // What `crosscheck start` checks before it touches the database.
    assert.equal(await databaseHoldsNode({ url: shared.url, ssl: shared.ssl }, joinedId), true);

    const handed = captured.lines.filter((line) => line.msg === 'CA key handed over');
    assert.deepEqual(
      handed.map((line) => line.nodeId),
      [joinedId],
    );
    assert.ok(!captured.lines.some((line) => JSON.stringify(line).includes('PRIVATE KEY')));
  });

  it('refuses a used token and a data dir that already holds a node', async () => {
    const token = await tokenOf('coordinator');
    await joinAsCoordinator(joinOptions(dir('coord-3'), token, 'coord-3'));
    await rejectsWith(
      joinAsCoordinator(joinOptions(dir('coord-4'), token, 'coord-4')),
      'CONFLICT',
      /already been used/,
    );
    assert.equal(readNodeIdentity(dataDirPaths(dir('coord-4')).nodeIdentity), undefined);
    const again = await runCliInProcess(dir('coord-3'), [
      'coordinator',
      'join',
      await tokenOf('coordinator'),
      '--database-url',
      database.url,
    ]);
    assert.equal(again.code, 5, again.stderr);
    assert.match(again.stderr, /already belongs to coordinator coord-3/);
  });

  it('an agent token does not enrol a coordinator (and stays usable by an agent)', async () => {
    const token = await tokenOf('agent');
    await rejectsWith(
      joinAsCoordinator(joinOptions(dir('wrong-coord'), token, 'wrong-coord')),
      'FORBIDDEN',
      /join-token --coordinator/,
    );
    agentDir = dir('agent-1');
    const agent = await joinCluster({
      dataDir: agentDir,
      token,
      name: 'agent-1',
      region: null,
      labels: {},
    });
    assert.equal((await serving.store.getNode(agent.nodeId))?.role, 'agent');
  });

  it('a coordinator token does not enrol an agent, and is not spent by the attempt', async () => {
    const { token, tokenId } = await serving.cluster.createJoinToken({ kind: 'coordinator' });
    const nodesBefore = (await serving.store.listNodes()).length;
    await rejectsWith(
      joinCluster({
        dataDir: dir('wrong-agent'),
        token,
        name: 'wrong-agent',
        region: null,
        labels: {},
      }),
      'FORBIDDEN',
      /coordinator join/,
    );
    assert.equal((await serving.store.listNodes()).length, nodesBefore);
    assert.equal((await serving.store.getJoinToken(tokenId))?.usedAt, null);
    await joinAsCoordinator(joinOptions(dir('coord-5'), token, 'coord-5'));
  });

  it('hands the CA key to enrolled coordinators only: not an agent, another certificate, a removed node', async () => {
    const [host, port] = [
      serving.address.split(':')[0] ?? '',
      Number(serving.address.split(':')[1]),
    ];
    const ask = (material: { caCertPem: string; certPem: string; keyPem: string }) =>
      fetchCaKey({ host, port, timeoutMs: 10_000, material, where: serving.address });
    const filesOf = (dataDir: string) => {
      const paths = dataDirPaths(dataDir);
      const read = (file: string) => fs.readFileSync(file, 'utf8');
      return {
        caCertPem: read(paths.caCert),
        certPem: read(paths.nodeCert),
        keyPem: read(paths.nodeKey),
      };
    };
    const refusedBefore = captured.lines.filter((l) => l.msg === 'CA key refused').length;

    await rejectsWith(ask(filesOf(agentDir)), 'FORBIDDEN', /not a coordinator/);

    // A valid coordinator certificate for the joined node's id, but not the one it enrolled with.
    const coord1 = dataDirPaths(dir('coord-1'));
    const ca = {
      certPem: fs.readFileSync(coord1.caCert, 'utf8'),
      keyPem: fs.readFileSync(coord1.caKey, 'utf8'),
    };
    const { keyPem, csrPem } = await createKeyAndCsr({ commonName: 'forged' });
    const other = await issueNodeCertificate({
      ca,
      csrPem,
      nodeId: joinedId,
      role: 'coordinator',
      now: new Date(),
    });
    await rejectsWith(
      ask({ caCertPem: ca.certPem, certPem: other.certPem, keyPem }),
      'FORBIDDEN',
      /not the one/,
    );

    // Removed by another coordinator of the database: this one learns it from the database.
    const own = filesOf(dir('coord-2'));
    assert.equal(await ask(own), ca.keyPem);
    await serving.store.removeNode(joinedId, Date.now(), 'nev_join_test');
    await rejectsWith(ask(own), 'FORBIDDEN', /removed/);
    // Once revoked on this coordinator, the handshake itself is dropped.
    serving.revoked.add(peerIdentity(new X509Certificate(own.certPem)).serial);
    await rejectsWith(ask(own), 'UNAVAILABLE');

    const refused = captured.lines.filter((l) => l.msg === 'CA key refused').slice(refusedBefore);
    assert.deepEqual(
      refused.map((l) => l.code),
      ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    );
    assert.ok(!captured.lines.some((line) => JSON.stringify(line).includes('PRIVATE KEY')));
  });

  it('the CA key route: dropped without a client certificate, UNAVAILABLE where it is not wired', async () => {
    const [host, portText] = serving.address.split(':');
    const anonymous = connect({
      host,
      port: Number(portText),
      ALPNProtocols: [CA_KEY_ALPN],
      rejectUnauthorized: false,
    });
    anonymous.on('error', () => undefined);
    anonymous.write(`${JSON.stringify(CA_KEY_REQUEST)}\n`);
    const received = await new Promise<string>((resolve) => {
      let text = '';
      anonymous.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      anonymous.on('close', () => resolve(text));
    });
    assert.equal(received, '', 'nothing is answered to a client without a certificate');

    const coord1 = dataDirPaths(dir('coord-1'));
    const read = (file: string) => fs.readFileSync(file, 'utf8');
    const bare = createPeerServer({
      tls: {
        caCertPem: read(coord1.caCert),
        certPem: read(coord1.nodeCert),
        keyPem: read(coord1.nodeKey),
      },
      logger: captured.logger,
      onJoin: () => Promise.reject(new AppError('UNAVAILABLE', 'not here')),
      onChannel: (_identity, socket) => socket.terminate(),
      isRevoked: () => false,
    });
    const { port } = await bare.listen('127.0.0.1', 0);
    try {
      const paths = dataDirPaths(dir('coord-5'));
      const material = {
        caCertPem: read(paths.caCert),
        certPem: read(paths.nodeCert),
        keyPem: read(paths.nodeKey),
      };
      await rejectsWith(
        fetchCaKey({
          host: '127.0.0.1',
          port,
          timeoutMs: 10_000,
          material,
          where: `127.0.0.1:${port}`,
        }),
        'UNAVAILABLE',
        /does not hand out the CA key/,
      );
    } finally {
      await bare.close();
    }
  });

  it('an expired token: refused before dialling, and by the coordinator whatever the joiner’s clock', async () => {
    const token = await tokenOf('coordinator', 1_000);
    await sleep(1_100);
    await rejectsWith(
      joinAsCoordinator(joinOptions(dir('late-1'), token, 'late-1')),
      'UNAUTHORIZED',
      /expired/,
    );
    const slow: Clock = { ...systemClock, now: () => Date.now() - 60_000 };
    await rejectsWith(
      joinAsCoordinator({ ...joinOptions(dir('late-2'), token, 'late-2'), clock: slow }),
      'UNAUTHORIZED',
      /expired/,
    );
  });

  it('an unreachable database: UNAVAILABLE naming host:port/db, never the password; the token is kept', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const token = await tokenOf('coordinator');
    const run = await runCliInProcess(dir('no-db'), [
      'coordinator',
      'join',
      token,
      '--database-url',
      `postgres://crosscheck:Sup3r-s3cret@127.0.0.1:${port}/nowhere`,
    ]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}/nowhere`));
    assert.ok(!`${run.stdout}${run.stderr}`.includes('Sup3r-s3cret'));
    // Not spent: the same token still enrols a coordinator.
    await joinAsCoordinator(joinOptions(dir('coord-6'), token, 'coord-6'));
  });

  it('bad input exits 2: no database URL, a malformed listen address', async () => {
    const token = await tokenOf('coordinator');
    const noUrl = await runCliInProcess(dir('bad-1'), ['coordinator', 'join', token]);
    assert.equal(noUrl.code, 2, noUrl.stderr);
    assert.match(noUrl.stderr, /--database-url/);
    const badListen = await runCliInProcess(dir('bad-2'), [
      'coordinator',
      'join',
      token,
      '--database-url',
      database.url,
      '--api-listen',
      'nowhere',
    ]);
    assert.equal(badListen.code, 2, badListen.stderr);
  });

  it('a coordinator on SQLite refuses coordinator tokens (CONFLICT), still makes agent tokens', async () => {
    const dataDir = dir('sqlite-coord');
    const lite = await startServingCoordinator({
      dataDir,
      database: { kind: 'sqlite', file: path.join(dataDir, 'crosscheck.db') },
      logger: captured.logger,
    });
    try {
      await rejectsWith(
        lite.cluster.createJoinToken({ kind: 'coordinator' }),
        'CONFLICT',
        /SQLite.*docs\/postgresql\.md/,
      );
      assert.match((await lite.cluster.createJoinToken({})).token, /^cc1\./);
    } finally {
      await lite.stop();
    }
  });

  it('removes another coordinator through the service, never itself', async () => {
    await rejectsWith(serving.cluster.removeNode(serving.nodeId), 'CONFLICT', /itself/);
    const other = readNodeIdentity(dataDirPaths(dir('coord-3')).nodeIdentity);
    assert.ok(other);
    assert.equal((await serving.cluster.removeNode(other.nodeId)).role, 'coordinator');
  });

  it('checks that a CA key belongs to the CA certificate it came with', async () => {
    const mine = await createClusterCa({ now: new Date() });
    const foreign = await createClusterCa({ now: new Date() });
    assertKeyOfCa(mine.keyPem, mine.certPem);
    assert.throws(() => assertKeyOfCa(foreign.keyPem, mine.certPem), { code: 'UNAVAILABLE' });
    assert.throws(() => assertKeyOfCa('not a key', mine.certPem), { code: 'UNAVAILABLE' });
  });
});
