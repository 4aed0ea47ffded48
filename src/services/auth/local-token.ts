import { readOptionalFile, writePrivateFile } from '../../config/data-dir.ts';
import { isAppError } from '../../lib/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { AuthService } from './auth-service.ts';
import { principalFor } from './views.ts';

/** The name of the token the data dir's `api-token` file holds (before coordinators shared a database). */
export const LOCAL_TOKEN_NAME = 'local token file';

/**
 * The name of the token one coordinator's `api-token` file holds. Per node because several
 * coordinators share one PostgreSQL database, so its token table: replacing "the" local token
 * by name would revoke every other coordinator's file and lock its CLI out.
 */
export function localTokenName(nodeId: string): string {
  return `${LOCAL_TOKEN_NAME} (${nodeId})`;
}

/** True when `token` is a live read-write token of the local admin. */
async function isLocalAdminToken(auth: AuthService, token: string, adminId: string) {
  try {
    const principal = await auth.authenticateToken(token);
    return principal.userId === adminId && principal.access === 'write';
  } catch (error) {
    if (isAppError(error) && error.code === 'UNAUTHORIZED') return false;
    throw error;
  }
}

/**
 * Makes sure the data dir's token file (0600, readable by the daemon's user only) holds a live
 * read-write token of the built-in local admin, so the CLI on this machine works with no setup
 * while other local users cannot read it. A missing, unknown or revoked token (e.g. the random
 * secret older versions wrote) is replaced; the replaced file tokens of this node are revoked,
 * never another coordinator's. Returns the token the file holds.
 */
export async function ensureLocalTokenFile(
  auth: AuthService,
  file: string,
  nodeId: string,
  logger: Logger,
): Promise<string> {
  const admin = await auth.localAdmin();
  const existing = readOptionalFile(file)?.trim();
  if (
    existing !== undefined &&
    existing !== '' &&
    (await isLocalAdminToken(auth, existing, admin.id))
  )
    return existing;
  const principal = principalFor(admin, 'write', 'token');
  const name = localTokenName(nodeId);
  for (const old of await auth.listTokens(principal, { all: false })) {
    if (old.name === name && old.revokedAt === null) await auth.revokeToken(principal, old.id);
  }
  const created = await auth.issueToken(admin.id, {
    name,
    access: 'write',
    expiresAt: null,
  });
  writePrivateFile(file, `${created.token}\n`);
  logger.info({ file }, 'local API token written (the CLI on this machine uses it)');
  return created.token;
}
