import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { systemClock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { createLogger } from '../../observability/logger.ts';
import type { Store } from '../../store/types.ts';
import type { AuthService } from './auth-service.ts';
import { createAuthService } from './auth-service.ts';
import { ensureLocalTokenFile, localTokenName } from './local-token.ts';

// Several coordinators share one database, so one token table: each keeps the token its own
// data dir's file holds, and starting one never locks another's CLI out.

describe('the local token file with coordinators sharing one database', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let auth: AuthService;
  const logger = createLogger('silent');

  before(async () => {
    ({ store, dir, cleanup } = await tempSqliteStore());
    auth = createAuthService({ store, clock: systemClock, logger, newId: (p) => newId(p) });
  });
  after(() => cleanup());

  const authenticates = async (token: string): Promise<boolean> =>
    auth.authenticateToken(token).then(
      () => true,
      () => false,
    );

  it('keeps the first coordinator’s token live when a second one writes its own', async () => {
    const first = path.join(dir, 'coord-1-api-token');
    const second = path.join(dir, 'coord-2-api-token');
    const firstToken = await ensureLocalTokenFile(auth, first, 'node_one', logger);
    const secondToken = await ensureLocalTokenFile(auth, second, 'node_two', logger);
    assert.notEqual(firstToken, secondToken);
    assert.equal(await authenticates(firstToken), true, 'the first file still opens the API');
    assert.equal(await authenticates(secondToken), true);
    // A restart with its file in place keeps the token.
    assert.equal(await ensureLocalTokenFile(auth, first, 'node_one', logger), firstToken);
  });

  it('replaces a node’s own lost token and revokes only that one', async () => {
    const first = path.join(dir, 'coord-1-api-token');
    const second = path.join(dir, 'coord-2-api-token');
    const lost = fs.readFileSync(first, 'utf8').trim();
    fs.rmSync(first);
    const replaced = await ensureLocalTokenFile(auth, first, 'node_one', logger);
    assert.notEqual(replaced, lost);
    assert.equal(await authenticates(lost), false, 'the replaced token is revoked');
    assert.equal(await authenticates(replaced), true);
    assert.equal(await authenticates(fs.readFileSync(second, 'utf8').trim()), true);
    const admin = await auth.localAdmin();
    const names = (await store.listApiTokens({ userId: admin.id }))
      .filter((token) => token.revokedAt === null)
      .map((token) => token.name)
      .sort();
    assert.deepEqual(names, [localTokenName('node_one'), localTokenName('node_two')]);
  });
});
