import fs from 'node:fs';
import { readOptionalFile, writePrivateFile } from '../../config/data-dir.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import { newSecret, sameSecret } from './secrets.ts';

/** True while no person holds the admin role (the first one needs the setup token). */
export async function setupNeeded(store: Store): Promise<boolean> {
  const users = await store.listUsers();
  return !users.some((u) => u.kind === 'person' && u.role === 'admin');
}

/**
 * At start: while no admin exists, make sure a one-time setup token is in `file` (0600) and say
 * where (never what); once an admin exists, remove a leftover file.
 */
export async function prepareSetupToken(store: Store, file: string, logger: Logger): Promise<void> {
  if (!(await setupNeeded(store))) {
    fs.rmSync(file, { force: true });
    return;
  }
  const existing = readOptionalFile(file)?.trim();
  if (existing === undefined || existing === '') writePrivateFile(file, `${newSecret()}\n`);
  logger.info(
    { file },
    `setup token written to ${file}; create the first admin with \`crosscheck user create-admin\``,
  );
}

/** True when `given` is the token in `file` (false when there is none). */
export function setupTokenMatches(file: string, given: string): boolean {
  const expected = readOptionalFile(file)?.trim();
  if (expected === undefined || expected === '') return false;
  return sameSecret(given.trim(), expected);
}

/** The token has been used: remove it so it cannot be used again. */
export function consumeSetupToken(file: string): void {
  fs.rmSync(file, { force: true });
}
