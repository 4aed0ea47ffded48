import { isIP } from 'node:net';
import { Redis } from 'ioredis';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { resolveHost } from '../host-lookup.ts';
import { trustedContext } from '../tls/ca-option.ts';

/** What to ask once connected. */
export interface RedisProbeRequest {
  host: string;
  port: number;
  tls: { insecure: boolean; ca: string | undefined } | undefined;
  db: number | undefined;
  auth: { username: string | undefined; password: string } | undefined;
  /** The command's words, e.g. `['PING']`. */
  command: readonly string[];
  /** Aborting ends the probe wherever it is and destroys the connection (timeout or shutdown). */
  signal: AbortSignal;
}

export type RedisPhase = 'dns' | 'connect' | 'auth' | 'select' | 'command';

/** `replied`: the command answered (judged by the check); `refused`: the server said `-ERR…`. */
export type RedisProbeEnd = 'replied' | 'refused' | 'aborted' | 'error';

export interface RedisProbe {
  end: RedisProbeEnd;
  phase: RedisPhase;
  /** dnsMs (names only), connectMs (TCP and TLS), firstByteMs (the command's round trip). */
  timings: PhaseTimings;
  address: string | undefined;
  reply?: unknown;
  /** The server's error reply (`WRONGPASS …`) or the connection's error. */
  error?: unknown;
}

/** Resolves (timed), connects (timed), AUTH, SELECT, then the command. */
export async function probeRedis(request: RedisProbeRequest): Promise<RedisProbe> {
  const resolved = await resolveHost(request.host, request.signal);
  if ('address' in resolved) return exchange(resolved.address, request, resolved.timings);
  const { timings } = resolved;
  const end = resolved.aborted ? 'aborted' : 'error';
  return { end, phase: 'dns', timings, address: undefined, error: resolved.error };
}

/**
 * ioredis with everything that acts behind the caller's back turned off: no reconnects, no
 * retries, no offline queue, no ready check (INFO) or client-info commands, RESP2 (no HELLO),
 * so the server sees exactly AUTH, SELECT and the command, and a failure is reported once.
 */
function clientOptions(address: string, request: RedisProbeRequest) {
  return {
    host: address,
    port: request.port,
    lazyConnect: true,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
    maintNotifications: 'disabled' as const,
    protocol: 2 as const,
    // The check's deadline bounds every phase; ioredis's own timers would outlive an abort.
    connectTimeout: 0,
    keepAlive: 0,
    ...(request.tls === undefined
      ? {}
      : {
          tls: {
            // SNI and name verification use the name the user gave, not the resolved address.
            ...(isIP(request.host) === 0 ? { servername: request.host } : {}),
            rejectUnauthorized: !request.tls.insecure,
            ...(request.tls.ca === undefined
              ? {}
              : { secureContext: trustedContext(request.tls.ca) }),
          },
        }),
  };
}

async function exchange(
  address: string,
  request: RedisProbeRequest,
  timings: PhaseTimings,
): Promise<RedisProbe> {
  const client = new Redis(clientOptions(address, request));
  let phase: RedisPhase = 'connect';
  let connectionError: unknown;
  // Without a listener ioredis would print connection errors; they are reported in the result.
  client.on('error', (error: unknown) => {
    connectionError ??= error;
  });
  const started = performance.now();
  client.once('connect', () => (timings.connectMs = performance.now() - started));
  const closeNow = (): void => {
    client.disconnect();
    // disconnect() only half-closes and waits up to 2 s; an aborted check closes at once.
    client.stream?.destroy();
  };
  const aborted = new Promise<'aborted'>((resolve) => {
    if (request.signal.aborted) resolve('aborted');
    request.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const step = async <T>(next: RedisPhase, work: () => Promise<T>): Promise<T | 'aborted'> => {
    phase = next;
    const working = work();
    // Once the abort has decided the result, the closed connection's rejection has nothing to
    // add; without a handler it would be an unhandled rejection.
    working.catch(() => undefined);
    return Promise.race([working, aborted]);
  };
  try {
    if ((await step('connect', () => client.connect())) === 'aborted') return ended('aborted');
    const { auth } = request;
    if (auth !== undefined) {
      const args = auth.username === undefined ? [auth.password] : [auth.username, auth.password];
      if ((await step('auth', () => client.call('AUTH', ...args))) === 'aborted')
        return ended('aborted');
    }
    if (request.db !== undefined) {
      const db = request.db;
      if ((await step('select', () => client.call('SELECT', db))) === 'aborted')
        return ended('aborted');
    }
    const [name = 'PING', ...args] = request.command;
    const sent = performance.now();
    const reply = await step('command', () => client.call(name, ...args));
    if (reply === 'aborted') return ended('aborted');
    timings.firstByteMs = performance.now() - sent;
    return ended('replied', { reply });
  } catch (error) {
    // A reply error is the server's answer; anything else is the connection's, whose first
    // error (ECONNREFUSED, a TLS code) says more than ioredis's "Connection is closed".
    if (error instanceof Error && error.name === 'ReplyError') return ended('refused', { error });
    return ended('error', { error: connectionError ?? error });
  } finally {
    closeNow();
  }

  function ended(end: RedisProbeEnd, extra: { reply?: unknown; error?: unknown } = {}): RedisProbe {
    return { end, phase, timings, address, ...extra };
  }
}
