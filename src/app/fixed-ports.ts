import net from 'node:net';
import type { NodeConfig } from '../config/node-config.ts';
import { parseListenAddress } from '../config/node-config.ts';
import type { NodeIdentity } from '../config/node-identity.ts';

/**
 * The config with every "port 0" (any free port) replaced by one free port now. A coordinator
 * that may switch planes binds its ports again on each switch; they must stay the ones agents,
 * the lease row and clients already know. Only tests and throwaway runs ask for port 0.
 */
export async function fixedPorts(config: NodeConfig, identity: NodeIdentity): Promise<NodeConfig> {
  const peer =
    config.peerListen ??
    parseListenAddress(identity.peer?.listen ?? '0.0.0.0:7433', 'node.json peer.listen');
  return {
    ...config,
    api: await fixed(config.api),
    peerListen: await fixed(peer),
    publicListen: config.publicListen === null ? null : await fixed(config.publicListen),
  };
}

async function fixed(address: { host: string; port: number }) {
  if (address.port !== 0) return address;
  return { ...address, port: await freePort(address.host) };
}

/** A port free on `host` now, found by binding port 0 and letting it go. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
