import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { createLogger } from '../../observability/logger.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { AuthService } from './auth-service.ts';
import { createAuthService } from './auth-service.ts';
import { ensureLocalTokenFile } from './local-token.ts';

// Coordinators sharing one database (issue #17) share the local admin; each keeps its own token
// file. Found by the HA netns test: the second coordinator's first start revoked the first's.
describe('local token files of several coordinators on one store', () => {
  let auth: AuthService;
  let dir: string;
  let cleanup: () => Promise<void>;
  const logger = createLogger('silent', 'json');
  const live = async (token: string): Promise<boolean> => {
    try {
      await auth.authenticateToken(token);
      return true;
    } catch (error) {
      if (isAppError(error) && error.code === 'UNAUTHORIZED') return false;
      throw error;
    }
  };

  before(async () => {
    let store;
    ({ store, dir, cleanup } = await tempSqliteStore());
    auth = createAuthService({
      store,
      clock: new FakeClock(),
      logger,
      newId,
      setupTokenFile: path.join(dir, 'setup-token'),
    });
  });
  after(() => cleanup());

  it("a coordinator writing its file leaves the other's token live; replacing revokes only its own", async () => {
    const fileA = path.join(dir, 'a-api-token');
    const fileB = path.join(dir, 'b-api-token');
    const a1 = await ensureLocalTokenFile(auth, fileA, logger, 'node_a');
    const b1 = await ensureLocalTokenFile(auth, fileB, logger, 'node_b');
    assert.notEqual(a1, b1);
    assert.ok(await live(a1), "B's first start leaves A's token live");
    assert.equal(
      await ensureLocalTokenFile(auth, fileA, logger, 'node_a'),
      a1,
      'a live file is kept',
    );

    fs.writeFileSync(fileA, 'not-a-token\n');
    const a2 = await ensureLocalTokenFile(auth, fileA, logger, 'node_a');
    assert.notEqual(a2, a1);
    assert.equal(fs.readFileSync(fileA, 'utf8').trim(), a2);
    assert.equal(await live(a1), false, "A's replaced token is revoked");
    assert.ok(await live(a2));
    assert.ok(await live(b1), "B's token is not A's to revoke");
  });
});
