import type { ClusterStore } from '../store/cluster-store.ts';
import { MAX_WELCOME_COORDINATORS } from './peer/messages.ts';

/** Most addresses an agent keeps: what one welcome can carry. */
const MAX_KNOWN_COORDINATORS = MAX_WELCOME_COORDINATORS;

/**
 * Records the address this coordinator advertises (the one it puts in join tokens), so the
 * others can tell agents about it. Called by every coordinator when it starts.
 */
export async function recordCoordinatorAddress(
  store: Pick<ClusterStore, 'setNodePeerAddress'>,
  nodeId: string,
  address: string,
): Promise<void> {
  await store.setNodePeerAddress(nodeId, address);
}

/**
 * Every enrolled coordinator's advertised address, ordered by node name (so every coordinator
 * hands out the same list); coordinators that never recorded one are left out.
 */
export async function listCoordinatorAddresses(
  store: Pick<ClusterStore, 'listNodes'>,
): Promise<string[]> {
  const nodes = await store.listNodes();
  const addresses = nodes
    .filter((n) => n.role === 'coordinator' && n.removedAt === null)
    .flatMap((n) => (n.peerAddress === undefined ? [] : [n.peerAddress]));
  return [...new Set(addresses)].slice(0, MAX_KNOWN_COORDINATORS);
}
