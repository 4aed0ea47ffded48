import type { NodeRole } from '../../domain/node.ts';

/** The O of every node certificate. */
export const CLUSTER_ORGANIZATION = 'crosscheck';

/** Every node role, as carried in a certificate's OU. */
export const NODE_ROLES: readonly NodeRole[] = ['coordinator', 'agent'];
