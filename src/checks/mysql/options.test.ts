import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mysqlOptionsSchema, redactMysqlOptions } from './options.ts';
import { readOnlyStatements } from './session.ts';
import { parseMysqlTarget } from './target.ts';

describe('mysql target', () => {
  it('reads host, host:port and bracketed IPv6, 3306 by default', () => {
    assert.deepEqual(parseMysqlTarget('DB.internal'), { host: 'db.internal', port: 3306 });
    assert.deepEqual(parseMysqlTarget('db.internal:3307'), { host: 'db.internal', port: 3307 });
    assert.deepEqual(parseMysqlTarget('[::1]:3306'), { host: '::1', port: 3306 });
  });

  it('refuses a connection URL, pointing at the options that hold its parts', () => {
    const parsed = parseMysqlTarget('mysql://u:secret@db:3306/app');
    assert.ok('error' in parsed);
    assert.match(parsed.error, /--password/);
    assert.ok('error' in parseMysqlTarget('db:0'));
    assert.ok('error' in parseMysqlTarget('not a host'));
  });
});

describe('mysql options', () => {
  it('defaults to root and verified TLS', () => {
    assert.deepEqual(mysqlOptionsSchema.parse({}), { username: 'root', tls: 'verify' });
  });

  it('takes the CLI list shape of --expect, and needs a query to compare with', () => {
    const parsed = mysqlOptionsSchema.parse({ query: ' SELECT 1 ', expect: ['1'] });
    assert.equal(parsed.query, 'SELECT 1');
    assert.equal(parsed.expect, '1');
    const bare = mysqlOptionsSchema.safeParse({ expect: '1' });
    assert.deepEqual(bare.error?.issues[0]?.path, ['expect']);
    assert.equal(mysqlOptionsSchema.safeParse({ expect: ['1', '2'], query: 'x' }).success, false);
  });

  it('refuses an unknown TLS mode, a CA without verify, and unknown keys', () => {
    assert.equal(mysqlOptionsSchema.safeParse({ tls: 'prefer' }).success, false);
    assert.equal(mysqlOptionsSchema.safeParse({ sslmode: 'require' }).success, false);
    const ca = mysqlOptionsSchema.safeParse({ tls: 'off', ca: 'x' });
    assert.ok(ca.error?.issues.some((issue) => issue.path[0] === 'ca'));
  });

  it('masks the password and nothing else', () => {
    const options = mysqlOptionsSchema.parse({ username: 'm', password: 'pw-secret' });
    assert.deepEqual(redactMysqlOptions(options), { ...options, password: '***' });
    const none = mysqlOptionsSchema.parse({ username: 'm' });
    assert.deepEqual(redactMysqlOptions(none), none);
  });
});

describe('mysql read-only statements', () => {
  it('sets the limit in the server flavour’s own variable, then read-only', () => {
    assert.deepEqual(readOnlyStatements('10.11.19-MariaDB-0+deb12u1', 2500), [
      'SET SESSION max_statement_time = 2.500',
      'SET SESSION TRANSACTION READ ONLY',
      'START TRANSACTION READ ONLY',
    ]);
    assert.equal(readOnlyStatements('8.4.3', 2500)[0], 'SET SESSION max_execution_time = 2500');
  });
});
