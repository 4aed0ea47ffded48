import WebSocket from 'ws';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { NodeSignal, ProbeCheck, VoteEvidence, VoteReply } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type { Clock } from '../../lib/clock.ts';
import { isFenced } from '../../lib/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { MonitorChange } from '../../domain/monitor-change.ts';
import type { Store } from '../../store/types.ts';
import { agentRuns, monitorsFor } from '../assignment.ts';
import { listCoordinatorAddresses } from '../coordinator-addresses.ts';
import type { PeerIdentity } from '../pki/identity.ts';
import type { AgentMessage, CoordinatorMessage } from '../peer/messages.ts';
import {
  evidenceFromWire,
  frameText,
  parseAgentMessage,
  resultFromWire,
} from '../peer/messages.ts';
import { CLOSE_PROTOCOL, CLOSE_REMOVED, CLOSE_REPLACED } from '../peer/peer-server.ts';
import type { Leadership } from './leader-redirect.ts';
export type { Leadership } from './leader-redirect.ts';
import { ALWAYS_LEADING, redirectAfter, redirectUnlessLeading } from './leader-redirect.ts';
import type { MembershipTracker } from './membership-tracker.ts';

export interface AgentHubDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  membership: MembershipTracker;
  heartbeatMs: number;
  /** Told to agents in the welcome, so their reconnect backoff stays inside the grace period. */
  graceCount?: number;
  /** The coordinator's current monitor definitions. */
  monitors(): Iterable<Monitor>;
  /** Runs a forwarded API request against the coordinator's own API, as the token's user. */
  forwardApi(
    method: string,
    url: string,
    body: unknown,
    token: string | undefined,
  ): Promise<{ status: number; body: unknown }>;
  /** Stores an agent's results; resolves once they are durable (then the batch is acked). */
  storeResults(results: RecordedResult[]): Promise<void>;
  /** Results from an agent were stored. */
  onResultsStored?(count: number): void;
  /** Consensus reports from agents: signals, suspect sets and votes. */
  consensus: AgentConsensusSink;
  /** An agent answered a probe. */
  onProbeResult(nodeId: string, probeId: string, evidence: VoteEvidence): void;
  /**
   * Whether this coordinator holds the leader lease, and where the leader is. Only the leader
   * takes agents' channels; the others answer not-leader. Absent: always leading (one coordinator).
   */
  leadership?(): Leadership;
}

/** Where the hub hands agents' consensus messages (the coordinator's consensus runner). */
export interface AgentConsensusSink {
  signal(nodeId: string, signal: NodeSignal): void;
  views(
    nodeId: string,
    suspects: { monitorId: string; since: number; evidence: VoteEvidence }[],
    canariesFailing: boolean,
  ): void;
  vote(nodeId: string, roundId: string, monitorId: string, reply: VoteReply): void;
}

/** The coordinator's side of every agent channel. */
export interface AgentHub {
  accept(identity: PeerIdentity, socket: WebSocket, remoteAddress: string): void;
  /** Pushes a committed monitor change to the agents it concerns. */
  monitorChanged(change: MonitorChange): void;
  /** Closes a node's channel (it was removed). */
  disconnect(nodeId: string): void;
  /**
   * This coordinator stopped leading: every agent is told where the leader is (null: none yet)
   * and its channel closed, once the results it already sent are stored and acknowledged (or
   * STORING_WAIT_MS passed without that: a hanging store must not hold the agents).
   * Batches arriving meanwhile are not stored; the agents send them to the leader.
   */
  redirectAll(leaderAddress: string | null): Promise<void>;
  connectedNodeIds(): string[];
  /** Asks a connected agent to vote now; false when it has no open channel. */
  requestVote(
    nodeId: string,
    request: { roundId: string; monitorId: string; deadlineAt: number },
  ): boolean;
  /** Asks a connected agent to run a probe; false when it has no open channel. */
  requestProbe(nodeId: string, probeId: string, check: ProbeCheck): boolean;
  /** The canary figures a node last reported in its heartbeat. */
  canaries(nodeId: string): { total: number; failing: number } | undefined;
  /** The node's clock minus ours, as its last heartbeat measured it. */
  clockOffsetMs(nodeId: string): number | null;
  /** Check rate and outbox depth from the node's last heartbeat (for metrics). */
  load(nodeId: string): { checksPerSecond: number; outboxBacklog: number } | undefined;
  close(): void;
}

interface Session {
  node: ClusterNode;
  socket: WebSocket;
  /** Monitors this agent has been sent (id → updatedAt); undefined until its snapshot went out. */
  sent: Map<string, number> | undefined;
  /** Serialises this session's stores and acks, so acks go out in order. */
  chain: Promise<void>;
  canaries: { total: number; failing: number } | undefined;
  clockOffsetMs: number | null;
  load: { checksPerSecond: number; outboxBacklog: number } | undefined;
  /** `views` chunks received so far; handed over when the last one arrives. */
  views: { monitorId: string; since: number; evidence: VoteEvidence }[];
  /** Every coordinator's address, told in the welcome. */
  coordinators: string[];
  /** Set by redirectAll: no more results are stored on this channel. */
  redirecting: boolean;
}

/** Builds the hub: sessions, config pushes, result ingest, heartbeats and API forwarding. */
export function createAgentHub(deps: AgentHubDeps): AgentHub {
  const { store, clock, membership } = deps;
  const leadership = (): Leadership => deps.leadership?.() ?? ALWAYS_LEADING();
  const log = deps.logger.child({ part: 'agent-hub' });
  const sessions = new Map<string, Session>();
  // Config pushes run one at a time, so every agent sees changes in commit order.
  let configChain: Promise<void> = Promise.resolve();
  // Changes waiting for their push: a bulk write publishes thousands at once, and one push
  // (one read of the config version) carries all of them, still in commit order.
  let waitingChanges: MonitorChange[] = [];

  function send(session: Session, message: CoordinatorMessage): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(message));
  }

  function enqueueConfig(task: () => Promise<void>): void {
    configChain = configChain
      .then(task)
      .catch((error: unknown) => log.error({ err: error }, 'config push failed'));
  }

  async function accept(
    identity: PeerIdentity,
    socket: WebSocket,
    remote: string,
    early: Buffer[],
  ): Promise<void> {
    const [node, coordinators] = await Promise.all([
      store.getNode(identity.nodeId),
      listCoordinatorAddresses(store),
    ]);
    // Leadership may have moved during the lookup; redirectAll has not seen this channel.
    if (redirectUnlessLeading(leadership(), socket, log, identity.nodeId)) return;
    if (node === undefined || node.removedAt !== null || node.certSerial !== identity.serial) {
      log.warn({ peerNodeId: identity.nodeId, remote }, 'channel refused: node unknown or removed');
      socket.close(CLOSE_REMOVED, 'node removed from the cluster');
      return;
    }
    const previous = sessions.get(node.id);
    if (previous) previous.socket.close(CLOSE_REPLACED, 'replaced by a newer channel');
    const session: Session = {
      node,
      socket,
      sent: undefined,
      chain: Promise.resolve(),
      canaries: undefined,
      clockOffsetMs: null,
      load: undefined,
      views: [],
      coordinators,
      redirecting: false,
    };
    sessions.set(node.id, session);
    membership.setConnected(node.id, true);
    membership.seen(node.id, clock.now());
    log.info({ peerNodeId: node.id, name: node.name, remote }, 'agent connected');

    const onFrame = (data: WebSocket.RawData): void => {
      membership.seen(node.id, clock.now());
      let message: AgentMessage;
      try {
        message = parseAgentMessage(frameText(data), node.id);
      } catch (error) {
        log.warn({ peerNodeId: node.id, err: error }, 'invalid message from agent; closing');
        socket.close(CLOSE_PROTOCOL, 'invalid message');
        return;
      }
      handle(session, message, remote);
    };
    socket.removeAllListeners('message');
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) onFrame(data);
    });
    // Frames that arrived while the node was looked up (the agent's hello comes at once).
    for (const frame of early.splice(0)) onFrame(frame);
    socket.on('close', () => {
      if (sessions.get(node.id) !== session) return;
      sessions.delete(node.id);
      membership.setConnected(node.id, false);
      log.info({ peerNodeId: node.id, name: node.name }, 'agent disconnected');
    });
    socket.on('error', (error) =>
      log.debug({ peerNodeId: node.id, err: error }, 'agent socket error'),
    );
  }

  function handle(session: Session, message: AgentMessage, remote: string): void {
    const nodeId = session.node.id;
    switch (message.type) {
      case 'hello':
        send(session, {
          type: 'welcome',
          nodeId,
          name: session.node.name,
          serverTime: clock.now(),
          heartbeatMs: deps.heartbeatMs,
          ...(deps.graceCount === undefined ? {} : { graceCount: deps.graceCount }),
          ...(session.coordinators.length === 0 ? {} : { coordinators: session.coordinators }),
        });
        void store
          .updateNodeStatus(nodeId, {
            lastSeen: clock.now(),
            version: message.version,
            remoteAddress: remote,
          })
          .catch((error: unknown) =>
            log.error({ peerNodeId: nodeId, err: error }, 'node status update failed'),
          );
        enqueueConfig(async () => {
          const version = await store.configVersion();
          const assigned = monitorsFor(deps.monitors(), session.node);
          session.sent = new Map(assigned.map((m) => [m.id, m.updatedAt]));
          send(session, { type: 'config-snapshot', version, monitors: assigned });
        });
        return;
      case 'heartbeat':
        session.canaries = message.canaries;
        session.clockOffsetMs = message.clockOffsetMs;
        session.load = {
          checksPerSecond: message.checksPerSecond,
          outboxBacklog: message.outboxBacklog,
        };
        send(session, {
          type: 'heartbeat-ack',
          seq: message.seq,
          agentSentAt: message.sentAt,
          serverTime: clock.now(),
        });
        void store
          .updateNodeStatus(nodeId, {
            lastSeen: clock.now(),
            checksPerSecond: message.checksPerSecond,
            clockOffsetMs: message.clockOffsetMs,
            outboxBacklog: message.outboxBacklog,
          })
          .catch((error: unknown) =>
            log.error({ peerNodeId: nodeId, err: error }, 'node status update failed'),
          );
        return;
      case 'results': {
        // Unacknowledged, the batch stays in the agent's outbox for the leader.
        if (session.redirecting) return;
        // The node id comes from the certificate, never from the message body.
        const results = message.results.map((wire) => resultFromWire(wire, nodeId));
        session.chain = session.chain
          .then(async () => {
            await deps.storeResults(results);
            deps.onResultsStored?.(results.length);
            send(session, { type: 'results-ack', upTo: message.upTo });
          })
          .catch((error: unknown) => {
            // Without an ack the agent keeps the batch and sends it again after reconnecting.
            const fields = { peerNodeId: nodeId, err: error };
            if (isFenced(error))
              log.warn(fields, 'not the leader any more: agent results left to the new leader');
            else log.error(fields, 'storing agent results failed; closing the channel');
            session.socket.close(1011, 'store failure');
          });
        return;
      }
      case 'signal':
        deps.consensus.signal(nodeId, {
          monitorId: message.monitorId,
          kind: message.kind,
          since: message.since,
          evidence: evidenceFromWire(message.evidence),
          canariesFailing: message.canariesFailing,
        });
        return;
      case 'views': {
        for (const s of message.suspect)
          session.views.push({ ...s, evidence: evidenceFromWire(s.evidence) });
        if (!message.last) return;
        const views = session.views;
        session.views = [];
        deps.consensus.views(nodeId, views, message.canariesFailing);
        return;
      }
      case 'vote':
        deps.consensus.vote(nodeId, message.roundId, message.monitorId, {
          outcome: message.outcome,
          evidence: evidenceFromWire(message.evidence),
          canariesFailing: message.canariesFailing,
        });
        return;
      case 'probe-result':
        deps.onProbeResult(nodeId, message.probeId, evidenceFromWire(message.evidence));
        return;
      case 'api-request':
        void deps
          .forwardApi(message.method, message.url, message.body, message.token)
          .then(
            (response) => response,
            (error: unknown) => {
              log.error({ peerNodeId: nodeId, err: error }, 'forwarded API request failed');
              return {
                status: 500,
                body: { error: { code: 'INTERNAL', message: 'internal error', issues: [] } },
              };
            },
          )
          .then((response) =>
            send(session, { type: 'api-response', requestId: message.requestId, ...response }),
          );
        return;
    }
  }

  function pushChange(session: Session, change: MonitorChange, version: number): void {
    if (session.sent === undefined) return;
    if (change.type === 'removed') {
      if (!session.sent.delete(change.id)) return;
      send(session, { type: 'config-change', version, upserted: [], removed: [change.id] });
      return;
    }
    const monitor = change.monitor;
    if (agentRuns(monitor, session.node)) {
      session.sent.set(monitor.id, monitor.updatedAt);
      send(session, { type: 'config-change', version, upserted: [monitor], removed: [] });
    } else if (session.sent.delete(monitor.id)) {
      send(session, { type: 'config-change', version, upserted: [], removed: [monitor.id] });
    }
  }

  return {
    accept(identity, socket, remote) {
      if (redirectUnlessLeading(leadership(), socket, log, identity.nodeId)) return;
      // Listen at once: 'message' events are not buffered, and the lookup below is async.
      const early: Buffer[] = [];
      socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        if (!isBinary && early.length < 16) early.push(Buffer.from(frameText(data)));
      });
      accept(identity, socket, remote, early).catch((error: unknown) => {
        log.error({ peerNodeId: identity.nodeId, err: error }, 'accepting an agent channel failed');
        socket.terminate();
      });
    },
    monitorChanged(change) {
      // With no agent connected there is nobody to tell: a later one gets a snapshot.
      if (sessions.size === 0) return;
      waitingChanges.push(change);
      if (waitingChanges.length > 1) return;
      enqueueConfig(async () => {
        const changes = waitingChanges;
        waitingChanges = [];
        const version = await store.configVersion();
        for (const session of sessions.values())
          for (const waiting of changes) pushChange(session, waiting, version);
      });
    },
    disconnect(nodeId) {
      const session = sessions.get(nodeId);
      if (session) session.socket.close(CLOSE_REMOVED, 'node removed from the cluster');
    },
    async redirectAll(leaderAddress) {
      const all = [...sessions.values()];
      for (const session of all) session.redirecting = true;
      log.info(
        { leader: leaderAddress, agents: all.length },
        'no longer leading; redirecting agents',
      );
      await Promise.all(
        all.map(async (session) => {
          // Batches already being stored finish and are acknowledged (not sent twice), unless
          // the store hangs: then the agent moves on and sends them to the leader.
          if (!(await redirectAfter(session.chain, session.socket, leaderAddress)))
            log.warn(
              { peerNodeId: session.node.id },
              'results still being stored; agent redirected without their acknowledgement',
            );
        }),
      );
    },
    connectedNodeIds: () => [...sessions.keys()],
    requestVote(nodeId, request) {
      const session = sessions.get(nodeId);
      if (session?.socket.readyState !== WebSocket.OPEN) return false;
      send(session, { type: 'vote-request', ...request });
      return true;
    },
    requestProbe(nodeId, probeId, check) {
      const session = sessions.get(nodeId);
      if (session?.socket.readyState !== WebSocket.OPEN) return false;
      send(session, {
        type: 'probe-request',
        probeId,
        check: { ...check, type: check.type as Monitor['type'] },
      });
      return true;
    },
    canaries: (nodeId) => sessions.get(nodeId)?.canaries,
    clockOffsetMs: (nodeId) => sessions.get(nodeId)?.clockOffsetMs ?? null,
    load: (nodeId) => sessions.get(nodeId)?.load,
    close() {
      for (const session of sessions.values()) session.socket.terminate();
      sessions.clear();
    },
  };
}
