import os from 'node:os';
import { chooseJoinAddress } from '../cluster/join-address.ts';
import type { NodeIdentity } from '../config/node-identity.ts';
import { isAppError } from '../lib/errors.ts';

/**
 * Where agents reach this coordinator's peer port: the address join tokens carry. Null only on a
 * machine with no address beyond loopback while the port listens everywhere (join tokens say
 * how to fix that when one is asked for).
 */
export function advertisedPeerAddress(
  identity: NodeIdentity,
  listen: { host: string; port: number },
): string | null {
  try {
    return chooseJoinAddress({
      advertise: identity.peer?.advertise ?? null,
      listenHost: listen.host,
      boundPort: listen.port,
      interfaces: os.networkInterfaces(),
    });
  } catch (error) {
    if (isAppError(error) && error.code === 'UNAVAILABLE') return null;
    throw error;
  }
}
