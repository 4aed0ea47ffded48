import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crosscheckJson, runCrosscheck, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

/** A raw request to the daemon's API, as another local process would send it. */
async function request(
  apiUrl: string,
  urlPath: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<number> {
  const response = await fetch(`${apiUrl}${urlPath}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('authentication through the real daemon and CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  let strangerDir: string;
  let daemon: DaemonProcess;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    strangerDir = tempDataDir();
    daemon = await startDaemon(dataDir);
  });
  after(async () => {
    await daemon?.stop('SIGTERM');
    for (const dir of [dataDir, strangerDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a local process without the token file, while the owner’s CLI works', async () => {
    assert.equal(fs.statSync(path.join(dataDir, 'api-token')).mode & 0o777, 0o600);
    assert.equal(await request(daemon.apiUrl, '/api/v1/status'), 401);
    assert.equal(await request(daemon.apiUrl, '/api/v1/status', { token: 'cc_guess' }), 401);
    assert.equal(
      await request(daemon.apiUrl, '/api/v1/monitors', {
        method: 'POST',
        body: { name: 'x', type: 'tcp', target: '127.0.0.1:1' },
      }),
      401,
    );
    // Another local user: finds the daemon (its daemon.json) but cannot read the token file.
    fs.copyFileSync(path.join(dataDir, 'daemon.json'), path.join(strangerDir, 'daemon.json'));
    const stranger = await runCrosscheck(['status'], { CROSSCHECK_DATA_DIR: strangerDir });
    assert.equal(stranger.code, 6, stranger.stderr);
    assert.match(stranger.stderr, /UNAUTHORIZED|token/i);

    const owner = await runCrosscheck(['status'], env());
    assert.equal(owner.code, 0, owner.stderr);
  });

  it('creates users and tokens with commands derived from the registry; a read-only token reads only', async () => {
    const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
    assert.ok(setupToken.length > 0);
    assert.doesNotMatch(daemon.logs(), new RegExp(setupToken), 'the setup token is never logged');
    const passwordFile = path.join(dataDir, 'password.txt');
    fs.writeFileSync(passwordFile, 'correct horse battery staple\n', { mode: 0o600 });
    const admin = await runCrosscheck(
      ['user', 'create-admin', '--name', 'root', '--password-file', passwordFile],
      env(),
    );
    assert.equal(admin.code, 0, admin.stderr);
    assert.equal(fs.existsSync(path.join(dataDir, 'setup-token')), false, 'used up');

    const added = await runCrosscheck(
      ['user', 'add', '--name', 'viewer1', '--role', 'viewer', '--password-file', passwordFile],
      env(),
    );
    assert.equal(added.code, 0, added.stderr);
    const users = await crosscheckJson<{ name: string; role: string }[]>(['user', 'list'], env());
    assert.deepEqual(
      users.filter((u) => u.name === 'viewer1').map((u) => u.role),
      ['viewer'],
    );
    const badRole = await runCrosscheck(
      ['user', 'add', '--name', 'x', '--role', 'owner', '--password-file', passwordFile],
      env(),
    );
    assert.equal(badRole.code, 2, 'a bad role is a usage error naming the field');
    assert.match(badRole.stderr, /role/);

    const created = await crosscheckJson<{ id: string; token: string; access: string }>(
      ['token', 'create', '--name', 'ci', '--access', 'read'],
      env(),
    );
    assert.equal(created.access, 'read');
    assert.equal(await request(daemon.apiUrl, '/api/v1/status', { token: created.token }), 200);
    assert.equal(
      await request(daemon.apiUrl, '/api/v1/monitors', {
        method: 'POST',
        token: created.token,
        body: { name: 'x', type: 'tcp', target: '127.0.0.1:1' },
      }),
      403,
      'a read-only token cannot write',
    );
    const listed = await runCrosscheck(['token', 'list', '--json'], env());
    assert.doesNotMatch(listed.stdout, new RegExp(created.token), 'a token is shown once');

    const revoked = await runCrosscheck(['token', 'revoke', created.id], env());
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(await request(daemon.apiUrl, '/api/v1/status', { token: created.token }), 401);
  });
});
