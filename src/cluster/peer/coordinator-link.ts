import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { AppError } from '../../lib/errors.ts';
import type { NodeSignal, ProbeCheck, VoteEvidence, VoteReply } from '../../domain/consensus.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { formatHostPort, peerClientTlsOptions } from '../pki/tls-options.ts';
import type { CoordinatorMessage, OutgoingAgentMessage } from './messages.ts';
import {
  boundBatchEvidence,
  frameText,
  MAX_RESULTS_PER_BATCH,
  MAX_VIEWS_PER_MESSAGE,
  parseCoordinatorMessage,
} from './messages.ts';
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
  host: string;
  port: number;
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

/** The answer to a forwarded API request. */
export interface ForwardedResponse {
  status: number;
  body: unknown;
}

/** An agent's one long-lived channel to the coordinator. */
export interface CoordinatorLink {
  start(): void;
  stop(): Promise<void>;
  connected(): boolean;
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

const FORWARD_TIMEOUT_MS = 15_000;
/** A probe waits for every node's check (up to its 120 s maximum timeout) plus a margin. */
const PROBE_FORWARD_TIMEOUT_MS = 130_000;

function forwardTimeoutMs(url: string): number {
  return url.startsWith('/api/v1/probe') ? PROBE_FORWARD_TIMEOUT_MS : FORWARD_TIMEOUT_MS;
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
  const where = formatHostPort(options.host, options.port);
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
  const pending = new Map<
    string,
    { resolve: (r: ForwardedResponse) => void; reject: (e: Error) => void; timer: TimerHandle }
  >();

  function send(message: OutgoingAgentMessage): void {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function connect(): void {
    if (stopped) return;
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
        log.error({ err: error }, 'coordinator sent an invalid message; reconnecting');
        ws.terminate();
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
      failPending('the channel to the coordinator closed');
      if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
      if (stopped) return;
      if (code === CLOSE_REMOVED)
        log.error(
          { coordinator: where },
          'this node was removed from the cluster; its certificate is revoked (join again with a new token)',
        );
      // Bounded by the coordinator's grace period: once it listens again we must be quick.
      const cap = reconnectCapMs(backoff, { heartbeatMs, graceCount });
      const delay = reconnectDelayMs(attempt++, backoff, Math.random(), cap);
      (wasWelcomed ? log.warn.bind(log) : log.debug.bind(log))(
        { coordinator: where, code, reason: reason.toString(), retryInMs: delay },
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
        const waiter = pending.get(message.requestId);
        if (waiter === undefined) return;
        pending.delete(message.requestId);
        clock.clearTimeout(waiter.timer);
        waiter.resolve({ status: message.status, body: message.body });
        return;
      }
    }
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

  function failPending(reason: string): void {
    for (const [id, waiter] of pending) {
      clock.clearTimeout(waiter.timer);
      waiter.reject(new AppError('UNAVAILABLE', reason));
      pending.delete(id);
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
      const requestId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          pending.delete(requestId);
          reject(new AppError('UNAVAILABLE', `the coordinator at ${where} did not answer in time`));
        }, forwardTimeoutMs(url));
        pending.set(requestId, { resolve, reject, timer });
        send({
          type: 'api-request',
          requestId,
          method: method as 'GET',
          url,
          ...(body === undefined ? {} : { body }),
          ...(token === undefined ? {} : { token }),
        });
      });
    },
  };
}
