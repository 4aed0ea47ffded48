import { createPublicKey, X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { PostgresDatabase } from '../config/database-config.ts';
import { recordDatabase } from '../config/database-config.ts';
import {
  dataDirPaths,
  ensureDataDir,
  ensurePrivateDir,
  writePrivateFile,
} from '../config/data-dir.ts';
import type { NodeIdentity } from '../config/node-identity.ts';
import { writeNodeIdentity } from '../config/node-identity.ts';
import { parseListenAddress } from '../config/node-config.ts';
import { VERSION } from '../config/version.ts';
import { isJoinTokenExpired, parseJoinToken, splitHostPort } from '../cluster/join-token.ts';
import { CA_KEY_REQUEST, parseCaKeyResponse } from '../cluster/peer/ca-key-protocol.ts';
import type { JoinRequest } from '../cluster/peer/join-protocol.ts';
import { parseJoinResponse } from '../cluster/peer/join-protocol.ts';
import { createKeyAndCsr } from '../cluster/pki/csr.ts';
import {
  caKeyClientTlsOptions,
  connectForJoin,
  formatHostPort,
} from '../cluster/pki/tls-options.ts';
import type { CanarySpec } from '../checks/canary-spec.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { exchangeLine, refuseIfInitialised } from './cluster-setup.ts';

export interface CoordinatorJoinOptions {
  dataDir: string;
  token: string;
  name: string;
  region: string | null;
  labels: Record<string, string>;
  /** Canaries to keep in node.json (`--canary`); none when absent. */
  canaries?: CanarySpec[];
  /** The shared database: the same one the serving coordinator uses. */
  database: PostgresDatabase;
  /** What `database.json` records: the URL as typed (null when it came from the environment). */
  databaseRecord: { url: string | null; ca: string | null };
  /** This coordinator's peer port, host:port. */
  peerListen: string;
  /** The address put in join tokens this coordinator makes; null: chosen at start. */
  advertise: string | null;
  clock?: Clock;
  timeoutMs?: number;
}

/** What was set up, for the CLI to tell. */
export interface CoordinatorJoined {
  identity: NodeIdentity;
  /** The coordinator that enrolled this one (its name and peer address). */
  enrolledBy: { name: string; address: string };
  /** `host:port/database` of the shared database, never the password. */
  databaseWhere: string;
}

/**
 * `crosscheck coordinator join`: makes this data dir another coordinator of the cluster on the
 * shared PostgreSQL database. The database is checked first (a token is single-use, so it is
 * spent only when the rest can follow); then it enrols over the join route like an agent but as
 * a coordinator, fetches the CA key over mutual TLS with the certificate it just got, writes
 * the data dir as `init --database-url` would, and checks the database holds its node.
 */
export async function joinAsCoordinator(
  options: CoordinatorJoinOptions,
): Promise<CoordinatorJoined> {
  const clock = options.clock ?? systemClock;
  const token = parseJoinToken(options.token);
  const peerListen = parseListenAddress(options.peerListen, '--listen');
  if (options.advertise !== null) parseListenAddress(options.advertise, '--advertise');
  if (isJoinTokenExpired(token, clock.now()))
    throw new AppError(
      'UNAUTHORIZED',
      `this join token expired at ${new Date(token.expiresAt).toISOString()}; create a new one on a coordinator with \`crosscheck join-token --coordinator\``,
    );
  const paths = dataDirPaths(options.dataDir);
  ensureDataDir(options.dataDir);
  refuseIfInitialised(paths.nodeIdentity);
  const target = { url: options.database.url, ssl: options.database.ssl };
  const { assertDatabaseReachable } = await import('../store/postgres/reachable.ts');
  await assertDatabaseReachable(target);

  const timeoutMs = options.timeoutMs ?? 10_000;
  const { host, port } = splitHostPort(token.address);
  const { keyPem, csrPem } = await createKeyAndCsr({ commonName: options.name });
  const { socket } = await connectForJoin({
    host,
    port,
    expectedCaSha256: token.caSha256,
    timeoutMs,
    now: () => clock.now(),
  });
  const request: JoinRequest = {
    tokenId: token.tokenId,
    secret: token.secret,
    csrPem,
    name: options.name,
    region: options.region,
    labels: options.labels,
    version: VERSION,
    role: 'coordinator',
  };
  const line = await exchangeLine(socket, `${JSON.stringify(request)}\n`, token.address);
  const answer = parseJoinResponse(line);
  const material = { caCertPem: answer.caCertPem, certPem: answer.certPem, keyPem };
  const caKeyPem = await fetchCaKey({ host, port, timeoutMs, material, where: token.address });
  assertKeyOfCa(caKeyPem, answer.caCertPem);

  ensurePrivateDir(paths.certs);
  writePrivateFile(paths.caCert, answer.caCertPem);
  writePrivateFile(paths.caKey, caKeyPem);
  writePrivateFile(paths.nodeCert, answer.certPem);
  writePrivateFile(paths.nodeKey, keyPem);
  writePrivateFile(paths.nodeId, answer.nodeId);
  recordDatabase(options.dataDir, options.databaseRecord.url, options.databaseRecord.ca);
  const identity: NodeIdentity = {
    version: 1,
    nodeId: answer.nodeId,
    name: options.name,
    role: 'coordinator',
    region: options.region,
    labels: options.labels,
    createdAt: clock.now(),
    peer: {
      listen: formatHostPort(peerListen.host, peerListen.port),
      advertise: options.advertise,
    },
    ...(options.canaries === undefined || options.canaries.length === 0
      ? {}
      : { canaries: options.canaries }),
  };
  const { databaseHoldsNode } = await import('../store/postgres/holds-node.ts');
  // `start` refuses a database without this node: say so now, not at the first start.
  if (!(await databaseHoldsNode(target, answer.nodeId)))
    throw new AppError(
      'CONFLICT',
      `the coordinator at ${token.address} enrolled this node, but the database ${options.database.where} does not hold it: give the database URL the serving coordinator uses`,
    );
  // Written last: a data dir without node.json is "not initialised", so a failed join can rerun.
  writeNodeIdentity(paths.nodeIdentity, identity);
  return {
    identity,
    enrolledBy: { name: answer.coordinatorName, address: token.address },
    databaseWhere: options.database.where,
  };
}

/**
 * Asks the enrolling coordinator for the CA key on CA_KEY_ALPN, presenting the certificate it
 * just issued; the server's certificate must chain to the cluster CA and be a coordinator's.
 */
export async function fetchCaKey(options: {
  host: string;
  port: number;
  timeoutMs: number;
  material: { caCertPem: string; certPem: string; keyPem: string };
  where: string;
}): Promise<string> {
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const tls = connect({
      host: options.host,
      port: options.port,
      ...caKeyClientTlsOptions(options.material),
      timeout: options.timeoutMs,
    });
    const fail = (reason: string) => {
      tls.destroy();
      reject(new AppError('UNAVAILABLE', `fetching the CA key from ${options.where}: ${reason}`));
    };
    tls.once('secureConnect', () => {
      tls.removeAllListeners('error');
      tls.removeAllListeners('timeout');
      resolve(tls);
    });
    tls.once('timeout', () => fail(`no TLS handshake within ${options.timeoutMs} ms`));
    tls.once('error', (error: Error) => fail(error.message));
  });
  const line = await exchangeLine(socket, `${JSON.stringify(CA_KEY_REQUEST)}\n`, options.where);
  return parseCaKeyResponse(line);
}

/** The key must be the CA certificate's: a wrong one would sign certificates nobody trusts. */
export function assertKeyOfCa(caKeyPem: string, caCertPem: string): void {
  let matches: boolean;
  try {
    const fromKey = createPublicKey(caKeyPem).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(caCertPem).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    matches = fromKey.equals(fromCert);
  } catch {
    matches = false;
  }
  if (!matches)
    throw new AppError(
      'UNAVAILABLE',
      'the coordinator sent a CA key that does not belong to the cluster CA certificate',
    );
}
