import type { X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ErrorCode } from '../../lib/errors.ts';
import { AppError } from '../../lib/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { PeerIdentity } from '../pki/identity.ts';
import { peerIdentity } from '../pki/identity.ts';
import { peerRefusalReason, peerServerTlsOptions, peerSocketPurpose } from '../pki/tls-options.ts';
import type { JoinRequest, JoinResponse } from './join-protocol.ts';
import { MAX_JOIN_LINE_BYTES, parseJoinRequest } from './join-protocol.ts';
import type { CaKeyResponse } from './ca-key-protocol.ts';
import { MAX_CA_KEY_LINE_BYTES, parseCaKeyRequest } from './ca-key-protocol.ts';

/** Close codes of the channel that the agent can tell apart in its log. */
export const CLOSE_REMOVED = 4003;
export const CLOSE_REPLACED = 4009;
export const CLOSE_PROTOCOL = 4400;
/** This coordinator is not the leader; a `not-leader` message said where the leader is. */
export const CLOSE_NOT_LEADER = 4307;

/** Path of the WebSocket channel on the peer port. */
export const PEER_CHANNEL_PATH = '/peer/v1';

export interface PeerTlsMaterial {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  crlPem?: string;
}

export interface PeerServerOptions {
  tls: PeerTlsMaterial;
  logger: Logger;
  /** Enrols a node; throws AppError for a refusal (its message goes back to the joiner). */
  onJoin(request: JoinRequest, remoteAddress: string): Promise<Extract<JoinResponse, { ok: true }>>;
  /** A verified node opened its channel. */
  onChannel(identity: PeerIdentity, socket: WebSocket, remoteAddress: string): void;
  /** Extra guard beside the CRL: true when this certificate serial must be refused. */
  isRevoked(serial: string): boolean;
  /**
   * The CA key for a verified node asking on CA_KEY_ALPN (a joining coordinator); throws
   * AppError (FORBIDDEN) for anyone else. Absent: this coordinator hands it to nobody.
   */
  onCaKeyRequest?(identity: PeerIdentity, remoteAddress: string): Promise<string>;
}

/** The coordinator's side of port 7433. */
export interface PeerServer {
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Applies a new revocation list to every new handshake. */
  updateTls(material: PeerTlsMaterial): void;
  close(): Promise<void>;
}

/**
 * Mutual-TLS listener: verified node certificates get the WebSocket channel, the join ALPN
 * gets the one-line join exchange, and everything else is dropped right after the handshake
 * before a byte of application data is read.
 */
export function createPeerServer(options: PeerServerOptions): PeerServer {
  const log = options.logger.child({ part: 'peer-server' });
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const server = tls.createServer(peerServerTlsOptions(options.tls));
  const sockets = new Set<TLSSocket>();

  server.on('secureConnection', (socket: TLSSocket) => {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', (error) => log.debug({ remote, err: error }, 'peer socket error'));
    const purpose = peerSocketPurpose(socket);
    if (purpose === 'refused') {
      log.warn({ remote, reason: peerRefusalReason(socket) }, 'peer connection refused');
      socket.destroy();
      return;
    }
    if (purpose === 'join') {
      handleJoin(socket, remote);
      return;
    }
    const cert = socket.getPeerX509Certificate();
    if (cert === undefined || options.isRevoked(cert.serialNumber.toLowerCase())) {
      log.warn({ remote, reason: 'certificate revoked' }, 'peer connection refused');
      socket.destroy();
      return;
    }
    if (purpose === 'ca-key') {
      handleCaKey(socket, remote, cert);
      return;
    }
    httpServer.emit('connection', socket);
  });
  server.on('tlsClientError', (error, socket) => {
    log.debug({ remote: socket.remoteAddress, err: error }, 'peer handshake failed');
  });

  httpServer.on('upgrade', (req, socket, head) => {
    const tlsSocket = req.socket as TLSSocket;
    const remote = `${tlsSocket.remoteAddress ?? '?'}`;
    let identity: PeerIdentity;
    try {
      const cert = tlsSocket.getPeerX509Certificate();
      if (cert === undefined) throw new AppError('UNAUTHORIZED', 'no client certificate');
      identity = peerIdentity(cert);
    } catch (error) {
      log.warn({ remote, err: error }, 'peer channel refused');
      socket.destroy();
      return;
    }
    if (req.url !== PEER_CHANNEL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => options.onChannel(identity, ws, remote));
  });

  function handleJoin(socket: TLSSocket, remote: string): void {
    const answer = (response: JoinResponse): void => {
      socket.end(`${JSON.stringify(response)}\n`);
    };
    onOneLine(socket, MAX_JOIN_LINE_BYTES, async (line) => {
      try {
        answer(await options.onJoin(parseJoinRequest(line), remote));
      } catch (error) {
        const known = error instanceof AppError;
        if (!known) log.error({ remote, err: error }, 'join failed unexpectedly');
        answer(refusal(error));
      }
    });
  }

  function handleCaKey(socket: TLSSocket, remote: string, cert: X509Certificate): void {
    const answer = (response: CaKeyResponse): void => {
      socket.end(`${JSON.stringify(response)}\n`);
    };
    onOneLine(socket, MAX_CA_KEY_LINE_BYTES, async (line) => {
      let asker: PeerIdentity | undefined;
      try {
        asker = peerIdentity(cert);
        parseCaKeyRequest(line);
        if (options.onCaKeyRequest === undefined)
          throw new AppError('UNAVAILABLE', 'this coordinator does not hand out the CA key');
        const caKeyPem = await options.onCaKeyRequest(asker, remote);
        // Who received it, never what: the key itself is in no log line.
        log.warn({ remote, nodeId: asker.nodeId, serial: asker.serial }, 'CA key handed over');
        answer({ ok: true, caKeyPem });
      } catch (error) {
        const who = { remote, nodeId: asker?.nodeId, serial: asker?.serial };
        if (error instanceof AppError)
          log.warn({ ...who, code: error.code, reason: error.message }, 'CA key refused');
        else log.error({ ...who, err: error }, 'CA key request failed unexpectedly');
        answer(refusal(error));
      }
    });
  }

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    updateTls(material) {
      server.setSecureContext(peerServerTlsOptions(material));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      wss.close();
    },
  };
}

/** Reads one line (bounded in size and time) and hands it over; anything more is ignored. */
function onOneLine(socket: TLSSocket, maxBytes: number, handle: (line: string) => Promise<void>) {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.setTimeout(15_000, () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > maxBytes) {
      socket.destroy();
      return;
    }
    const end = buffer.indexOf('\n');
    if (end < 0) return;
    socket.removeAllListeners('data');
    void handle(buffer.slice(0, end));
  });
}

/** The answer for a refusal: an AppError as it is, anything else as a bare INTERNAL. */
function refusal(error: unknown): { ok: false; code: ErrorCode; message: string } {
  return error instanceof AppError
    ? { ok: false, code: error.code, message: error.message }
    : { ok: false, code: 'INTERNAL', message: 'internal error on the coordinator' };
}
