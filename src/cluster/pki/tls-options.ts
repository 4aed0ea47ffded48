import { constants, createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import {
  connect,
  type ConnectionOptions,
  type DetailedPeerCertificate,
  type PeerCertificate,
  type TLSSocket,
  type TlsOptions,
} from 'node:tls';
import { AppError } from '../../lib/errors.ts';
import { CLUSTER_ORGANIZATION } from './names.ts';
import { normaliseFingerprint } from './identity.ts';

/** ALPN of the enrolled peer channel: only clients with a valid cluster certificate. */
export const PEER_ALPN = 'crosscheck-peer/1';
/** ALPN of the join route: the one route a client without a certificate may use. */
export const JOIN_ALPN = 'crosscheck-join/1';
/**
 * ALPN of the CA key hand-over to a just-enrolled coordinator: a verified cluster certificate
 * only, one request and one answer. Its own protocol rather than a message on the peer channel:
 * the channel is the agents' session (hello, assignments, results), and the one secret of the
 * cluster should travel neither through that state machine nor its message schema; a
 * dedicated route is decided at the handshake, like the join route, and closes after one line.
 */
export const CA_KEY_ALPN = 'crosscheck-ca-key/1';

/** Both ends are Crosscheck on Node 24, so there is no older peer to accommodate. */
const MIN_VERSION = 'TLSv1.3';

/**
 * Server options for the peer port: our CA as the only trust root, client certs requested, CRL
 * applied; rejectUnauthorized FALSE on purpose, because the join route must accept a client
 * without a cert: the caller (peer server) destroys every unauthorized socket right after the
 * handshake unless it negotiated the ALPN protocol JOIN_ALPN (see `isAcceptablePeerSocket`).
 *
 * `cert` is the leaf followed by the CA certificate, so the presented chain includes the CA and a
 * joining node can compare it with the token's fingerprint. Session tickets are off: a resumed
 * session would skip the client-certificate and CRL checks, letting a just-revoked node back in.
 */
export function peerServerTlsOptions(options: {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  crlPem?: string;
}): TlsOptions {
  return {
    key: options.keyPem,
    cert: chainPem(options.certPem, options.caCertPem),
    ca: [options.caCertPem],
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: [PEER_ALPN, JOIN_ALPN, CA_KEY_ALPN],
    minVersion: MIN_VERSION,
    secureOptions: constants.SSL_OP_NO_TICKET,
    ...(options.crlPem === undefined ? {} : { crl: options.crlPem }),
  };
}

/** What an accepted socket may be used for: the peer channel, the join route, the CA key hand-over, or nothing. */
export type PeerSocketPurpose = 'peer' | 'join' | 'ca-key' | 'refused';

/**
 * `peer` for a verified cluster certificate on PEER_ALPN, `ca-key` for one on CA_KEY_ALPN,
 * `join` for JOIN_ALPN (certificate or not), else `refused`.
 */
export function peerSocketPurpose(socket: TLSSocket): PeerSocketPurpose {
  if (socket.alpnProtocol === JOIN_ALPN) return 'join';
  if (socket.alpnProtocol === PEER_ALPN && socket.authorized) return 'peer';
  if (socket.alpnProtocol === CA_KEY_ALPN && socket.authorized) return 'ca-key';
  return 'refused';
}

/** The rule the peer server applies right after the handshake: destroy the socket unless this is true. */
export function isAcceptablePeerSocket(socket: TLSSocket): boolean {
  return peerSocketPurpose(socket) !== 'refused';
}

/** Why `peerSocketPurpose` refused a socket, for the log (never sent to the peer). */
export function peerRefusalReason(socket: TLSSocket): string {
  if (![PEER_ALPN, JOIN_ALPN, CA_KEY_ALPN].includes(socket.alpnProtocol || '')) {
    return 'no Crosscheck ALPN protocol negotiated';
  }
  if (socket.getPeerX509Certificate() === undefined) return 'no client certificate';
  const error: unknown = socket.authorizationError;
  if (error === null || error === undefined) return 'not refused';
  const code = typeof error === 'string' ? error : String((error as Error).message);
  // OpenSSL's names for the common cases, said plainly.
  const plain: Record<string, string> = {
    UNABLE_TO_GET_ISSUER_CERT: 'certificate from another CA',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate from another CA',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate from another CA',
    CERT_REVOKED: 'certificate revoked',
    CERT_HAS_EXPIRED: 'certificate expired',
    CERT_NOT_YET_VALID: 'certificate not yet valid',
  };
  return plain[code] ?? code;
}

/**
 * Client options for an enrolled node: client cert, our CA only, ALPN PEER_ALPN, and a
 * checkServerIdentity that ignores the hostname (addresses may be IPs or NATed names) but
 * requires the server cert's OU to be 'coordinator' — trust comes from the private CA.
 */
export function peerClientTlsOptions(options: {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}): ConnectionOptions {
  return {
    key: options.keyPem,
    cert: options.certPem,
    ca: [options.caCertPem],
    rejectUnauthorized: true,
    ALPNProtocols: [PEER_ALPN],
    minVersion: MIN_VERSION,
    checkServerIdentity: (_host, cert) => coordinatorIdentityError(cert),
  };
}

/** `peerClientTlsOptions` on the CA key route instead of the peer channel. */
export function caKeyClientTlsOptions(options: {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}): ConnectionOptions {
  return { ...peerClientTlsOptions(options), ALPNProtocols: [CA_KEY_ALPN] };
}

/** undefined when a (chain-verified) server certificate is a cluster coordinator's, else the error. */
export function coordinatorIdentityError(cert: PeerCertificate): Error | undefined {
  const ou = fieldValues(cert.subject?.OU);
  const org = fieldValues(cert.subject?.O);
  if (
    ou.length === 1 &&
    ou[0] === 'coordinator' &&
    org.length === 1 &&
    org[0] === CLUSTER_ORGANIZATION
  ) {
    return undefined;
  }
  return new AppError(
    'UNAUTHORIZED',
    `the server is not the cluster coordinator (its certificate says OU=${ou.join('+') || 'none'})`,
  );
}

/** "host:port", with an IPv6 host in brackets. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * For `join`: connect with ALPN JOIN_ALPN and rejectUnauthorized:false, take the presented chain
 * (getPeerCertificate(true)), find the CA cert whose SHA-256 equals `expectedCaSha256`, verify the
 * server leaf was issued and signed by it (X509Certificate.checkIssued + verify) — all before
 * sending any byte of application data. Resolves the CA PEM and the connected, verified TLS
 * socket, with no 'error' listener of ours left on it (attach your own at once); wrong
 * fingerprint → AppError('UNAUTHORIZED', …); connection errors → AppError('UNAVAILABLE',
 * 'cannot reach the coordinator at host:port: <reason>'). `now` (ms) checks the leaf's validity.
 */
export async function connectForJoin(options: {
  host: string;
  port: number;
  expectedCaSha256: string;
  timeoutMs: number;
  now?: () => number;
}): Promise<{ socket: TLSSocket; caCertPem: string }> {
  const where = formatHostPort(options.host, options.port);
  const unavailable = (reason: string, cause?: unknown): AppError =>
    new AppError('UNAVAILABLE', `cannot reach the coordinator at ${where}: ${reason}`, {
      cause,
    });
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: options.host,
      port: options.port,
      ALPNProtocols: [JOIN_ALPN],
      rejectUnauthorized: false,
      minVersion: MIN_VERSION,
      // SNI must not carry an IP address; the coordinator ignores it anyway.
      ...(isIP(options.host) === 0 ? { servername: options.host } : {}),
    });
    const settle = (error: AppError | undefined, caCertPem?: string): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('secureConnect', onSecure);
      if (error !== undefined || caCertPem === undefined) {
        socket.destroy();
        reject(error ?? unavailable('no CA certificate'));
      } else {
        resolve({ socket, caCertPem });
      }
    };
    const onError = (error: Error): void => settle(unavailable(error.message, error));
    const onClose = (): void => settle(unavailable('the connection closed during the handshake'));
    const onSecure = (): void => {
      try {
        const caCertPem = verifyCoordinatorChain(
          socket,
          options.expectedCaSha256,
          options.now?.() ?? Date.now(),
        );
        if (socket.alpnProtocol !== JOIN_ALPN) {
          throw unavailable('the server does not offer the Crosscheck join protocol');
        }
        settle(undefined, caCertPem);
      } catch (error) {
        settle(error instanceof AppError ? error : unavailable(String(error), error));
      }
    };
    const timer = setTimeout(
      () => settle(unavailable(`no TLS handshake within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('secureConnect', onSecure);
  });
}

/** Checks the presented chain against the pinned CA fingerprint; returns the CA as PEM. */
function verifyCoordinatorChain(socket: TLSSocket, expectedCaSha256: string, now: number): string {
  const expected = normaliseFingerprint(expectedCaSha256);
  const chain = presentedChain(socket.getPeerCertificate(true));
  const leaf = chain[0];
  if (leaf === undefined) {
    throw new AppError(
      'UNAUTHORIZED',
      'the coordinator presented no certificate; refusing to join',
    );
  }
  const caIndex = chain.findIndex((cert) => sha256(cert.raw) === expected);
  const caCert = chain[caIndex];
  if (caCert === undefined) {
    const top = chain[chain.length - 1];
    const got =
      chain.length > 1 && top !== undefined
        ? `sha256 ${short(sha256(top.raw))}`
        : 'no CA certificate in the presented chain';
    throw new AppError(
      'UNAUTHORIZED',
      `the coordinator's CA fingerprint does not match the token (expected sha256 ${short(expected)}, got ${got}); refusing to join`,
    );
  }
  if (caIndex === 0 || !caCert.ca) {
    throw untrusted('the certificate matching the token is not a CA behind a server certificate');
  }
  if (!leaf.checkIssued(caCert) || !leaf.verify(caCert.publicKey)) {
    throw untrusted("the server certificate is not signed by the token's CA");
  }
  if (now < leaf.validFromDate.getTime() || now > leaf.validToDate.getTime()) {
    throw untrusted(
      `the server certificate is not valid now (valid ${leaf.validFrom} to ${leaf.validTo})`,
    );
  }
  if (!/^OU=coordinator$/m.test(leaf.subject)) {
    throw untrusted('the server certificate is not a coordinator certificate');
  }
  return caCert.toString();
}

/** The presented certificates leaf first, following issuerCertificate links until they loop. */
function presentedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  // Bounded: a chain longer than 10 is not ours.
  while (current?.raw !== undefined && chain.length < 10) {
    const key = sha256(current.raw);
    if (seen.has(key)) break;
    seen.add(key);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

function untrusted(reason: string): AppError {
  return new AppError('UNAUTHORIZED', `${reason}; refusing to join`);
}

function sha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Enough of a fingerprint to tell two apart in a message. */
function short(fingerprint: string): string {
  return `${fingerprint.slice(0, 16)}…`;
}

function fieldValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The leaf PEM followed by the CA PEM, unless the leaf PEM already carries more than one certificate. */
function chainPem(certPem: string, caCertPem: string): string {
  const blocks = certPem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  return blocks > 1 ? certPem : `${certPem.trim()}\n${caCertPem.trim()}\n`;
}
