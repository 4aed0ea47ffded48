import WebSocket from 'ws';
import { AppError } from '../../lib/errors.ts';
import type { NodeSignal, ProbeCheck, VoteEvidence, VoteReply } from '../../domain/consensus.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { ForwardedResponse } from './forwarded-requests.ts';
import { createForwardedRequests } from './forwarded-requests.ts';
import { formatHostPort, peerClientTlsOptions } from '../pki/tls-options.ts';
import type { CoordinatorMessage, OutgoingAgentMessage } from './messages.ts';
import {
  boundBatchEvidence,
  frameText,
  MAX_RESULTS_PER_BATCH,
  MAX_VIEWS_PER_MESSAGE,
  parseCoordinatorMessage,
} from './messages.ts';
import type { Rotation } from './coordinator-rotation.ts';
import { advance, dialAddress, startRotation, withAddresses } from './coordinator-rotation.ts';
import { CLOSE_REMOVED, PEER_CHANNEL_PATH } from './peer-server.ts';
import type { BackoffPolicy } from './reconnect-backoff.ts';
import { DEFAULT_BACKOFF, reconnectCapMs, reconnectDelayMs } from './reconnect-backoff.ts';

/** Config messages the agent applies (snapshot or change). */
export type ConfigMessage = Extract<
  CoordinatorMessage,
  { type: 'config-snapshot' | 'config-change' }
>;

/** A vote request as the agent handles it. */
export type VoteRequest = Extract<CoordinatorMessage, { type: 'vote-request' }>;

/** What this node tells the coordinator after every welcome (it replaces the previous views). */
export interface NodeViews {
  suspect: { monitorId: string; since: number; evidence: VoteEvidence }[];
  canariesFailing: boolean;
}

export interface CoordinatorLinkOptions {
  /** The coordinator dialed first (the one joined through, or the first known). */
  host: string;
  port: number;
  /**
   * The other coordinators this node knows (host:port): tried in turn when one is unreachable
   * or has no leader to name. Welcomes replace the list.
   */
  addresses?: readonly string[];
  /** A welcome brought a different list of coordinators: persist it for the next start. */
  onCoordinators?(addresses: string[]): void;
  tls: { caCertPem: string; certPem: string; keyPem: string };
  logger: Logger;
  clock: Clock;
  version: string;
  outbox: Outbox;
  /** The cached config version, sent in hello. */
  configVersion(): number | null;
  onConfig(message: ConfigMessage): void;
  checksPerSecond(): number;
  heartbeatMs: number;
  /** The grace count this node was configured with; the coordinator's welcome overrides it. */
  graceCount?: number;
  backoff?: BackoffPolicy;
  /** Result batches sent before waiting for acknowledgements. */
  window?: number;
  /** This node's suspect set, sent after every welcome (none when absent). */
  views?(): NodeViews;
  /** Runs a vote; its answer is sent whenever it comes (a late one is still recorded). */
  onVoteRequest?: (request: VoteRequest) => Promise<VoteReply>;
  /** Runs an ad-hoc check (`crosscheck probe`); its evidence is sent back. */
  onProbeRequest?: (check: ProbeCheck) => Promise<VoteEvidence>;
  /** This node's canaries, carried by every heartbeat. */
  canaries?(): { total: number; failing: number };
}

export type { ForwardedResponse } from './forwarded-requests.ts';

/** An agent's one long-lived channel to the coordinator. */
export interface CoordinatorLink {
  start(): void;
  stop(): Promise<void>;
  connected(): boolean;
  /** The coordinator the channel is up to (host:port); null while none is. */
  coordinator(): string | null;
  /** New results are in the outbox: send them if the channel is up. */
  kick(): void;
  /**
   * Runs an API request on the coordinator, authorized there by `token` (this node's operator
   * token); UNAVAILABLE when the channel is down.
   */
  forward(method: string, url: string, body: unknown, token?: string): Promise<ForwardedResponse>;
  /** Clock offset (this node minus coordinator) measured by the last heartbeat, ms. */
  clockOffsetMs(): number | null;
  /**
   * Sends a local hysteresis signal now; false when the channel is down. Signals are not
   * queued: the views sent after the next welcome carry the current suspect set instead.
   */
  signal(signal: NodeSignal): boolean;
}

const WELCOME_TIMEOUT_MS = 10_000;

/**
 * Dials the coordinator over mutual TLS, keeps the channel alive with heartbeats, reconnects
 * with backoff and jitter, streams the outbox in acknowledged batches and applies config.
 */
export function createCoordinatorLink(options: CoordinatorLinkOptions): CoordinatorLink {
  const { clock, outbox } = options;
  const log = options.logger.child({ part: 'coordinator-link' });
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const window = options.window ?? 4;
  let rotation: Rotation = startRotation([
    formatHostPort(options.host, options.port),
    ...(options.addresses ?? []),
  ]);
  // The coordinator dialed last; every log line about the channel names it.
  let where = dialAddress(rotation);
  let socket: WebSocket | undefined;
  let welcomed = false;
  let stopped = true;
  let attempt = 0;
  let reconnectTimer: TimerHandle | undefined;
  let heartbeatTimer: TimerHandle | undefined;
  let heartbeatMs = options.heartbeatMs;
  let graceCount = options.graceCount;
  let heartbeatSeq = 0;
  let lastHeardAt = 0;
  let offsetMs: number | null = null;
  // Outbox sequence of the last result sent on this connection; acks arrive in order.
  let sentUpTo = 0;
  let unacked = 0;
  const requests = createForwardedRequests(clock);

  function send(message: OutgoingAgentMessage): void {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function connect(): void {
    if (stopped) return;
    where = dialAddress(rotation);
    // Set by a not-leader message: the close that follows is a redirect, not a failure.
    let redirect: { leader: string | null } | undefined;
    const ws = new WebSocket(`wss://${where}${PEER_CHANNEL_PATH}`, {
      ...peerClientTlsOptions(options.tls),
      handshakeTimeout: 10_000,
      maxPayload: 64 * 1024 * 1024,
    });
    socket = ws;
    ws.on('open', () => {
      lastHeardAt = clock.now();
      send({ type: 'hello', version: options.version, configVersion: options.configVersion() });
      // A channel that never gets its welcome is useless; start over rather than wait forever.
      const welcomeTimer = clock.setTimeout(() => {
        if (welcomed || socket !== ws) return;
        log.warn({ coordinator: where }, 'no welcome from the coordinator; reconnecting');
        ws.terminate();
      }, WELCOME_TIMEOUT_MS);
      ws.once('close', () => clock.clearTimeout(welcomeTimer));
    });
    ws.on('message', (data: WebSocket.RawData) => {
      lastHeardAt = clock.now();
      let message: CoordinatorMessage;
      try {
        message = parseCoordinatorMessage(frameText(data));
      } catch (error) {
        log.error(
          { err: error, coordinator: where },
          'coordinator sent an invalid message; reconnecting',
        );
        ws.terminate();
        return;
      }
      if (message.type === 'not-leader') {
        redirect = { leader: message.leader };
        log.info(
          { coordinator: where, leader: message.leader },
          message.leader === null
            ? 'coordinator has no leader yet; trying the others'
            : 'coordinator is not the leader; moving to the leader',
        );
        ws.close(1000, 'not the leader');
        return;
      }
      handle(message);
    });
    ws.on('error', (error) => {
      log.debug({ err: error, coordinator: where }, 'coordinator channel error');
    });
    ws.on('close', (code, reason) => {
      if (socket === ws) socket = undefined;
      const wasWelcomed = welcomed;
      welcomed = false;
      sentUpTo = 0;
      unacked = 0;
      requests.failAll('the channel to the coordinator closed');
      if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
      if (stopped) return;
      if (code === CLOSE_REMOVED)
        log.error(
          { coordinator: where },
          'this node was removed from the cluster; its certificate is revoked (join again with a new token)',
        );
      const step = advance(
        rotation,
        redirect === undefined ? { kind: 'failed' } : { kind: 'not-leader', ...redirect },
      );
      rotation = step.rotation;
      // Bounded by the coordinator's grace period: once it listens again we must be quick.
      const cap = reconnectCapMs(backoff, { heartbeatMs, graceCount });
      const delay = step.immediate ? 0 : reconnectDelayMs(attempt++, backoff, Math.random(), cap);
      (wasWelcomed && redirect === undefined ? log.warn.bind(log) : log.debug.bind(log))(
        {
          coordinator: where,
          next: dialAddress(rotation),
          code,
          reason: reason.toString(),
          retryInMs: delay,
        },
        'channel to the coordinator lost; reconnecting',
      );
      reconnectTimer = clock.setTimeout(connect, delay);
    });
  }

  /** The suspect set in bounded chunks; the last one (possibly empty) completes it. */
  function sendViews(views: NodeViews): void {
    const { suspect, canariesFailing } = views;
    for (let start = 0; ; start += MAX_VIEWS_PER_MESSAGE) {
      const chunk = suspect.slice(start, start + MAX_VIEWS_PER_MESSAGE);
      const last = start + MAX_VIEWS_PER_MESSAGE >= suspect.length;
      send({ type: 'views', suspect: chunk, last, canariesFailing });
      if (last) return;
    }
  }

  function handle(message: CoordinatorMessage): void {
    switch (message.type) {
      case 'welcome':
        welcomed = true;
        attempt = 0;
        heartbeatMs = message.heartbeatMs;
        graceCount = message.graceCount ?? graceCount;
        rotation = advance(rotation, { kind: 'welcomed' }).rotation;
        if (message.coordinators !== undefined) learnCoordinators(message.coordinators);
        log.info({ coordinator: where, nodeId: message.nodeId }, 'connected to the coordinator');
        heartbeat();
        if (options.views) sendViews(options.views());
        pump();
        return;
      case 'config-snapshot':
      case 'config-change':
        options.onConfig(message);
        return;
      case 'heartbeat-ack': {
        const now = clock.now();
        const rtt = now - message.agentSentAt;
        offsetMs = Math.round(message.agentSentAt + rtt / 2 - message.serverTime);
        return;
      }
      case 'results-ack':
        outbox.acknowledge(message.upTo);
        unacked = Math.max(0, unacked - 1);
        pump();
        return;
      case 'vote-request':
        answer(options.onVoteRequest, message, (reply) => ({
          type: 'vote',
          roundId: message.roundId,
          monitorId: message.monitorId,
          ...reply,
        }));
        return;
      case 'probe-request':
        answer(options.onProbeRequest, message.check, (evidence) => ({
          type: 'probe-result',
          probeId: message.probeId,
          evidence,
        }));
        return;
      case 'api-response': {
        requests.answered(message.requestId, { status: message.status, body: message.body });
        return;
      }
    }
  }

  /** Takes a welcome's list of coordinators, telling the node when it changed. */
  function learnCoordinators(addresses: string[]): void {
    const before = rotation.addresses;
    rotation = withAddresses(rotation, addresses, where);
    const after = rotation.addresses;
    if (after.length === before.length && after.every((a, i) => a === before[i])) return;
    log.info({ coordinator: where, coordinators: after }, 'coordinator list updated');
    options.onCoordinators?.([...after]);
  }

  /** Runs a request's handler and sends its answer on whatever channel is up when it is done. */
  function answer<I, O>(
    handler: ((input: I) => Promise<O>) | undefined,
    input: I,
    toMessage: (output: O) => OutgoingAgentMessage,
  ): void {
    if (handler === undefined) return;
    handler(input).then(
      (output) => {
        // Before a welcome the coordinator does not know this channel yet; the answer is lost
        // (the round counts no answer), as on a dropped channel.
        if (welcomed) send(toMessage(output));
        else log.debug('channel down; a vote or probe answer was dropped');
      },
      (error: unknown) => log.error({ err: error }, 'answering a coordinator request failed'),
    );
  }

  function heartbeat(): void {
    if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
    if (!welcomed || socket === undefined) return;
    const now = clock.now();
    // A half-open TCP connection looks alive to us; silence is the only sign.
    if (now - lastHeardAt > 3 * heartbeatMs) {
      log.warn(
        { coordinator: where, silentMs: now - lastHeardAt },
        'coordinator silent; reconnecting',
      );
      socket.terminate();
      return;
    }
    send({
      type: 'heartbeat',
      seq: heartbeatSeq++,
      sentAt: now,
      checksPerSecond: Math.round(options.checksPerSecond() * 100) / 100,
      clockOffsetMs: offsetMs,
      outboxBacklog: outbox.backlog(),
      canaries: options.canaries?.() ?? { total: 0, failing: 0 },
    });
    heartbeatTimer = clock.setTimeout(heartbeat, heartbeatMs);
  }

  function pump(): void {
    while (welcomed && unacked < window) {
      const batch = outbox.read(sentUpTo, MAX_RESULTS_PER_BATCH);
      if (batch === undefined) return;
      send({ type: 'results', upTo: batch.upTo, results: boundBatchEvidence(batch.results) });
      sentUpTo = batch.upTo;
      unacked++;
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    async stop() {
      stopped = true;
      if (reconnectTimer !== undefined) clock.clearTimeout(reconnectTimer);
      if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
      const ws = socket;
      if (ws === undefined) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1_000);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(1001, 'agent stopping');
      });
    },
    connected: () => welcomed,
    coordinator: () => (welcomed ? where : null),
    kick: pump,
    signal(signal) {
      if (!welcomed) return false;
      send({ type: 'signal', ...signal });
      return true;
    },
    clockOffsetMs: () => offsetMs,
    forward(method, url, body, token) {
      if (!welcomed)
        return Promise.reject(
          new AppError('UNAVAILABLE', `the coordinator at ${where} is unreachable from this node`),
        );
      return requests.forward({ method, url, body, token }, send, where);
    },
  };
}
