// Pure: no I/O; node:crypto only for randomness and hashing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError, type FieldIssue } from '../lib/errors.ts';

/** What `crosscheck join-token` prints and `crosscheck join` reads. */
export interface JoinToken {
  /** host:port as the joining node dials it; IPv6 in [..]. */
  address: string;
  tokenId: string;
  secret: string;
  /** Lowercase hex SHA-256 of the CA certificate's DER. */
  caSha256: string;
  /** Epoch ms. */
  expiresAt: number;
  /**
   * The cluster's other coordinators (host:port), so the new node can reach the leader when
   * `address` is not it or is gone. Absent in tokens from before failover and when there are none.
   */
  coordinators?: string[];
}

/**
 * Most other coordinators a token names: a cluster runs a handful, and the token must stay
 * short enough to paste (the node learns the full list from its first welcome).
 */
export const MAX_TOKEN_COORDINATORS = 8;

const PREFIX = 'cc1.';
/** Far above a real token (~250 characters); stops a pasted file from being decoded. */
const MAX_TOKEN_LENGTH = 2_000;
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
const TOKEN_ID = /^tok_[0-9a-z]{10}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-0-9a-zA-Z]{0,61}[0-9a-zA-Z])?)*\.?$/;

/** The reason shown for each field; fixed texts, so no value (above all the secret) is echoed. */
const FIELD_REASONS: Record<string, string> = {
  a: 'the coordinator address is not host:port',
  i: 'the token id is malformed',
  s: 'the secret is malformed',
  f: 'the CA fingerprint is not a SHA-256 hex digest',
  e: 'the expiry is not a timestamp',
  c: 'the other coordinators are not a short list of host:port addresses',
};
const FIELD_NAMES: Record<string, string> = {
  a: 'address',
  i: 'tokenId',
  s: 'secret',
  f: 'caSha256',
  e: 'expiresAt',
  c: 'coordinators',
};

const addressSchema = z.string().refine((value) => splitHostPortOrUndefined(value) !== undefined);

const wireSchema = z.strictObject({
  a: addressSchema,
  i: z.string().regex(TOKEN_ID),
  s: z.string().regex(SECRET),
  f: z.string().regex(SHA256_HEX),
  e: z.number().int().min(0).max(8.64e15),
  c: z.array(addressSchema).min(1).max(MAX_TOKEN_COORDINATORS).optional(),
});

/**
 * `cc1.` + base64url(JSON with short keys). The other coordinators go in only up to
 * MAX_TOKEN_COORDINATORS and only while the token stays within MAX_TOKEN_LENGTH (the joining
 * node learns the whole list from its first welcome anyway).
 */
export function encodeJoinToken(token: JoinToken): string {
  const wire: z.infer<typeof wireSchema> = {
    a: token.address,
    i: token.tokenId,
    s: token.secret,
    f: token.caSha256,
    e: token.expiresAt,
  };
  const others = [...new Set(token.coordinators ?? [])]
    .filter((address) => address !== token.address)
    .slice(0, MAX_TOKEN_COORDINATORS);
  for (let count = others.length; count > 0; count--) {
    const text = encodeWire({ ...wire, c: others.slice(0, count) });
    if (text.length <= MAX_TOKEN_LENGTH) return text;
  }
  return encodeWire(wire);
}

function encodeWire(wire: z.infer<typeof wireSchema>): string {
  return PREFIX + Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/** Parses and validates (zod); malformed → AppError('VALIDATION', 'join token: <reason>') — never echo the secret in messages. */
export function parseJoinToken(text: string): JoinToken {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TOKEN_LENGTH) throw tokenError('it is too long to be a join token');
  if (!trimmed.startsWith(PREFIX)) {
    throw tokenError(
      `it does not start with "${PREFIX}" (pass the whole line printed by crosscheck join-token)`,
    );
  }
  const body = trimmed.slice(PREFIX.length);
  // Buffer's base64url decoder skips characters it does not know; refuse them instead.
  if (!/^[A-Za-z0-9_-]+$/.test(body)) {
    throw tokenError('it contains characters a token never has (was it cut or wrapped?)');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw tokenError('it is damaged (was it cut short?)');
  }
  const parsed = wireSchema.safeParse(json);
  if (!parsed.success) {
    // One message per field, even when a value breaks several rules.
    const byPath = new Map(parsed.error.issues.map(fieldIssue).map((i) => [i.path, i]));
    const issues = [...byPath.values()];
    throw new AppError('VALIDATION', `join token: ${issues.map((i) => i.message).join('; ')}`, {
      issues,
    });
  }
  const { a, i, s, f, e, c } = parsed.data;
  return {
    address: a,
    tokenId: i,
    secret: s,
    caSha256: f,
    expiresAt: e,
    ...(c === undefined ? {} : { coordinators: c }),
  };
}

/** New token id (short, 'tok_' + 10 base32 chars) and 32-byte secret (base64url). */
export function newTokenCredentials(): { tokenId: string; secret: string } {
  let id = '';
  // 32 symbols: the low five bits of a byte pick one without bias.
  for (const byte of randomBytes(10)) id += BASE32[byte & 31];
  return { tokenId: `tok_${id}`, secret: randomBytes(32).toString('base64url') };
}

/** SHA-256 hex of the secret: what the coordinator stores. Compare with timingSafeEqual via `secretMatches`. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `secret` hashes to `storedHash`, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  if (!SHA256_HEX.test(storedHash)) return false;
  return timingSafeEqual(
    Buffer.from(hashTokenSecret(secret), 'hex'),
    Buffer.from(storedHash, 'hex'),
  );
}

/** True once `nowMs` has reached the token's expiry. */
export function isJoinTokenExpired(token: Pick<JoinToken, 'expiresAt'>, nowMs: number): boolean {
  return nowMs >= token.expiresAt;
}

/** Splits a token address ("host:port", "[v6]:port") into host (no brackets) and port; bad → VALIDATION. */
export function splitHostPort(address: string): { host: string; port: number } {
  const parts = splitHostPortOrUndefined(address);
  if (parts === undefined) throw tokenError(FIELD_REASONS.a ?? 'bad address');
  return parts;
}

function splitHostPortOrUndefined(address: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([1-9][0-9]{0,4})$/.exec(address);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const v6 = match[1];
  if (v6 !== undefined) return isIPv6(v6) ? { host: v6, port } : undefined;
  const host = match[2] ?? '';
  return HOSTNAME.test(host) ? { host, port } : undefined;
}

/** The WHATWG URL parser knows every IPv6 form (incl. embedded IPv4) and has no I/O. */
function isIPv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  return URL.canParse(`http://[${text}]/`);
}

function fieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const key = typeof issue.path[0] === 'string' ? issue.path[0] : '';
  if (issue.code === 'unrecognized_keys') {
    return { path: 'token', message: 'it has fields a token never has' };
  }
  if (key === '') return { path: 'token', message: 'it is not a join token' };
  return {
    path: `token.${FIELD_NAMES[key] ?? key}`,
    message: FIELD_REASONS[key] ?? `field ${key} is invalid`,
  };
}

function tokenError(reason: string): AppError {
  return new AppError('VALIDATION', `join token: ${reason}`, {
    issues: [{ path: 'token', message: reason }],
  });
}
