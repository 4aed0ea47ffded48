import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../lib/errors.ts';
import type { DatabaseSetting } from './database-config.ts';
import {
  DATABASE_FILE,
  databaseSettingFrom,
  parsePostgresSetting,
  recordDatabase,
  resolveDatabase,
} from './database-config.ts';

const FIELDS = { url: '--database-url', ca: '--database-ca' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/etc/ca.pem': PEM, '/etc/not-pem.txt': 'hello' };
const readFile = (file: string): string => {
  const text = files[file];
  if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return text;
};
const parse = (url: string, ca?: string) => parsePostgresSetting({ url, ca }, FIELDS, readFile);

/** The VALIDATION error `fn` throws, with its field issues. */
function validation(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'VALIDATION');
    return error;
  }
  assert.fail('expected a VALIDATION error');
}

const issuesOf = (error: AppError) => error.issues;

describe('parsePostgresSetting', () => {
  it('takes a plain URL: no TLS, host:port/db described without the password', () => {
    const db = parse('postgres://crosscheck:s3cret@db.internal:6543/monitoring');
    assert.equal(db.kind, 'postgres');
    assert.equal(db.sslmode, 'disable');
    assert.equal(db.ssl, false);
    assert.equal(db.where, 'db.internal:6543/monitoring');
    assert.equal(db.caFile, null);
    assert.equal(parse('postgresql://u:p@h/db').where, 'h:5432/db');
  });

  it('turns sslmode into pg TLS options and strips the TLS parameters from the URL', () => {
    const required = parse('postgres://u:p@h/db?sslmode=require&application_name=x');
    assert.deepEqual(required.ssl, { rejectUnauthorized: false });
    assert.equal(required.url, 'postgres://u:p@h/db?application_name=x');
    const full = parse('postgres://u:p@h/db?sslmode=verify-full');
    assert.deepEqual(full.ssl, { rejectUnauthorized: true });
    assert.equal(parse('postgres://u:p@h/db?sslmode=disable').ssl, false);
  });

  it('reads the CA from --database-ca or sslrootcert; a CA alone means verify-full', () => {
    const flag = parse('postgres://u:p@h/db', '/etc/ca.pem');
    assert.equal(flag.sslmode, 'verify-full');
    assert.deepEqual(flag.ssl, { rejectUnauthorized: true, ca: PEM });
    assert.equal(flag.caFile, '/etc/ca.pem');
    const inUrl = parse('postgres://u:p@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem');
    assert.deepEqual(inUrl.ssl, { rejectUnauthorized: true, ca: PEM });
    assert.equal(inUrl.url, 'postgres://u:p@h/db');
    // require + CA: the chain is checked, the host name is not (libpq's verify-ca).
    const chain = parse('postgres://u:p@h/db?sslmode=require', '/etc/ca.pem');
    assert.ok(chain.ssl !== false);
    assert.equal(chain.ssl.rejectUnauthorized, true);
    assert.equal(typeof chain.ssl.checkServerIdentity, 'function');
  });

  it('names the field of every problem, all at once', () => {
    const error = validation(() => parse('postgres://u:p@h/db?sslmode=prefer&sslcert=/c', '/x'));
    const issues = issuesOf(error);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['--database-url', '--database-url', '--database-ca'],
    );
    assert.match(issues[1]?.message ?? '', /sslmode must be one of disable, require, verify-full/);
    assert.match(issues[2]?.message ?? '', /cannot read the CA file \/x \(ENOENT\)/);
    assert.match(
      issuesOf(validation(() => parse('postgres://u:p@h/db', '/etc/not-pem.txt')))[0]?.message ??
        '',
      /no PEM certificate/,
    );
    assert.match(
      issuesOf(validation(() => parse('postgres://u:p@h/db?sslmode=disable', '/etc/ca.pem')))[0]
        ?.message ?? '',
      /needs sslmode=require or verify-full/,
    );
  });

  it('refuses what is not a PostgreSQL URL, naming the field', () => {
    for (const [url, reason] of [
      ['not a url', /not a URL/],
      ['mysql://u:p@h/db', /unsupported scheme mysql:/],
      ['postgres://u:p@h', /no database name/],
      ['postgres://u:p@h/', /no database name/],
    ] as const) {
      const issue = issuesOf(validation(() => parse(url)))[0];
      assert.equal(issue?.path, '--database-url', url);
      assert.match(issue?.message ?? '', reason, url);
    }
  });

  it('never repeats the password in a message or in `where` (property)', () => {
    const secret = fc
      .string({ minLength: 6, maxLength: 24, unit: 'grapheme-ascii' })
      .filter((s) => /^[A-Za-z0-9!#$%&()*+,;=~-]+$/.test(s) && !/^[a-z]+$/.test(s));
    const broken = fc.constantFrom(
      '?sslmode=bogus',
      '?sslcert=/c',
      '',
      '?sslmode=verify-full&sslrootcert=/none',
    );
    fc.assert(
      fc.property(secret, broken, (password, query) => {
        const url = `postgres://user:${encodeURIComponent(password)}@db:5432/${query === '' ? '' : 'crosscheck'}${query}`;
        try {
          const db = parse(url);
          assert.ok(!db.where.includes(password));
        } catch (error) {
          assert.ok(error instanceof AppError);
          assert.ok(!error.message.includes(password), error.message);
          assert.ok(!JSON.stringify(error.issues).includes(password));
        }
      }),
    );
  });
});

describe('resolveDatabase', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-dbcfg-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fresh = () => fs.mkdtempSync(path.join(dir, 'd-'));

  it('is the SQLite file by default', () => {
    const dataDir = fresh();
    assert.deepEqual(resolveDatabase(dataDir, {}), {
      kind: 'sqlite',
      file: path.join(dataDir, 'crosscheck.db'),
    });
  });

  it('takes the flag over the environment, and either over the record', () => {
    const dataDir = fresh();
    recordDatabase(dataDir, 'postgres://u:p@recorded/db', null);
    const mode = fs.statSync(path.join(dataDir, DATABASE_FILE)).mode & 0o777;
    assert.equal(mode, 0o600, 'the record holds a password: 0600');
    const env = { CROSSCHECK_DATABASE_URL: 'postgres://u:p@from-env/db' };
    const fromFlag = databaseSettingFrom({ databaseUrl: 'postgres://u:p@from-flag/db' }, env);
    assert.equal(fromFlag.url?.field, '--database-url');
    const where = (setting: DatabaseSetting) => {
      const db = resolveDatabase(dataDir, setting);
      return db.kind === 'postgres' ? db.where : db.kind;
    };
    assert.equal(where(fromFlag), 'from-flag:5432/db');
    assert.equal(where(databaseSettingFrom({}, env)), 'from-env:5432/db');
    assert.equal(where(databaseSettingFrom({}, {})), 'recorded:5432/db');
    assert.equal(
      where(databaseSettingFrom({}, { CROSSCHECK_DATABASE_URL: ' ' })),
      'recorded:5432/db',
    );
  });

  it('names the environment variable when its URL is wrong', () => {
    const setting = databaseSettingFrom({}, { CROSSCHECK_DATABASE_URL: 'http://h/db' });
    const issue = issuesOf(validation(() => resolveDatabase(fresh(), setting)))[0];
    assert.equal(issue?.path, 'CROSSCHECK_DATABASE_URL');
  });

  it('refuses a CA without a URL, and a data dir recorded as "URL from the environment" without it', () => {
    const setting = databaseSettingFrom({}, { CROSSCHECK_DATABASE_CA: '/etc/ca.pem' });
    assert.equal(
      issuesOf(validation(() => resolveDatabase(fresh(), setting)))[0]?.path,
      'CROSSCHECK_DATABASE_CA',
    );
    const dataDir = fresh();
    recordDatabase(dataDir, null, null);
    const error = validation(() => resolveDatabase(dataDir, {}));
    assert.match(error.message, /takes the URL from CROSSCHECK_DATABASE_URL, which is not set/);
  });

  it('names database.json when the record is broken', () => {
    const dataDir = fresh();
    fs.writeFileSync(path.join(dataDir, DATABASE_FILE), '{"url": 5}');
    assert.match(
      issuesOf(validation(() => resolveDatabase(dataDir, {})))[0]?.path ?? '',
      /^database\.json url/,
    );
    fs.writeFileSync(path.join(dataDir, DATABASE_FILE), 'nope');
    assert.match(validation(() => resolveDatabase(dataDir, {})).message, /is not JSON/);
  });
});
