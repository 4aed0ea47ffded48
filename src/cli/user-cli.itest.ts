import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataDirPaths } from '../config/data-dir.ts';
import { silentLogger } from '../observability/logger.ts';
import { prepareSetupToken } from '../services/auth/setup-token.ts';
import { verifyPassword } from '../services/auth/password.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { EXIT } from './exit-codes.ts';
import { runCliInProcess } from '../../test/helpers/in-process-cli.ts';

const cli = runCliInProcess;

describe('crosscheck user create-admin (offline, with the setup token)', () => {
  let dir: string;
  let passwordFile: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-user-cli-'));
    const paths = dataDirPaths(dir);
    // What the daemon does at first start: a schema and a setup token.
    const store = await openSqliteStore({ file: paths.database });
    await prepareSetupToken(store, paths.setupToken, silentLogger());
    await store.close();
    passwordFile = path.join(dir, 'password.txt');
    fs.writeFileSync(passwordFile, 'a long admin password\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names bad flags, creates the admin once, and uses the setup token up', async () => {
    const short = path.join(dir, 'short.txt');
    fs.writeFileSync(short, 'short\n');
    const invalid = await cli(dir, [
      'user',
      'create-admin',
      '--name',
      'ro ot',
      '--password-file',
      short,
    ]);
    assert.equal(invalid.code, EXIT.usage);
    assert.match(invalid.stderr, /--name/);
    assert.match(invalid.stderr, /--password-file/);

    const created = await cli(dir, [
      'user',
      'create-admin',
      '--name',
      'root',
      '--password-file',
      passwordFile,
      '--json',
    ]);
    assert.equal(created.code, EXIT.ok, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { role: string }).role, 'admin');
    assert.ok(!created.stdout.includes('argon2'));
    assert.equal(fs.existsSync(dataDirPaths(dir).setupToken), false);

    const store = await openSqliteStore({ file: dataDirPaths(dir).database, readonly: true });
    const root = await store.getUserByName('root');
    await store.close();
    assert.equal(await verifyPassword('a long admin password', root?.passwordHash ?? ''), true);

    const again = await cli(dir, [
      'user',
      'create-admin',
      '--name',
      'other',
      '--password-file',
      passwordFile,
    ]);
    assert.equal(again.code, EXIT.conflict);
    assert.match(again.stderr, /no setup token/);
  });
});
