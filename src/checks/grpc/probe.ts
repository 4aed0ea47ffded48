import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { Client, Metadata, credentials, connectivityState, status } from '@grpc/grpc-js';
import type { ChannelCredentials, ServiceError } from '@grpc/grpc-js';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { resolveHost } from '../host-lookup.ts';
import { formatHostPort } from '../net-names.ts';
import { trustedContext } from '../tls/ca-option.ts';
import type { HealthCheckResponse } from './health-proto.ts';
import { HEALTH_CHECK_PATH, decodeResponse, encodeRequest } from './health-proto.ts';
import type { GrpcOptions } from './options.ts';

export type GrpcPhase = 'dns' | 'connect' | 'call';

/** What one Health/Check call saw. */
export interface GrpcProbe {
  phase: GrpcPhase;
  /** dnsMs (names only), connectMs (TCP, TLS and HTTP/2 settings: channel READY). */
  timings: PhaseTimings;
  response?: HealthCheckResponse;
  /** The call's failure status (grpc-js ServiceError) or the lookup's error. */
  error?: unknown;
  /** The signal ended the call (deadline or shutdown). */
  aborted: boolean;
}

/** A small health reply is all the check reads; anything bigger is refused by grpc-js. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Resolves (timed), then one Health/Check call on a channel of its own, closed after. */
export async function probeGrpc(
  host: string,
  port: number,
  options: GrpcOptions,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<GrpcProbe> {
  const resolved = await resolveHost(host, signal);
  if (!('address' in resolved))
    return {
      phase: 'dns',
      timings: resolved.timings,
      error: resolved.error,
      aborted: resolved.aborted,
    };
  return call(host, resolved.address, port, options, timeoutMs, signal, resolved.timings);
}

function channelCredentials(options: GrpcOptions): ChannelCredentials {
  if (options.tls === 'off') return credentials.createInsecure();
  if (options.tls === 'skip-verify')
    return credentials.createSsl(null, null, null, {
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
  const secureContext = trustedContext(options.ca);
  // createSsl would build a context from the roots on every check; the cached one is reused.
  return secureContext === undefined
    ? credentials.createSsl(null)
    : credentials.createFromSecureContext(secureContext);
}

/**
 * A channel with everything that acts behind the caller's back off: no retries, no shared
 * subchannel pool (its connections would outlive the check), no service-config lookups. It
 * connects to the resolved address; the name the user gave is the authority and TLS name.
 */
function openClient(host: string, address: string, port: number, options: GrpcOptions): Client {
  const literal = isIP(address) === 6 ? `ipv6:[${address}]:${port}` : `ipv4:${address}:${port}`;
  return new Client(literal, channelCredentials(options), {
    'grpc.enable_retries': 0,
    'grpc.use_local_subchannel_pool': 1,
    'grpc.service_config_disable_resolution': 1,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.default_authority': formatHostPort(host, port),
    ...(options.tls !== 'off' && isIP(host) === 0 ? { 'grpc.ssl_target_name_override': host } : {}),
  });
}

async function call(
  host: string,
  address: string,
  port: number,
  options: GrpcOptions,
  timeoutMs: number,
  signal: AbortSignal,
  timings: PhaseTimings,
): Promise<GrpcProbe> {
  const sockets = new Set<Socket>();
  const capture = (message: unknown): void => {
    const socket = (message as { socket?: Socket }).socket;
    if (socketOwner.getStore() === sockets && socket !== undefined) sockets.add(socket);
  };
  diagnostics.subscribe(CLIENT_SOCKET_CHANNEL, capture);
  try {
    return await socketOwner.run(sockets, () =>
      callOnChannel(host, address, port, options, timeoutMs, signal, timings),
    );
  } finally {
    diagnostics.unsubscribe(CLIENT_SOCKET_CHANNEL, capture);
    // grpc-js leaves a connection that never got the server's HTTP/2 settings open after the
    // channel closes (its connector is not shut down); the check closes what it opened.
    for (const socket of sockets) socket.destroy();
  }
}

/**
 * Which check a client socket belongs to: grpc-js opens its sockets itself (no socket factory),
 * so the check finds its own through Node's `net.client.socket` diagnostics channel, attributed
 * by the async context the channel's connect ran in. Holds no state outside a `run`.
 */
const socketOwner = new AsyncLocalStorage<Set<Socket>>();
const CLIENT_SOCKET_CHANNEL = 'net.client.socket';

async function callOnChannel(
  host: string,
  address: string,
  port: number,
  options: GrpcOptions,
  timeoutMs: number,
  signal: AbortSignal,
  timings: PhaseTimings,
): Promise<GrpcProbe> {
  const client = openClient(host, address, port, options);
  const probe: GrpcProbe = { phase: 'connect', timings, aborted: false };
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  whenReady(client, deadline, () => {
    timings.connectMs = performance.now() - started;
    probe.phase = 'call';
  });
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(options.headers)) metadata.set(key, value);
  let onAbort = (): void => undefined;
  try {
    await new Promise<void>((resolve) => {
      const pending = client.makeUnaryRequest(
        HEALTH_CHECK_PATH,
        encodeRequest,
        decodeResponse,
        { service: options.service },
        metadata,
        { deadline },
        (error: ServiceError | null, response?: HealthCheckResponse) => {
          if (error) probe.error = error;
          else if (response !== undefined) probe.response = response;
          resolve();
        },
      );
      onAbort = () => {
        probe.aborted = true;
        pending.cancel();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    client.close();
  }
  return probe;
}

/** Calls `onReady` when the channel first becomes READY; stops at the deadline or shutdown. */
function whenReady(client: Client, deadline: number, onReady: () => void): void {
  const channel = client.getChannel();
  const watch = (state: connectivityState): void => {
    if (state === connectivityState.READY) return onReady();
    if (state === connectivityState.SHUTDOWN) return;
    channel.watchConnectivityState(state, deadline, (error?: Error) => {
      if (error === undefined) watch(channel.getConnectivityState(false));
    });
  };
  watch(channel.getConnectivityState(false));
}

/** The grpc status code's name (`UNAVAILABLE`), or the number when it has none. */
export function statusName(code: number): string {
  // `status` is a numeric enum: its reverse mapping gives the name.
  const name: unknown = (status as unknown as Record<number, unknown>)[code];
  return typeof name === 'string' ? name : String(code);
}
