import http from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { AppError } from '../../lib/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { PeerIdentity } from '../pki/identity.ts';
import { peerIdentity } from '../pki/identity.ts';
import { peerRefusalReason, peerServerTlsOptions, peerSocketPurpose } from '../pki/tls-options.ts';
import type { JoinRequest, JoinResponse } from './join-protocol.ts';
import { MAX_JOIN_LINE_BYTES, parseJoinRequest } from './join-protocol.ts';

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
    let buffer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(15_000, () => socket.destroy());
    const answer = (response: JoinResponse): void => {
      socket.end(`${JSON.stringify(response)}\n`);
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_JOIN_LINE_BYTES) {
        socket.destroy();
        return;
      }
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      socket.removeAllListeners('data');
      const line = buffer.slice(0, end);
      void (async () => {
        try {
          answer(await options.onJoin(parseJoinRequest(line), remote));
        } catch (error) {
          const known = error instanceof AppError;
          if (!known) log.error({ remote, err: error }, 'join failed unexpectedly');
          answer({
            ok: false,
            code: known ? error.code : 'INTERNAL',
            message: known ? error.message : 'internal error on the coordinator',
          });
        }
      })();
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
