/** Roles, weakest first: a viewer reads, an editor changes monitors, an admin manages people and nodes. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as every transport resolves it once (session, API token, token file, node). */
export interface Principal {
  /** The user the call acts for (a node's operator token acts for its service user). */
  userId: string;
  name: string;
  role: Role;
  /** A read-only token can only run read operations, whatever its user's role. */
  access: 'read' | 'write';
  /** How the caller proved who it is; recorded on acknowledgements and in logs. */
  via: 'session' | 'token' | 'local' | 'node';
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** True when `role` is at least `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
