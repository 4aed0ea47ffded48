import { randomBytes } from 'node:crypto';
import { connect as connectTcp, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { MqttClient } from 'mqtt';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { resolveHost } from '../host-lookup.ts';
import type { PatternOutcome } from '../pattern-evaluator.ts';
import type { BannerMatcher } from '../tcp/banner.ts';
import { trustedContext } from '../tls/ca-option.ts';

/** What to do once connected. */
export interface MqttProbeRequest {
  host: string;
  port: number;
  tls: { insecure: boolean; ca: string | undefined } | undefined;
  username: string | undefined;
  password: string | undefined;
  clientIdPrefix: string;
  /** Subscribe here and wait for a message; none: CONNACK is the whole check. */
  topic: string | undefined;
  /** Published to `topic` once subscribed (a round trip through the broker). */
  send: string | undefined;
  /** Judges each message's payload; undefined accepts the first message. */
  matches: BannerMatcher | undefined;
  /** Aborting ends the probe wherever it is and destroys the connection (timeout or shutdown). */
  signal: AbortSignal;
}

export type MqttPhase = 'dns' | 'connect' | 'subscribe' | 'message';

/**
 * `connected`: CONNACK accepted (no topic); `matched`: a message satisfied the check;
 * `refused`: the broker's CONNACK or SUBACK said no; `pattern`: the pattern gave no answer.
 */
export type MqttProbeEnd = 'connected' | 'matched' | 'refused' | 'pattern' | 'aborted' | 'error';

export interface MqttProbe {
  end: MqttProbeEnd;
  phase: MqttPhase;
  /** dnsMs (names only), connectMs (TCP), tlsMs, firstByteMs (CONNECT sent → CONNACK). */
  timings: PhaseTimings;
  clientId: string;
  /** Messages received on the topic, and the last one's payload (UTF-8). */
  messages: number;
  lastPayload: string | undefined;
  /** A refused CONNACK's return code, or 128 for a refused subscription. */
  returnCode?: number;
  pattern?: Exclude<PatternOutcome<boolean>, { status: 'done' }>;
  error?: unknown;
}

/** Resolves (timed), connects (timed), CONNACK, then optionally SUBSCRIBE, PUBLISH and wait. */
export async function probeMqtt(request: MqttProbeRequest): Promise<MqttProbe> {
  const clientId = `${request.clientIdPrefix}${randomBytes(6).toString('hex')}`;
  const resolved = await resolveHost(request.host, request.signal);
  if ('address' in resolved) return exchange(resolved.address, clientId, request, resolved.timings);
  return {
    end: resolved.aborted ? 'aborted' : 'error',
    phase: 'dns',
    timings: resolved.timings,
    clientId,
    messages: 0,
    lastPayload: undefined,
    error: resolved.error,
  };
}

/** Our own socket (timed, and destroyed on abort) for mqtt.js's stream builder. */
function openSocket(address: string, request: MqttProbeRequest, timings: PhaseTimings): Socket {
  const started = performance.now();
  const { tls } = request;
  const socket =
    tls === undefined
      ? connectTcp({ host: address, port: request.port, noDelay: true })
      : connectTls({
          host: address,
          port: request.port,
          // SNI and name verification use the name the user gave, not the resolved address.
          ...(isIP(request.host) === 0 ? { servername: request.host } : {}),
          rejectUnauthorized: !tls.insecure,
          ...(tls.ca === undefined ? {} : { secureContext: trustedContext(tls.ca) }),
        });
  socket.once('connect', () => (timings.connectMs = performance.now() - started));
  socket.once('secureConnect', () => {
    timings.tlsMs = performance.now() - started - (timings.connectMs ?? 0);
  });
  return socket;
}

async function exchange(
  address: string,
  clientId: string,
  request: MqttProbeRequest,
  timings: PhaseTimings,
): Promise<MqttProbe> {
  const probe: MqttProbe = {
    end: 'error',
    phase: 'connect',
    timings,
    clientId,
    messages: 0,
    lastPayload: undefined,
  };
  const socket = openSocket(address, request, timings);
  const started = performance.now();
  // Everything that acts behind the caller's back is off: no reconnect, no keepalive pings, no
  // resubscribe, no queueing; mqtt.js's own CONNACK timer only backs up the check's deadline.
  const client = new MqttClient(() => socket, {
    clientId,
    ...(request.username === undefined ? {} : { username: request.username }),
    ...(request.password === undefined ? {} : { password: request.password }),
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    keepalive: 0,
    resubscribe: false,
    queueQoSZero: false,
    connectTimeout: 3_600_000,
  });
  let done = false;
  let onAbort = (): void => undefined;
  const settled = new Promise<void>((resolve) => {
    // Only the first ending counts: a close after a refused CONNACK adds nothing.
    const finish: Finish = (end, extra = {}) => {
      if (done) return;
      done = true;
      Object.assign(probe, { end, ...extra });
      resolve();
    };
    onAbort = () => finish('aborted');
    if (request.signal.aborted) onAbort();
    else request.signal.addEventListener('abort', onAbort, { once: true });
    // The first error says why (ECONNREFUSED, a TLS code, CONNACK's refusal); later ones don't.
    client.on('error', (error: Error & { code?: unknown }) =>
      typeof error.code === 'number'
        ? finish('refused', { returnCode: error.code, error })
        : finish('error', { error }),
    );
    client.on('close', () =>
      finish('error', { error: new Error(`the broker closed the connection (${probe.phase})`) }),
    );
    client.once('connect', () => {
      // CONNECT → CONNACK: the time after the connection (and TLS) was up.
      const elapsed = performance.now() - started;
      timings.firstByteMs = elapsed - (timings.connectMs ?? 0) - (timings.tlsMs ?? 0);
      if (request.topic === undefined) return finish('connected');
      subscribe(client, request, probe, finish);
    });
  });
  try {
    await settled;
    return probe;
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    client.end(true);
    socket.destroy();
  }
}

type Finish = (end: MqttProbeEnd, extra?: Partial<MqttProbe>) => void;

/** Subscribes, publishes `send` when given, and judges each message until one satisfies. */
function subscribe(
  client: MqttClient,
  request: MqttProbeRequest,
  probe: MqttProbe,
  finish: Finish,
) {
  const topic = request.topic ?? '';
  // Judged one at a time and in order, so the last payload is the last one judged.
  let queue = Promise.resolve();
  client.on('message', (_topic: string, payload: Buffer) => {
    queue = queue.then(async () => {
      const text = payload.toString('utf8');
      probe.messages += 1;
      probe.lastPayload = text;
      if (request.matches === undefined) return finish('matched');
      const outcome = await request.matches(text);
      if (outcome.status !== 'done') finish('pattern', { pattern: outcome });
      else if (outcome.value) finish('matched');
    });
  });
  probe.phase = 'subscribe';
  client.subscribe(topic, { qos: 0 }, (error, granted) => {
    // mqtt.js reports a SUBACK failure code (0x80 and up) as an error carrying the SUBACK.
    const suback = (error as { packet?: { granted?: unknown[] } } | null | undefined)?.packet;
    const refusal = suback?.granted?.[0];
    if (typeof refusal === 'number') return finish('refused', { returnCode: refusal });
    if (error !== null && error !== undefined) return finish('error', { error });
    const code = granted?.[0]?.qos;
    if (code === undefined || code >= 0x80) return finish('refused', { returnCode: code ?? 0x80 });
    probe.phase = 'message';
    if (request.send !== undefined)
      client.publish(topic, request.send, { qos: 0 }, (publishError) => {
        if (publishError) finish('error', { error: publishError });
      });
  });
}
