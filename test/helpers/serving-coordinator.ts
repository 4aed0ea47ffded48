import fs from 'node:fs';
import { createPeerServer } from '../../src/cluster/peer/peer-server.ts';
import type { PeerServer } from '../../src/cluster/peer/peer-server.ts';
import { certificateFingerprint } from '../../src/cluster/pki/ca.ts';
import type { DatabaseChoice } from '../../src/config/database-config.ts';
import { dataDirPaths } from '../../src/config/data-dir.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { newId } from '../../src/lib/ids.ts';
import type { Logger } from '../../src/observability/logger.ts';
import { initCoordinator } from '../../src/app/cluster-setup.ts';
import { openCoordinatorStore } from '../../src/app/coordinator-store.ts';
import type { ClusterService } from '../../src/services/cluster/cluster-service.ts';
import { createClusterService } from '../../src/services/cluster/cluster-service.ts';
import type { Store } from '../../src/store/types.ts';
import { silentLogger } from '../../src/observability/logger.ts';

/** A coordinator's enrolment side, running for a test: its data dir, store and peer port. */
export interface ServingCoordinator {
  dataDir: string;
  nodeId: string;
  store: Store;
  cluster: ClusterService;
  /** 127.0.0.1:PORT of the real mutual-TLS peer server. */
  address: string;
  /** Serials the peer server drops at the handshake (as the running coordinator's revocations). */
  revoked: Set<string>;
  stop(): Promise<void>;
}

/**
 * `crosscheck init` on `database`, then the parts of the running coordinator that enrolment
 * touches, wired as coordinator-node.ts wires them: its cluster service on the store and the
 * real peer server (join route, CA key route) on a loopback port. Membership, consensus and the
 * agent hub are left out: nothing here connects as an agent.
 */
export async function startServingCoordinator(options: {
  dataDir: string;
  database: DatabaseChoice;
  logger: Logger;
  clock?: Clock;
}): Promise<ServingCoordinator> {
  const clock = options.clock ?? systemClock;
  const identity = await initCoordinator({
    dataDir: options.dataDir,
    name: 'coord-1',
    listen: '127.0.0.1:7433',
    advertise: null,
    region: 'eu-west',
    labels: {},
    logger: silentLogger(),
    database: options.database,
  });
  const paths = dataDirPaths(options.dataDir);
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  const ca = { certPem: read(paths.caCert), keyPem: read(paths.caKey) };
  const { store } = await openCoordinatorStore(options.database);
  let port = 0;
  const cluster = createClusterService({
    store,
    clock,
    ca,
    caFingerprint: certificateFingerprint(ca.certPem),
    self: { id: identity.nodeId, name: identity.name },
    joinAddress: () => `127.0.0.1:${port}`,
    newId: (prefix) => newId(prefix),
    live: () => ({ state: undefined, lastSeen: null }),
    onEnrolled: () => undefined,
    onRemoved: () => Promise.resolve(),
    issueOperatorToken: () => Promise.resolve('operator-token-for-tests'),
  });
  const revoked = new Set<string>();
  const peer: PeerServer = createPeerServer({
    tls: { caCertPem: ca.certPem, certPem: read(paths.nodeCert), keyPem: read(paths.nodeKey) },
    logger: options.logger,
    onJoin: (request, remote) => cluster.enrol(request, remote),
    onChannel: (_identity, socket) => socket.terminate(),
    isRevoked: (serial) => revoked.has(serial),
    onCaKeyRequest: (asker) => cluster.handOverCaKey(asker),
  });
  port = (await peer.listen('127.0.0.1', 0)).port;
  return {
    dataDir: options.dataDir,
    nodeId: identity.nodeId,
    store,
    cluster,
    address: `127.0.0.1:${port}`,
    revoked,
    async stop() {
      await peer.close();
      await store.close();
    },
  };
}
