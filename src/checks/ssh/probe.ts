import { connect } from 'node:net';
import type { Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import type { PhaseTimings } from '../../domain/check-result.ts';
import { resolveHost } from '../host-lookup.ts';
import { hostKeyType, sha256Fingerprint } from './fingerprint.ts';
import { findIdent } from './ident.ts';
import type { SshIdent } from './ident.ts';

/** What to check once connected. */
export interface SshProbeRequest {
  host: string;
  port: number;
  /** Accepted fingerprints; empty accepts any key (it is still reported). */
  hostKeys: readonly string[];
  /** Log in after the key exchange; without it the probe ends once the host key is known. */
  login: { username: string; password?: string; privateKey?: string } | undefined;
  /** Aborting ends the probe wherever it is and destroys the socket (timeout or shutdown). */
  signal: AbortSignal;
}

export type SshPhase = 'dns' | 'connect' | 'banner' | 'kex' | 'auth';

/**
 * How the probe ended. `ok`: banner and host key (and login, when asked) done; `not-ssh`: the
 * server sent something that is not an SSH identification; `host-key`: the key is not pinned;
 * `closed`: the server hung up; `kex`: the key exchange failed; `auth`: the login was refused.
 */
export type SshProbeEnd =
  'ok' | 'aborted' | 'error' | 'closed' | 'not-ssh' | 'host-key' | 'kex' | 'auth';

export interface SshProbe {
  end: SshProbeEnd;
  phase: SshPhase;
  /** dnsMs (names only), connectMs, firstByteMs (wait for the banner after connecting). */
  timings: PhaseTimings;
  address: string | undefined;
  ident: SshIdent | undefined;
  /** What the server sent before the identification (or instead of it), for messages. */
  preIdent: string;
  hostKey: { fingerprint: string; type: string | undefined } | undefined;
  error?: unknown;
}

/** Resolves (timed), connects (timed), reads the identification, exchanges keys, logs in. */
export async function probeSsh(request: SshProbeRequest): Promise<SshProbe> {
  const resolved = await resolveHost(request.host, request.signal);
  if ('address' in resolved) return exchange(resolved.address, request, resolved.timings);
  const { timings } = resolved;
  return {
    end: resolved.aborted ? 'aborted' : 'error',
    phase: 'dns',
    timings,
    address: undefined,
    ident: undefined,
    preIdent: '',
    hostKey: undefined,
    error: resolved.error,
  };
}

function exchange(
  address: string,
  request: SshProbeRequest,
  timings: PhaseTimings,
): Promise<SshProbe> {
  return new Promise((resolve) => {
    const state: Omit<SshProbe, 'end' | 'error'> = {
      phase: 'connect',
      timings,
      address,
      ident: undefined,
      preIdent: '',
      hostKey: undefined,
    };
    const started = performance.now();
    let connectedAt = started;
    let received = '';
    let client: ssh2.Client | undefined;
    let done = false;
    const socket = connect({ host: address, port: request.port });

    const finish = (end: SshProbeEnd, error?: unknown): void => {
      if (done) return;
      done = true;
      request.signal.removeEventListener('abort', onAbort);
      // Destroying the socket ends the ssh2 client with it: nothing is left open or retried.
      socket.destroy();
      client?.removeAllListeners();
      // ssh2 may still report the destroyed socket; a settled probe has nothing to add.
      client?.on('error', () => undefined);
      resolve({ ...state, end, ...(error === undefined ? {} : { error }) });
    };
    const onAbort = (): void => {
      // What a slow or wrong server sent before the deadline says more than the timeout alone.
      if (state.ident === undefined) state.preIdent = received;
      finish('aborted');
    };

    const onBannerData = (chunk: Buffer): void => {
      timings.firstByteMs ??= performance.now() - connectedAt;
      // latin1 keeps every byte as one character, as ssh2 reads the identification.
      received += chunk.toString('latin1');
      const found = findIdent(received);
      if ('status' in found) {
        if (found.status === 'invalid') {
          state.preIdent = received;
          finish('not-ssh', new Error(found.reason));
        }
        return;
      }
      state.ident = found;
      state.preIdent = received.slice(0, received.indexOf(found.line));
      socket.off('data', onBannerData);
      socket.off('end', onEarlyEnd);
      socket.pause();
      // ssh2 reads the identification itself: give it back everything received so far.
      socket.unshift(Buffer.from(received, 'latin1'));
      client = startClient(socket, request, state, finish);
    };
    const onEarlyEnd = (): void => {
      state.preIdent = received;
      finish(received.length > 0 ? 'not-ssh' : 'closed');
    };

    socket.once('connect', () => {
      connectedAt = performance.now();
      timings.connectMs = connectedAt - started;
      state.phase = 'banner';
    });
    socket.on('data', onBannerData);
    socket.once('end', onEarlyEnd);
    socket.once('error', (error) => finish('error', error));
    if (request.signal.aborted) finish('aborted');
    else request.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Hands the connected socket to ssh2 for the key exchange (and login, when asked). */
function startClient(
  socket: Socket,
  request: SshProbeRequest,
  state: Omit<SshProbe, 'end' | 'error'>,
  finish: (end: SshProbeEnd, error?: unknown) => void,
): ssh2.Client {
  const client = new ssh2.Client();
  state.phase = 'kex';
  let keyRejected = false;
  const config: ConnectConfig = {
    sock: socket,
    username: request.login?.username ?? '',
    // The check's own deadline bounds the probe; ssh2's timers would outlive an abort.
    readyTimeout: 0,
    keepaliveInterval: 0,
    tryKeyboard: false,
    hostVerifier: (key: Buffer): boolean => {
      const fingerprint = sha256Fingerprint(key);
      state.hostKey = { fingerprint, type: hostKeyType(key) };
      keyRejected = request.hostKeys.length > 0 && !request.hostKeys.includes(fingerprint);
      return !keyRejected;
    },
    ...(request.login?.password === undefined ? {} : { password: request.login.password }),
    ...(request.login?.privateKey === undefined ? {} : { privateKey: request.login.privateKey }),
  };
  client.on('handshake', () => {
    if (request.login === undefined) finish('ok');
    else state.phase = 'auth';
  });
  client.on('ready', () => finish('ok'));
  client.on('error', (error: Error & { level?: string }) => {
    if (keyRejected) finish('host-key', error);
    else if (error.level === 'client-authentication') finish('auth', error);
    else if (error.level === 'handshake' || error.level === 'protocol') finish('kex', error);
    else finish('error', error);
  });
  client.on('close', () => finish(keyRejected ? 'host-key' : 'closed'));
  try {
    client.connect(config);
  } catch (error) {
    // A private key ssh2 cannot use after all (the schema parsed it): this node's config.
    finish('error', error);
  }
  return client;
}
