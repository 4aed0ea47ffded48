import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresOptionsSchema, redactPostgresOptions } from './options.ts';
import { parsePostgresTarget } from './target.ts';

describe('postgres target', () => {
  it('reads host, host:port and bracketed IPv6, 5432 by default', () => {
    assert.deepEqual(parsePostgresTarget('DB.internal'), { host: 'db.internal', port: 5432 });
    assert.deepEqual(parsePostgresTarget('db.internal:6543'), { host: 'db.internal', port: 6543 });
    assert.deepEqual(parsePostgresTarget('[::1]:5433'), { host: '::1', port: 5433 });
  });

  it('refuses a connection URL, pointing at the options that hold its parts', () => {
    const parsed = parsePostgresTarget('postgres://u:secret@db:5432/app');
    assert.ok('error' in parsed);
    assert.match(parsed.error, /--password/);
    assert.ok('error' in parsePostgresTarget('db:99999'));
    assert.ok('error' in parsePostgresTarget('not a host'));
  });
});

describe('postgres options', () => {
  it('defaults to the postgres user and verified TLS', () => {
    assert.deepEqual(postgresOptionsSchema.parse({}), { username: 'postgres', tls: 'verify' });
  });

  it('takes the CLI list shape of --expect, and needs a query to compare with', () => {
    const parsed = postgresOptionsSchema.parse({ query: ' SELECT 1 ', expect: ['1'] });
    assert.equal(parsed.query, 'SELECT 1');
    assert.equal(parsed.expect, '1');
    const bare = postgresOptionsSchema.safeParse({ expect: '1' });
    assert.equal(bare.success, false);
    assert.deepEqual(bare.error?.issues[0]?.path, ['expect']);
    assert.equal(
      postgresOptionsSchema.safeParse({ expect: ['1', '2'], query: 'x' }).success,
      false,
    );
  });

  it('refuses an unknown TLS mode and unknown keys', () => {
    assert.equal(postgresOptionsSchema.safeParse({ tls: 'prefer' }).success, false);
    assert.equal(postgresOptionsSchema.safeParse({ sslmode: 'require' }).success, false);
  });

  it('masks the password and nothing else', () => {
    const options = postgresOptionsSchema.parse({ username: 'm', password: 'pw-secret' });
    assert.deepEqual(redactPostgresOptions(options), { ...options, password: '***' });
    const none = postgresOptionsSchema.parse({ username: 'm' });
    assert.deepEqual(redactPostgresOptions(none), none);
  });
});
