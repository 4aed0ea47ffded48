import type { LeaseHolder } from '../domain/node.ts';
import { isVantageOf } from '../domain/node.ts';
import { X509Certificate } from 'node:crypto';
import os from 'node:os';
import type { AgentHub } from '../cluster/coordinator/agent-hub.ts';
import type { MembershipTracker } from '../cluster/coordinator/membership-tracker.ts';
import { listCoordinatorAddresses } from '../cluster/coordinator-addresses.ts';
import { chooseJoinAddress } from '../cluster/join-address.ts';
import type { PeerServer, PeerTlsMaterial } from '../cluster/peer/peer-server.ts';
import { normaliseFingerprint } from '../cluster/pki/identity.ts';
import type { NodeIdentity } from '../config/node-identity.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import type { ClusterService } from '../services/cluster/cluster-service.ts';
import { createClusterService } from '../services/cluster/cluster-service.ts';
import { createProbeService, type ProbeService } from '../services/probe-service.ts';
import type { Store } from '../store/types.ts';
import type { CoordinatorAlerting } from './coordinator-alerting.ts';
import type { CoordinatorConsensus } from './coordinator-consensus.ts';
import { revocationList } from './coordinator-peer-tls.ts';

/** What enrolling, removing and probing nodes touches on a running coordinator. */
export interface CoordinatorClusterDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  nodeId: string;
  identity: NodeIdentity;
  tls: Omit<PeerTlsMaterial, 'crlPem'>;
  ca: { certPem: string; keyPem: string };
  /** Where agents reach the peer port (the bound port is known only once it listens). */
  peerAddress: () => { host: string; port: number };
  auth: AuthService;
  alerting: CoordinatorAlerting;
  membership: MembershipTracker;
  consensus: CoordinatorConsensus;
  hub: () => AgentHub;
  peer: () => PeerServer;
  onNodeRemoved: () => void;
  /**
   * Whether this composition runs the leader plane. A follower's membership tracker is not
   * running, so it shows the leader's judgement as stored.
   */
  leading: boolean;
  leaseHolder: () => Promise<LeaseHolder | null>;
}

export interface CoordinatorCluster {
  service: ClusterService;
  /** Whether a certificate serial belongs to a removed node (checked on every peer handshake). */
  isRevoked: (serial: string) => boolean;
  /** Probe-now across the coordinator and every online agent. */
  probe: ProbeService;
}

/**
 * The cluster service wired into the running parts: an enrolled node joins membership and the
 * consensus directory; a removed node loses its operator token, its certificate is revoked
 * (the peer server's CRL is re-signed) and every part forgets it.
 */
export async function createCoordinatorCluster(
  deps: CoordinatorClusterDeps,
): Promise<CoordinatorCluster> {
  const { store, clock, logger: log, nodeId, identity, tls, ca, membership, consensus } = deps;
  const revoked = new Set(
    (await store.listNodes({ includeRemoved: true }))
      .filter((n) => n.removedAt !== null)
      .map((n) => n.certSerial),
  );
  const service = createClusterService({
    store,
    clock,
    ca,
    caFingerprint: normaliseFingerprint(new X509Certificate(tls.caCertPem).fingerprint256),
    self: { id: nodeId, name: identity.name },
    joinAddress: () =>
      chooseJoinAddress({
        advertise: identity.peer?.advertise ?? null,
        listenHost: deps.peerAddress().host,
        boundPort: deps.peerAddress().port,
        interfaces: os.networkInterfaces(),
      }),
    coordinatorAddresses: () => listCoordinatorAddresses(store),
    newId: (prefix) => newId(prefix),
    materializeRoutes: (routes, at) => deps.alerting.targets.materializeRoutes(routes, at),
    live: (id) =>
      deps.leading
        ? {
            state: membership.state(id),
            lastSeen: membership.lastSeen(id),
            canaries: id === nodeId ? consensus.vantage.canaries() : deps.hub().canaries(id),
          }
        : { state: undefined, lastSeen: null },
    leaseHolder: deps.leaseHolder,
    onEnrolled: (node) => {
      membership.added(node);
      if (isVantageOf(node, nodeId)) consensus.directory.set(node.id, node);
      log.info({ enrolledNodeId: node.id, name: node.name, region: node.region }, 'node enrolled');
    },
    issueOperatorToken: (enrolledId, role) => deps.auth.createNodeOperator(enrolledId, role),
    onRemoved: async (node) => {
      await deps.auth.revokeNodeOperator(node.id);
      revoked.add(node.certSerial);
      const crlPem = await revocationList(ca, store, clock.now());
      deps.peer().updateTls(crlPem === undefined ? tls : { ...tls, crlPem });
      deps.hub().disconnect(node.id);
      membership.removed(node.id);
      consensus.directory.delete(node.id);
      consensus.runner.nodeRemoved(node.id);
      deps.onNodeRemoved();
      log.warn({ removedNodeId: node.id, name: node.name }, 'node removed; certificate revoked');
    },
  });
  const probe = createProbeService({
    clock,
    logger: log,
    // The coordinator and every online agent; a probe asks each to check now.
    nodes: () =>
      [...consensus.directory.values()]
        .filter((n) => n.id === nodeId || membership.state(n.id) === 'online')
        .map((n) => ({ id: n.id, name: n.name, region: n.region, labels: n.labels })),
    run: (peerId, check) => consensus.probeOn(peerId, check),
  });
  return { service, isRevoked: (serial) => revoked.has(serial), probe };
}
