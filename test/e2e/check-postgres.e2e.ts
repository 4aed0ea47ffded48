import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCrosscheck } from '../helpers/cli.ts';
import { postgresBinDir, startPostgres } from '../helpers/postgres-server.ts';
import type { TestPostgres } from '../helpers/postgres-server.ts';

// `crosscheck check postgres` as a user runs it: the real CLI process, its flags, output and
// exit codes, against a PostgreSQL cluster this test starts.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

describe('crosscheck check postgres', { skip, timeout: 90_000 }, () => {
  let server: TestPostgres;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  const login = (password: string) => [
    'check',
    'postgres',
    server.target,
    '--username',
    server.superuser,
    '--password',
    password,
    '--database',
    'postgres',
    '--db-tls',
    'off',
  ];

  it('exits 0 when the query returns the expected value', async () => {
    const up = await runCrosscheck([
      ...login(server.password),
      '--query',
      'SELECT 40 + 2',
      '--expect',
      '42',
    ]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /^UP {2}127\.0\.0\.1:\d+ {2}query returned "42" in \d+ ms/);
  });

  it('exits 1 on a refused login, without printing the password', async () => {
    const down = await runCrosscheck([...login('wrong-password-123'), '--json']);
    assert.equal(down.code, 1, down.stderr);
    const result = JSON.parse(down.stdout) as { errorKind: string; message: string };
    assert.equal(result.errorKind, 'status');
    assert.match(result.message, /SQLSTATE 28P01/);
    assert.doesNotMatch(down.stdout + down.stderr, /wrong-password-123/);
  });

  it('exits 2 for a connection URL as the target, naming the options to use', async () => {
    const bad = await runCrosscheck(['check', 'postgres', 'postgres://u:pw@127.0.0.1/db']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--password/);
  });
});
