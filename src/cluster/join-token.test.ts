import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../lib/errors.ts';
import {
  encodeJoinToken,
  hashTokenSecret,
  isJoinTokenExpired,
  MAX_TOKEN_COORDINATORS,
  newTokenCredentials,
  parseJoinToken,
  secretMatches,
  splitHostPort,
  type JoinToken,
} from './join-token.ts';

const BASE32 = [...'0123456789abcdefghjkmnpqrstvwxyz'];
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

const port = fc.integer({ min: 1, max: 65_535 });
const address = fc.oneof(
  fc.tuple(fc.domain(), port).map(([host, p]) => `${host}:${p}`),
  fc.tuple(fc.ipV4(), port).map(([host, p]) => `${host}:${p}`),
  fc.tuple(fc.ipV6(), port).map(([host, p]) => `[${host}]:${p}`),
);
const token: fc.Arbitrary<JoinToken> = fc.record({
  address,
  tokenId: fc
    .string({ unit: fc.constantFrom(...BASE32), minLength: 10, maxLength: 10 })
    .map((s) => `tok_${s}`),
  secret: fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 }),
  caSha256: fc.string({
    unit: fc.constantFrom(...'0123456789abcdef'),
    minLength: 64,
    maxLength: 64,
  }),
  expiresAt: fc.integer({ min: 0, max: 8.64e15 }),
});

function sample(): JoinToken {
  return {
    address: 'coord.example:7433',
    tokenId: 'tok_0123456789',
    secret: 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tX',
    caSha256: 'ab'.repeat(32),
    expiresAt: 1_800_000_000_000,
  };
}

/** Encodes an arbitrary wire object the way a token would be. */
function rawToken(wire: unknown): string {
  return `cc1.${Buffer.from(JSON.stringify(wire)).toString('base64url')}`;
}

function assertValidation(text: string, pattern: RegExp, secret = sample().secret): void {
  assert.throws(
    () => parseJoinToken(text),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION');
      assert.match(error.message, /^join token: /);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes(secret), 'the message must not echo the secret');
      assert.ok(!JSON.stringify(error.issues).includes(secret));
      return true;
    },
  );
}

describe('join token', () => {
  it('round-trips: parse(encode(t)) equals t for any valid token', () => {
    fc.assert(
      fc.property(token, (t) => {
        const text = encodeJoinToken(t);
        assert.match(text, /^cc1\.[A-Za-z0-9_-]+$/);
        assert.deepEqual(parseJoinToken(text), { ...t });
      }),
      { numRuns: 300 },
    );
  });

  it('carries the other coordinators: up to MAX_TOKEN_COORDINATORS, without the token’s own', () => {
    fc.assert(
      fc.property(
        token,
        fc.uniqueArray(address, { minLength: 1, maxLength: MAX_TOKEN_COORDINATORS }),
        (t, others) => {
          const coordinators = others.filter((a) => a !== t.address);
          const parsed = parseJoinToken(
            encodeJoinToken({ ...t, coordinators: [t.address, ...others] }),
          );
          assert.deepEqual(parsed, coordinators.length === 0 ? { ...t } : { ...t, coordinators });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a token with many or long coordinator addresses short enough to paste', () => {
    const many = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 1}:7433`);
    const few = parseJoinToken(encodeJoinToken({ ...sample(), coordinators: many }));
    assert.deepEqual(few.coordinators, many.slice(0, MAX_TOKEN_COORDINATORS));
    // Eight near-maximal host names would not fit in MAX_TOKEN_LENGTH: some are left out.
    const label = (c: string) => c.repeat(60);
    const long = Array.from(
      { length: 8 },
      (_, i) => `${label('h')}.${label('k')}.${label('m')}${i}.example:7433`,
    );
    const text = encodeJoinToken({ ...sample(), coordinators: long });
    assert.ok(text.length <= 2_000);
    assert.ok((parseJoinToken(text).coordinators?.length ?? 0) < long.length);
  });

  it('reads an old token without the list, and refuses a malformed list', () => {
    assert.equal(parseJoinToken(encodeJoinToken(sample())).coordinators, undefined);
    const base = { a: 'h:1', i: 'tok_0123456789', s: sample().secret, f: 'ab'.repeat(32), e: 1 };
    assertValidation(rawToken({ ...base, c: ['no-port'] }), /other coordinators/);
    assertValidation(rawToken({ ...base, c: [] }), /other coordinators/);
    assertValidation(rawToken({ ...base, c: 'h:2' }), /other coordinators/);
    const nine = Array.from({ length: 9 }, (_, i) => `h${i}:1`);
    assertValidation(rawToken({ ...base, c: nine }), /other coordinators/);
  });

  it('ignores surrounding whitespace from copy and paste', () => {
    assert.deepEqual(parseJoinToken(`  ${encodeJoinToken(sample())}\n`), sample());
  });

  it('refuses text without the prefix, with stray characters, cut short, or too long', () => {
    const good = encodeJoinToken(sample());
    assertValidation(good.slice(4), /does not start with "cc1\."/);
    assertValidation(`${good.slice(0, 20)} ${good.slice(20)}`, /characters a token never has/);
    assertValidation(good.slice(0, good.length - 10), /damaged|malformed|not host:port|not a/);
    assertValidation(`cc1.${'A'.repeat(3_000)}`, /too long/);
    assertValidation('cc1.', /characters a token never has/);
  });

  it('names each bad field without echoing values', () => {
    const base = { a: 'h:1', i: 'tok_0123456789', s: sample().secret, f: 'ab'.repeat(32), e: 1 };
    assertValidation(rawToken({ ...base, a: 'no-port' }), /coordinator address is not host:port/);
    assertValidation(rawToken({ ...base, a: 'h:0' }), /not host:port/);
    assertValidation(rawToken({ ...base, a: 'h:65536' }), /not host:port/);
    assertValidation(rawToken({ ...base, a: '::1:7433' }), /not host:port/);
    assertValidation(rawToken({ ...base, a: '[zz::1]:7433' }), /not host:port/);
    assertValidation(rawToken({ ...base, i: 'nope' }), /token id is malformed/);
    assertValidation(
      rawToken({ ...base, s: `${sample().secret}x` }),
      /secret is malformed/,
      `${sample().secret}x`,
    );
    assertValidation(rawToken({ ...base, f: 'AB'.repeat(32) }), /CA fingerprint/);
    assertValidation(rawToken({ ...base, e: -5 }), /expiry/);
    assertValidation(rawToken({ ...base, e: 1.5 }), /expiry/);
    assertValidation(rawToken({ ...base, x: 1 }), /fields a token never has/);
    assertValidation(rawToken([1, 2]), /not a join token/);
    assertValidation(rawToken({ s: sample().secret }), /address.*token id.*CA fingerprint.*expiry/);
  });

  it('issues are listed with field paths', () => {
    const text = rawToken({ a: 'h', i: 'tok_0123456789', s: sample().secret, f: 'x', e: 1 });
    try {
      parseJoinToken(text);
      assert.fail('expected a validation error');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.deepEqual(
        error.issues.map((i) => i.path),
        ['token.address', 'token.caSha256'],
      );
    }
  });

  it('splits addresses into host and port', () => {
    assert.deepEqual(splitHostPort('coord.example:7433'), { host: 'coord.example', port: 7433 });
    assert.deepEqual(splitHostPort('127.0.0.1:1'), { host: '127.0.0.1', port: 1 });
    assert.deepEqual(splitHostPort('[::1]:7433'), { host: '::1', port: 7433 });
    assert.deepEqual(splitHostPort('[::ffff:1.2.3.4]:80'), { host: '::ffff:1.2.3.4', port: 80 });
    assert.throws(() => splitHostPort('[::1]'), AppError);
  });

  it('expires at expiresAt', () => {
    assert.equal(isJoinTokenExpired({ expiresAt: 1000 }, 999), false);
    assert.equal(isJoinTokenExpired({ expiresAt: 1000 }, 1000), true);
  });
});

describe('token credentials', () => {
  it('makes short ids and 32-byte secrets that a token accepts', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { tokenId, secret } = newTokenCredentials();
      assert.match(tokenId, /^tok_[0-9a-z]{10}$/);
      assert.equal(Buffer.from(secret, 'base64url').length, 32);
      seen.add(tokenId);
      const t = { ...sample(), tokenId, secret };
      assert.deepEqual(parseJoinToken(encodeJoinToken(t)), t);
    }
    assert.equal(seen.size, 50);
  });

  it('stores a SHA-256 hash that matches only its own secret', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const stored = hashTokenSecret(a);
        assert.match(stored, /^[0-9a-f]{64}$/);
        assert.equal(secretMatches(a, stored), true);
        assert.equal(secretMatches(b, stored), a === b);
      }),
    );
    assert.equal(secretMatches('x', 'not-a-hash'), false);
    assert.equal(secretMatches('x', ''), false);
  });
});
