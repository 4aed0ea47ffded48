import type { PeerTlsMaterial } from '../cluster/peer/peer-server.ts';
import { AppError } from '../lib/errors.ts';
import type { Store } from '../store/types.ts';
import type { NodeContext } from './node-context.ts';
import { readPem } from './node-context.ts';

// The coordinator's peer port: its TLS material, the revocation list of removed nodes, and a
// clear error when the port cannot be opened.

/** The peer server's CA, certificate and key, read from the data directory. */
export function loadPeerTls(paths: NodeContext['paths']): Omit<PeerTlsMaterial, 'crlPem'> {
  return {
    caCertPem: readPem(paths.caCert, 'CA certificate'),
    certPem: readPem(paths.nodeCert, 'node certificate'),
    keyPem: readPem(paths.nodeKey, 'node key'),
  };
}

/** The CRL of every removed node's certificate, signed now; undefined while none was removed. */
export async function revocationList(
  ca: { certPem: string; keyPem: string },
  store: Store,
  now: number,
): Promise<string | undefined> {
  const removed = (await store.listNodes({ includeRemoved: true })).filter(
    (n) => n.removedAt !== null,
  );
  if (removed.length === 0) return undefined;
  // Certificate code is loaded only once a node has been removed.
  const { createRevocationList } = await import('../cluster/pki/revocation.ts');
  return createRevocationList({
    ca,
    revoked: removed.map((n) => ({ serial: n.certSerial, revokedAt: n.removedAt ?? now })),
    now: new Date(now),
  });
}

export function peerListenError(error: unknown, where: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new AppError(
      'UNAVAILABLE',
      `cannot open the peer port on ${where} (${code}); choose another with --listen`,
      { cause: error },
    );
  }
  return error;
}
