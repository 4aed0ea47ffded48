import { z } from 'zod';
import { canarySpecSchema } from '../checks/canary-spec.ts';
import type { CanarySpec } from '../checks/canary-spec.ts';
import { AppError } from '../lib/errors.ts';
import { readOptionalFile, writePrivateFile } from './data-dir.ts';

const hostPort = z
  .string()
  .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[^:\s[\]]+):\d{1,5}$/, 'expected host:port');

/** `node.json`: who this node is. Written once by `init` or `join`, read at every start. */
export const nodeIdentitySchema = z
  .object({
    version: z.literal(1),
    nodeId: z.string().min(1),
    name: z.string().min(1),
    role: z.enum(['coordinator', 'agent']),
    region: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    createdAt: z.number().int(),
    /** Coordinator only: where the peer port listens and the address put in join tokens. */
    peer: z.object({ listen: hostPort, advertise: hostPort.nullable() }).optional(),
    /**
     * Agent only: the coordinator joined through, and every coordinator's peer address as the
     * join token and the latest welcome told it (absent before failover existed).
     */
    coordinator: z
      .object({
        address: hostPort,
        name: z.string(),
        addresses: z.array(hostPort).min(1).max(64).optional(),
      })
      .optional(),
    /** Targets this node should always reach; when most fail, its failing votes abstain. */
    canaries: z.array(canarySpecSchema).optional(),
    /**
     * Executables (absolute paths) that `command` alert targets may run on this node. Kept in
     * the node's own file, not in the API's reach: a user who can edit targets cannot widen it.
     */
    alertCommands: z.array(z.string().regex(/^\//, 'must be an absolute path')).optional(),
  })
  .strict();

export type NodeIdentity = z.infer<typeof nodeIdentitySchema>;

/** Reads `node.json`; undefined when the data dir was never initialised. */
export function readNodeIdentity(file: string): NodeIdentity | undefined {
  const text = readOptionalFile(file);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('INTERNAL', `${file} is not valid JSON`, { cause: error });
  }
  const parsed = nodeIdentitySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'INTERNAL',
      `${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Writes `node.json` (0600, atomically). */
export function writeNodeIdentity(file: string, identity: NodeIdentity): void {
  writePrivateFile(file, `${JSON.stringify(nodeIdentitySchema.parse(identity), null, 2)}\n`);
}

/**
 * Replaces the stored canaries (`--canary` on `start`/`agent`); returns the updated identity,
 * or undefined when the data dir was never initialised.
 */
export function replaceCanaries(file: string, canaries: CanarySpec[]): NodeIdentity | undefined {
  const identity = readNodeIdentity(file);
  if (identity === undefined) return undefined;
  const updated: NodeIdentity = { ...identity, canaries };
  writeNodeIdentity(file, updated);
  return updated;
}

/**
 * Stores every coordinator's address in an agent's `node.json` (a welcome brought a new list), so
 * a restarted agent finds the leader even when the coordinator it joined through is gone.
 * Returns the updated identity; undefined when the data dir was never initialised or the node
 * is not an agent.
 */
export function replaceCoordinatorAddresses(
  file: string,
  addresses: string[],
): NodeIdentity | undefined {
  const identity = readNodeIdentity(file);
  if (identity?.coordinator === undefined) return undefined;
  const updated: NodeIdentity = {
    ...identity,
    coordinator: { ...identity.coordinator, addresses },
  };
  writeNodeIdentity(file, updated);
  return updated;
}

/** Every coordinator an agent knows, the one it joined through first when nothing newer is known. */
export function knownCoordinators(coordinator: NonNullable<NodeIdentity['coordinator']>): string[] {
  return coordinator.addresses ?? [coordinator.address];
}
