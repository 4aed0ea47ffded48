import type { TLSSocket } from 'node:tls';
import os from 'node:os';
import type { NodeIdentity } from '../config/node-identity.ts';
import { readNodeIdentity, writeNodeIdentity } from '../config/node-identity.ts';
import {
  dataDirPaths,
  ensureDataDir,
  ensurePrivateDir,
  readOptionalFile,
  writePrivateFile,
} from '../config/data-dir.ts';
import { createClusterCa } from '../cluster/pki/ca.ts';
import { createKeyAndCsr } from '../cluster/pki/csr.ts';
import { issueNodeCertificate } from '../cluster/pki/issue.ts';
import { connectForJoin, formatHostPort } from '../cluster/pki/tls-options.ts';
import { isJoinTokenExpired, parseJoinToken, splitHostPort } from '../cluster/join-token.ts';
import type { JoinRequest } from '../cluster/peer/join-protocol.ts';
import type { CanarySpec } from '../checks/canary-spec.ts';
import { MAX_JOIN_LINE_BYTES, parseJoinResponse } from '../cluster/peer/join-protocol.ts';
import { parseListenAddress } from '../config/node-config.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import type { DatabaseChoice } from '../config/database-config.ts';
import { recordDatabase } from '../config/database-config.ts';
import type { Store } from '../store/types.ts';
import { openCoordinatorStore } from './coordinator-store.ts';
import { VERSION } from '../config/version.ts';

export interface InitOptions {
  dataDir: string;
  name: string;
  /** Peer port address, host:port. */
  listen: string;
  advertise: string | null;
  region: string | null;
  labels: Record<string, string>;
  /** Canaries to keep in node.json (`--canary`); none when absent. */
  canaries?: CanarySpec[];
  logger: Logger;
  clock?: Clock;
  /** Where the data goes: the data dir's SQLite file when absent. */
  database?: DatabaseChoice;
  /**
   * With a PostgreSQL database: what `database.json` records (the URL as given, or null when
   * it came from the environment; the CA file).
   */
  databaseRecord?: { url: string | null; ca: string | null } | undefined;
}

export function refuseIfInitialised(file: string): void {
  const existing = readNodeIdentity(file);
  if (existing !== undefined) {
    throw new AppError(
      'CONFLICT',
      `this data dir already belongs to ${existing.role} ${existing.name} (${existing.nodeId}); use another --data-dir`,
    );
  }
}

/** The node id: kept from a single-node data dir made before clustering, else new. */
function nodeIdFor(file: string): string {
  return readOptionalFile(file)?.trim() || newId('node');
}

/** `crosscheck init`: makes this data dir a coordinator (CA, certificates, database, identity). */
export async function initCoordinator(options: InitOptions): Promise<NodeIdentity> {
  const clock = options.clock ?? systemClock;
  const paths = dataDirPaths(options.dataDir);
  ensureDataDir(options.dataDir);
  refuseIfInitialised(paths.nodeIdentity);
  const now = clock.now();
  const nodeId = nodeIdFor(paths.nodeId);
  const listen = parseListenAddress(options.listen, '--listen');
  const advertised =
    options.advertise === null ? undefined : parseListenAddress(options.advertise, '--advertise');

  const ca = await createClusterCa({ now: new Date(now) });
  const { keyPem, csrPem } = await createKeyAndCsr({ commonName: options.name });
  const hostNames = [os.hostname(), 'localhost'];
  const ips = [listen.host, advertised?.host, '127.0.0.1'].filter(
    (h): h is string => h !== undefined && /^[0-9.]+$|:/.test(h) && h !== '0.0.0.0' && h !== '::',
  );
  const dns = [
    ...hostNames,
    ...(advertised && !ips.includes(advertised.host) ? [advertised.host] : []),
  ];
  const issued = await issueNodeCertificate({
    ca,
    csrPem,
    nodeId,
    role: 'coordinator',
    now: new Date(now),
    altNames: { dns: [...new Set(dns)], ip: [...new Set(ips)] },
  });
  ensurePrivateDir(paths.certs);
  writePrivateFile(paths.caCert, ca.certPem);
  writePrivateFile(paths.caKey, ca.keyPem);
  writePrivateFile(paths.nodeCert, issued.certPem);
  writePrivateFile(paths.nodeKey, keyPem);
  writePrivateFile(paths.nodeId, nodeId);

  const database = options.database ?? { kind: 'sqlite', file: paths.database };
  const { store, label } = await openCoordinatorStore(database, { logger: options.logger });
  try {
    await refuseOtherCoordinator(store, nodeId, label);
    if ((await store.getNode(nodeId)) === undefined) {
      await store.insertNode({
        id: nodeId,
        name: options.name,
        role: 'coordinator',
        region: options.region,
        labels: options.labels,
        version: VERSION,
        certSerial: issued.serial,
        certNotAfter: issued.notAfter,
        enrolledAt: now,
        lastSeen: now,
        state: 'online',
        stateSince: now,
        clockOffsetMs: 0,
        checksPerSecond: null,
        outboxBacklog: null,
        remoteAddress: null,
        removedAt: null,
        impairedSince: null,
      });
    }
  } finally {
    await store.close();
  }
  const identity: NodeIdentity = {
    version: 1,
    nodeId,
    name: options.name,
    role: 'coordinator',
    region: options.region,
    labels: options.labels,
    createdAt: now,
    peer: { listen: formatHostPort(listen.host, listen.port), advertise: options.advertise },
    ...canariesField(options.canaries),
  };
  if (database.kind === 'postgres')
    recordDatabase(
      options.dataDir,
      options.databaseRecord?.url ?? null,
      options.databaseRecord?.ca ?? database.caFile,
    );
  // Written last: a data dir without node.json is "not initialised", so a failed init can rerun.
  writeNodeIdentity(paths.nodeIdentity, identity);
  return identity;
}

/**
 * `init` makes a new cluster (a new CA): a database another cluster's coordinator was set up
 * on is refused. Another coordinator of the same cluster joins it with `coordinator join`,
 * which takes the existing CA instead.
 */
async function refuseOtherCoordinator(store: Store, nodeId: string, where: string): Promise<void> {
  const nodes = await store.listNodes();
  const other = nodes.find((node) => node.role === 'coordinator' && node.id !== nodeId);
  if (other !== undefined)
    throw new AppError(
      'CONFLICT',
      `the database ${where} already holds coordinator ${other.name} (${other.id}); give this coordinator a database of its own, or add it to that cluster with \`crosscheck join-token --coordinator\` there and \`crosscheck coordinator join <token>\` here`,
    );
}

export interface JoinOptions {
  dataDir: string;
  token: string;
  name: string;
  region: string | null;
  labels: Record<string, string>;
  /** Canaries to keep in node.json (`--canary`); none when absent. */
  canaries?: CanarySpec[];
  clock?: Clock;
  timeoutMs?: number;
}

/** `crosscheck join`: verifies the coordinator against the token, enrols with a CSR, saves the certificate. */
export async function joinCluster(options: JoinOptions): Promise<NodeIdentity> {
  const clock = options.clock ?? systemClock;
  const token = parseJoinToken(options.token);
  if (isJoinTokenExpired(token, clock.now())) {
    throw new AppError(
      'UNAUTHORIZED',
      `this join token expired at ${new Date(token.expiresAt).toISOString()}; create a new one on the coordinator with \`crosscheck join-token\``,
    );
  }
  const paths = dataDirPaths(options.dataDir);
  ensureDataDir(options.dataDir);
  refuseIfInitialised(paths.nodeIdentity);
  const { host, port } = splitHostPort(token.address);
  const { keyPem, csrPem } = await createKeyAndCsr({ commonName: options.name });
  const { socket } = await connectForJoin({
    host,
    port,
    expectedCaSha256: token.caSha256,
    timeoutMs: options.timeoutMs ?? 10_000,
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
  };
  const line = await exchangeLine(socket, `${JSON.stringify(request)}\n`, token.address);
  const answer = parseJoinResponse(line);

  ensurePrivateDir(paths.certs);
  writePrivateFile(paths.caCert, answer.caCertPem);
  writePrivateFile(paths.nodeCert, answer.certPem);
  writePrivateFile(paths.nodeKey, keyPem);
  writePrivateFile(paths.nodeId, answer.nodeId);
  if (answer.operatorToken !== undefined)
    writePrivateFile(paths.operatorToken, `${answer.operatorToken}\n`);
  const identity: NodeIdentity = {
    version: 1,
    nodeId: answer.nodeId,
    name: options.name,
    role: 'agent',
    region: options.region,
    labels: options.labels,
    createdAt: clock.now(),
    coordinator: {
      address: token.address,
      name: answer.coordinatorName,
      // The token's other coordinators: the leader may be one of them, or this one may go.
      ...(token.coordinators === undefined
        ? {}
        : { addresses: [...new Set([token.address, ...token.coordinators])] }),
    },
    ...canariesField(options.canaries),
  };
  writeNodeIdentity(paths.nodeIdentity, identity);
  return identity;
}

/** The `canaries` field of node.json: absent unless the node was given some. */
function canariesField(canaries: CanarySpec[] | undefined): { canaries?: CanarySpec[] } {
  return canaries === undefined || canaries.length === 0 ? {} : { canaries };
}

/** Sends one line and reads one line back (bounded in size and time). */
export function exchangeLine(socket: TLSSocket, line: string, where: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const fail = (reason: string) => {
      socket.destroy();
      reject(new AppError('UNAVAILABLE', `joining via ${where} failed: ${reason}`));
    };
    socket.setEncoding('utf8');
    socket.setTimeout(15_000, () => fail('no answer within 15 s'));
    socket.on('error', (error: Error) => fail(error.message));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_JOIN_LINE_BYTES) return fail('answer too large');
      const end = buffer.indexOf('\n');
      if (end >= 0) {
        socket.removeAllListeners('data');
        socket.end();
        resolve(buffer.slice(0, end));
      }
    });
    socket.on('end', () => {
      if (!buffer.includes('\n')) fail('the coordinator closed the connection without answering');
    });
    socket.write(line);
  });
}
