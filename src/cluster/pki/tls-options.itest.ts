import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  connect,
  createServer,
  type ConnectionOptions,
  type Server,
  type TLSSocket,
  type TlsOptions,
} from 'node:tls';
import { AppError } from '../../lib/errors.ts';
import { certificateFingerprint, createClusterCa, type KeyPairPem } from './ca.ts';
import { createKeyAndCsr } from './csr.ts';
import { peerIdentity, type PeerIdentity } from './identity.ts';
import { issueNodeCertificate } from './issue.ts';
import { nodeCertificate } from '../../../test/helpers/node-certs.ts';
import { createRevocationList } from './revocation.ts';
import {
  JOIN_ALPN,
  PEER_ALPN,
  connectForJoin,
  isAcceptablePeerSocket,
  peerClientTlsOptions,
  peerRefusalReason,
  peerServerTlsOptions,
  peerSocketPurpose,
} from './tls-options.ts';

const HOST = '127.0.0.1';
/** Upper bound for one connection attempt; every wait below is bounded by it. */
const ATTEMPT_MS = 3_000;

/** What the test server saw on one connection. */
interface Seen {
  purpose: string;
  identity?: PeerIdentity;
  reason?: string;
  bytesReceived: number;
}

/** A peer server applying the production rule: destroy unless `isAcceptablePeerSocket`. */
class PeerServer {
  readonly seen: Seen[] = [];
  readonly server: Server;
  /** TCP connections that have ended, handshake completed or not. */
  closedConnections = 0;

  constructor(options: TlsOptions) {
    this.server = createServer(options, (socket) => this.onSecure(socket));
    this.server.on('connection', (raw: Socket) => raw.on('close', () => this.closedConnections++));
    this.server.on('tlsClientError', () => undefined);
  }

  async listen(host = HOST): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSecure(socket: TLSSocket): void {
    const seen: Seen = { purpose: peerSocketPurpose(socket), bytesReceived: 0 };
    this.seen.push(seen);
    socket.on('error', () => undefined);
    if (!isAcceptablePeerSocket(socket)) {
      seen.reason = peerRefusalReason(socket);
      socket.destroy();
      return;
    }
    const cert = socket.getPeerX509Certificate();
    if (seen.purpose === 'peer' && cert !== undefined) seen.identity = peerIdentity(cert);
    socket.on('data', (chunk: Buffer) => {
      seen.bytesReceived += chunk.length;
      socket.write(`echo ${chunk.toString()}`);
    });
    socket.write(`hello ${seen.purpose} ${seen.identity?.nodeId ?? '-'}\n`);
  }
}

type Attempt = { ok: true; greeting: string } | { ok: false; error: Error | undefined };

/** Connects, and resolves with the server's greeting line or with how the connection ended. */
async function attempt(port: number, options: ConnectionOptions): Promise<Attempt> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port, ...options });
    let error: Error | undefined;
    const done = (result: Attempt): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: new Error('timed out') }), ATTEMPT_MS);
    socket.on('data', (chunk: Buffer) => done({ ok: true, greeting: chunk.toString().trim() }));
    socket.on('error', (e: Error) => {
      error = e;
    });
    socket.on('close', () => done({ ok: false, error }));
  });
}

describe('peer TLS options', () => {
  let ca: KeyPairPem;
  let coordinator: Awaited<ReturnType<typeof nodeCertificate>>;
  let agent: Awaited<ReturnType<typeof nodeCertificate>>;
  let revokedAgent: Awaited<ReturnType<typeof nodeCertificate>>;
  let foreignAgent: Awaited<ReturnType<typeof nodeCertificate>>;
  let server: PeerServer;
  let port: number;
  const servers: PeerServer[] = [];

  async function startServer(options: TlsOptions): Promise<{ server: PeerServer; port: number }> {
    const started = new PeerServer(options);
    servers.push(started);
    return { server: started, port: await started.listen() };
  }

  const clientOf = (node: { certPem: string; keyPem: string }): ConnectionOptions =>
    peerClientTlsOptions({ caCertPem: ca.certPem, ...node });

  before(async () => {
    ca = await createClusterCa({ now: new Date() });
    const foreignCa = await createClusterCa({ now: new Date() });
    [coordinator, agent, revokedAgent, foreignAgent] = await Promise.all([
      nodeCertificate(ca, 'node_coord', 'coordinator'),
      nodeCertificate(ca, 'node_agent1', 'agent'),
      nodeCertificate(ca, 'node_agent2', 'agent'),
      nodeCertificate(foreignCa, 'node_agent1', 'agent'),
    ]);
    const crlPem = await createRevocationList({
      ca,
      revoked: [{ serial: revokedAgent.serial, revokedAt: Date.now() }],
      now: new Date(Date.now() - 60_000),
    });
    ({ server, port } = await startServer(
      peerServerTlsOptions({ caCertPem: ca.certPem, ...coordinator, crlPem }),
    ));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('accepts a CA-signed client and identifies it from its certificate', async () => {
    const result = await attempt(port, clientOf(agent));
    assert.deepEqual(result, { ok: true, greeting: 'hello peer node_agent1' });
    const seen = server.seen.at(-1);
    assert.equal(seen?.identity?.nodeId, 'node_agent1');
    assert.equal(seen?.identity?.role, 'agent');
    assert.equal(seen?.identity?.serial, agent.serial);
  });

  it('refuses a client without a certificate', async () => {
    const result = await attempt(port, {
      ca: [ca.certPem],
      ALPNProtocols: [PEER_ALPN],
      checkServerIdentity: () => undefined,
    });
    assert.equal(result.ok, false);
    assert.equal(server.seen.at(-1)?.purpose, 'refused');
    assert.equal(server.seen.at(-1)?.reason, 'no client certificate');
  });

  it('refuses a certificate from a foreign CA', async () => {
    const result = await attempt(port, clientOf(foreignAgent));
    assert.equal(result.ok, false);
    assert.equal(server.seen.at(-1)?.reason, 'certificate from another CA');
  });

  it('refuses a revoked certificate (CRL)', async () => {
    const result = await attempt(port, clientOf(revokedAgent));
    assert.equal(result.ok, false);
    assert.equal(server.seen.at(-1)?.reason, 'certificate revoked');
  });

  it('refuses an expired certificate', async () => {
    const { keyPem, csrPem } = await createKeyAndCsr({ commonName: 'old' });
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    const issued = await issueNodeCertificate({
      ca,
      csrPem,
      nodeId: 'node_old',
      role: 'agent',
      now: longAgo,
      validityDays: 1,
    });
    assert.equal((await attempt(port, clientOf({ certPem: issued.certPem, keyPem }))).ok, false);
    assert.equal(server.seen.at(-1)?.reason, 'certificate expired');
  });

  it('refuses a valid certificate that does not ask for the peer protocol', async () => {
    const noAlpn = { ...clientOf(agent) };
    delete noAlpn.ALPNProtocols;
    const result = await attempt(port, noAlpn);
    assert.equal(result.ok, false);
    assert.equal(server.seen.at(-1)?.reason, 'no Crosscheck ALPN protocol negotiated');
  });

  it('does not resume sessions, so a revocation cannot be skipped', async () => {
    const session = await new Promise<Buffer | undefined>((resolve) => {
      const socket = connect({ host: HOST, port, ...clientOf(agent) });
      let got: Buffer | undefined;
      const timer = setTimeout(() => socket.destroy(), ATTEMPT_MS);
      socket.on('session', (s: Buffer) => (got = s));
      socket.on('data', () => socket.end());
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(got);
      });
    });
    assert.ok(session, 'the server hands out a session, so resumption is really attempted');
    const reused = await new Promise<boolean>((resolve) => {
      const socket = connect({
        host: HOST,
        port,
        ...clientOf(agent),
        ...(session ? { session } : {}),
      });
      const timer = setTimeout(() => socket.destroy(), ATTEMPT_MS);
      socket.on('secureConnect', () => {
        clearTimeout(timer);
        resolve(socket.isSessionReused());
        socket.destroy();
      });
      socket.on('error', () => resolve(false));
    });
    assert.equal(reused, false);
  });

  it('accepts a client without a certificate on the join protocol', async () => {
    const result = await attempt(port, { ALPNProtocols: [JOIN_ALPN], rejectUnauthorized: false });
    assert.deepEqual(result, { ok: true, greeting: 'hello join -' });
  });

  it('connectForJoin verifies the CA against the token and returns it', async () => {
    const { socket, caCertPem } = await connectForJoin({
      host: HOST,
      port,
      expectedCaSha256: certificateFingerprint(ca.certPem),
      timeoutMs: ATTEMPT_MS,
    });
    try {
      assert.equal(certificateFingerprint(caCertPem), certificateFingerprint(ca.certPem));
      assert.equal(socket.alpnProtocol, JOIN_ALPN);
      const greeting = await new Promise<string>((resolve, reject) => {
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        socket.once('error', reject);
      });
      assert.equal(greeting, 'hello join -');
    } finally {
      socket.destroy();
    }
  });

  it('connectForJoin dials IPv6 addresses and names them in brackets', async () => {
    const v6 = new PeerServer(peerServerTlsOptions({ caCertPem: ca.certPem, ...coordinator }));
    servers.push(v6);
    const v6Port = await v6.listen('::1');
    const expectedCaSha256 = certificateFingerprint(ca.certPem);
    const joined = await connectForJoin({
      host: '::1',
      port: v6Port,
      expectedCaSha256,
      timeoutMs: ATTEMPT_MS,
    });
    joined.socket.destroy();
    await v6.close();
    servers.splice(servers.indexOf(v6), 1);
    await assert.rejects(
      connectForJoin({ host: '::1', port: v6Port, expectedCaSha256, timeoutMs: ATTEMPT_MS }),
      (error: unknown) =>
        error instanceof AppError &&
        error.message.startsWith(`cannot reach the coordinator at [::1]:${v6Port}: `),
    );
  });

  it('connectForJoin refuses a wrong fingerprint before sending anything', async () => {
    const seenBefore = server.seen.length;
    const closedBefore = server.closedConnections;
    const wrong = 'cd34'.repeat(16);
    const expected = certificateFingerprint(ca.certPem);
    await assert.rejects(
      connectForJoin({ host: HOST, port, expectedCaSha256: wrong, timeoutMs: ATTEMPT_MS }),
      (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'UNAUTHORIZED');
        assert.equal(
          error.message,
          `the coordinator's CA fingerprint does not match the token (expected sha256 ${wrong.slice(0, 16)}…, ` +
            `got sha256 ${expected.slice(0, 16)}…); refusing to join`,
        );
        return true;
      },
    );
    // The client may hang up before the server finishes its side of the handshake, so wait for
    // the TCP connection to end, then check no application byte arrived on it.
    await waitFor(() => server.closedConnections > closedBefore);
    assert.ok(server.seen.slice(seenBefore).every((seen) => seen.bytesReceived === 0));
  });

  it('connectForJoin refuses a server that does not present its CA', async () => {
    const { port: bare } = await startServer({
      key: coordinator.keyPem,
      cert: coordinator.certPem,
      ALPNProtocols: [JOIN_ALPN],
    });
    await assert.rejects(
      connectForJoin({
        host: HOST,
        port: bare,
        expectedCaSha256: certificateFingerprint(ca.certPem),
        timeoutMs: ATTEMPT_MS,
      }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'UNAUTHORIZED' &&
        /got no CA certificate in the presented chain/.test(error.message),
    );
  });

  it('connectForJoin reports an unreachable coordinator as UNAVAILABLE', async () => {
    const { server: closed, port: closedPort } = await startServer({});
    await closed.close();
    servers.splice(servers.indexOf(closed), 1);
    await assert.rejects(
      connectForJoin({
        host: HOST,
        port: closedPort,
        expectedCaSha256: 'ab'.repeat(32),
        timeoutMs: ATTEMPT_MS,
      }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'UNAVAILABLE' &&
        error.message.startsWith(`cannot reach the coordinator at ${HOST}:${closedPort}: `),
    );
  });

  it('connectForJoin gives up after timeoutMs when the server never answers the handshake', async () => {
    const held: Socket[] = [];
    const silent = createTcpServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, HOST, resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      await assert.rejects(
        connectForJoin({
          host: HOST,
          port: silentPort,
          expectedCaSha256: 'ab'.repeat(32),
          timeoutMs: 200,
        }),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === 'UNAVAILABLE' &&
          error.message ===
            `cannot reach the coordinator at ${HOST}:${silentPort}: no TLS handshake within 200 ms`,
      );
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('an agent refuses a server whose certificate is not a coordinator one', async () => {
    const impostor = await nodeCertificate(ca, 'node_agent3', 'agent');
    const { port: impostorPort } = await startServer(
      peerServerTlsOptions({ caCertPem: ca.certPem, ...impostor }),
    );
    const result = await attempt(impostorPort, clientOf(agent));
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error instanceof AppError);
    assert.equal(result.error.code, 'UNAUTHORIZED');
    assert.match(
      result.error.message,
      /not the cluster coordinator \(its certificate says OU=agent\)/,
    );
  });
});

/** Polls a condition for at most ATTEMPT_MS. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + ATTEMPT_MS;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), 'condition not met in time');
}
